"""Hypothesis strategies for hostile input: arbitrary JSON, findings with a few keys broken, and
form posts mixing valid answers with junk."""

from __future__ import annotations

import copy
import math

from hypothesis import strategies as st

from tests.clinical import strategies as valid
from triage.clinical.findings import FIELD_NAMES, SECTIONS

# Text a browser or script might send: anything printable, controls and NUL included.
junk_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "NaN", "-1", "1e309", "9" * 40, "yes", "null", "<b>x</b>"]),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    junk_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
any_valid_findings = st.one_of(valid.findings, valid.checked_findings, valid.complete_findings)


def _not_integral_float(value: object) -> bool:
    return not (isinstance(value, float) and math.isfinite(value) and value.is_integer())


# JSON that is not a whole number written with a fraction: JSON Schema's "integer" accepts
# 7.0, the engine does not (a form that sends 7.0 for a pain score is wrong somewhere).
strict_json_values = json_values.filter(
    lambda v: (
        _not_integral_float(v) and (not isinstance(v, list) or all(map(_not_integral_float, v)))
    )
)


@st.composite
def mutated_findings(draw: st.DrawFn, values: st.SearchStrategy = json_values) -> object:
    """Valid findings with a few things broken: a key's value replaced, an unknown key added,
    a key removed, a section replaced; or, now and then, any JSON at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    # A copy: some strategies hand out one shared object (st.just({})), never to be changed.
    findings: dict = copy.deepcopy(draw(any_valid_findings))
    for _ in range(draw(st.integers(0, 3))):
        section = draw(st.sampled_from(SECTIONS))
        action = draw(st.sampled_from(["value", "value", "unknown", "drop", "section"]))
        body = findings.setdefault(section, {})
        if action == "section":
            findings[section] = draw(values)
        elif not isinstance(body, dict):
            continue
        elif action == "value":
            body[draw(st.sampled_from(FIELD_NAMES[section]))] = draw(values)
        elif action == "unknown":
            body[draw(st.text(min_size=1, max_size=10))] = draw(values)
        elif body:
            body.pop(draw(st.sampled_from(sorted(body))))
    if draw(st.integers(0, 9)) == 0:
        findings[draw(st.text(max_size=10))] = draw(values)
    return findings
