"""The contract's worked examples, for every entry point's tests (engine, command, API).

The examples live in ``../shared/clinical/examples/`` beside the project root. Each
``NN-name.findings.json`` has either ``NN-name.expected.json`` (the assessment it must produce)
or ``NN-name.expected-errors.txt`` (the field paths it must be refused for, one per line).

    from tests.clinical.examples import assert_matches_expected, load_examples

    for example in load_examples():
        if example.expected is not None:
            assert_matches_expected(my_entry_point(example.findings), example.expected)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT.parent / "shared" / "clinical" / "examples"


@dataclass(frozen=True)
class Example:
    name: str  # e.g. "03-respiratory-distress"
    findings_path: Path
    findings: object  # the decoded findings JSON
    expected: dict | None  # the expected assessment, for a valid example
    error_fields: tuple[str, ...] | None  # the refused field paths, for an invalid example

    @property
    def valid(self) -> bool:
        return self.expected is not None


def load_examples() -> list[Example]:
    """Every worked example, in file-name order. Fails loudly if the directory is missing or
    an example has neither expected file, so a broken checkout is not a silent pass."""
    paths = sorted(EXAMPLES_DIR.glob("*.findings.json"))
    if not paths:
        raise FileNotFoundError(f"no worked examples in {EXAMPLES_DIR}")
    examples = []
    for path in paths:
        name = path.name.removesuffix(".findings.json")
        expected_path = path.with_name(f"{name}.expected.json")
        errors_path = path.with_name(f"{name}.expected-errors.txt")
        expected = None
        error_fields = None
        if expected_path.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
        elif errors_path.exists():
            lines = errors_path.read_text(encoding="utf-8").splitlines()
            error_fields = tuple(line.strip() for line in lines if line.strip())
        else:
            raise FileNotFoundError(f"{path.name} has no expected file")
        findings = json.loads(path.read_text(encoding="utf-8"))
        examples.append(Example(name, path, findings, expected, error_fields))
    return examples


def assert_matches_expected(actual: object, expected: object, path: str = "") -> None:
    """Compare as the examples README says: every key shown in ``expected`` must be equal,
    extra keys in ``actual`` are allowed, and lists compare by length and in order.

    >>> assert_matches_expected({"a": [{"code": "x", "reason": "..."}]}, {"a": [{"code": "x"}]})
    >>> assert_matches_expected({"a": []}, {"a": [{"code": "x"}]})
    Traceback (most recent call last):
    ...
    AssertionError: a: expected 1 item(s), got 0: []
    """
    where = path or "(root)"
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            child = f"{path}.{key}" if path else key
            assert key in actual, f"{child}: missing"
            assert_matches_expected(actual[key], value, child)
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{where}: expected {len(expected)} item(s), got {len(actual)}: {actual!r}"
        )
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_matches_expected(got, want, f"{path}[{index}]")
    else:
        # type() too, so that 0 does not match false nor 1.0 match 1.
        assert type(actual) is type(expected) and actual == expected, (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
