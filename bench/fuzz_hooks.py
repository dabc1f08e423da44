"""schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by bench/fuzz_api.py).

JSON Schema's "integer" is any number without a fractional part, so a schema-valid request may
write a pain score as 7.0; the contract's engine refuses that ("must be an integer": a form
sending 7.0 is wrong somewhere), and the OpenAPI document says so in words. No schema keyword
can say it, so that one refusal is not counted as a failure. Any other answer to the same
request, and every other failure, still fails the run.
"""

from __future__ import annotations

import schemathesis


def _integral_float(value: object) -> bool:
    return isinstance(value, float) and value.is_integer()


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """False (drop it) only for a 400 whose every error is a whole number written as 7.0."""
    body = case.body
    if response.status_code != 400 or not isinstance(body, dict):
        return True
    try:
        errors = response.json()["errors"]
    except (ValueError, KeyError, TypeError):
        return True
    for path, messages in errors.items():
        section, _, key = path.partition(".")
        value = body.get(section, {}).get(key) if isinstance(body.get(section), dict) else None
        if messages != ["must be an integer"] or not _integral_float(value):
            return True
    return bool(not errors)
