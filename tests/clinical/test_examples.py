"""The contract's worked examples, reproduced through the engine and the command core."""

from __future__ import annotations

import io
import json

import pytest

from tests.clinical.examples import Example, assert_matches_expected, load_examples
from triage.clinical import FindingsError, assess_json
from triage.clinical.cli import main

EXAMPLES = load_examples()
VALID = [example for example in EXAMPLES if example.valid]
INVALID = [example for example in EXAMPLES if not example.valid]


def test_the_examples_are_all_there():
    names = [example.name for example in EXAMPLES]
    assert names == [
        "01-adjacent-fracture-suspected",
        "02-foraminal-leak-radiculopathy",
        "03-respiratory-distress",
        "04-transient-pain",
        "05-invalid",
        "06-unresponsive-not-reassured",
        "07-new-oxygen-requirement",
        "08-partly-examined",
        "09-ct-does-not-exclude-cord-compression",
        "10-fever-and-late-pain",
        "11-cervical-level-upper-limbs",
        "12-routine-oxygen-after-sedation",
        "13-compensated-shock",
        "14-old-scan-excludes-nothing",
    ]
    assert len(VALID) == 13


@pytest.mark.parametrize("example", VALID, ids=lambda e: e.name)
def test_it_reproduces_the_example(example: Example):
    assert_matches_expected(assess_json(example.findings).to_dict(), example.expected)


@pytest.mark.parametrize("example", VALID, ids=lambda e: e.name)
def test_the_command_reproduces_the_example(example: Example):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(example.findings_path)], stdout=out, stderr=err)
    assert (status, err.getvalue()) == (0, "")
    assert out.getvalue().endswith("}\n")
    assert_matches_expected(json.loads(out.getvalue()), example.expected)


@pytest.mark.parametrize("example", VALID, ids=lambda e: e.name)
def test_the_contract_keys_are_exact(example: Example):
    """Extra keys are allowed at top level and in red flags and pathways, but the contract's
    own values must be exactly its shape (news2 holds only score and band)."""
    result = assess_json(example.findings).to_dict()
    assert list(result)[:8] == [
        "contract",
        "red_flags",
        "pathways",
        "news2",
        "imaging",
        "escalation",
        "not_assessed",
        "incomplete",
    ]
    assert result["news2"] is None or set(result["news2"]) == {"score", "band"}
    assert isinstance(result["imaging"], str) and isinstance(result["escalation"], str)


@pytest.mark.parametrize("example", INVALID, ids=lambda e: e.name)
def test_it_refuses_the_invalid_example_naming_each_field(example: Example):
    with pytest.raises(FindingsError) as refused:
        assess_json(example.findings)
    assert set(refused.value.errors) == set(example.error_fields)


@pytest.mark.parametrize("example", INVALID, ids=lambda e: e.name)
def test_the_command_refuses_the_invalid_example(example: Example):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(example.findings_path)], stdout=out, stderr=err)
    assert status == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == sorted(example.error_fields)


def test_the_comparison_helper_catches_differences():
    expected = {"red_flags": [{"code": "x"}], "news2": {"score": 1}}
    assert_matches_expected(
        {"red_flags": [{"code": "x", "more": 1}], "news2": {"score": 1}}, expected
    )
    for wrong in (
        {"red_flags": [], "news2": {"score": 1}},
        {"red_flags": [{"code": "y"}], "news2": {"score": 1}},
        {"red_flags": [{"code": "x"}], "news2": {"score": True}},
        {"red_flags": [{"code": "x"}], "news2": None},
        {"red_flags": [{"code": "x"}]},
    ):
        with pytest.raises(AssertionError):
            assert_matches_expected(wrong, expected)
