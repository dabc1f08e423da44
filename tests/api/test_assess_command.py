"""`python manage.py assess FILE`: the contract's command-line entry point, run for real."""

import json
import subprocess
import sys

import pytest

from tests.clinical.examples import assert_matches_expected, load_examples
from tests.foundation.helpers import ROOT

EXAMPLES = load_examples()


def run_assess(*args: str, stdin: str | None = None, env: dict | None = None):
    import os

    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.valid], ids=lambda e: e.name)
def test_worked_examples_are_reproduced_from_a_file(example):
    result = run_assess(str(example.findings_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert_matches_expected(json.loads(result.stdout), example.expected)


def test_standard_input_is_read_with_a_dash():
    example = EXAMPLES[0]
    result = run_assess("-", stdin=json.dumps(example.findings))
    assert result.returncode == 0
    assert_matches_expected(json.loads(result.stdout), example.expected)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e.valid], ids=lambda e: e.name)
def test_invalid_findings_exit_2_naming_each_field(example):
    result = run_assess(str(example.findings_path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    for field in example.error_fields:
        assert any(line.startswith(f"{field}: ") for line in lines), (field, lines)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text", ["not json", "", "{", "[1, 2]", '{"vitals": {"spo2": true}}'])
def test_bad_input_exits_2_without_a_traceback(text):
    result = run_assess("-", stdin=text)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2():
    result = run_assess("/nonexistent/findings.json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_the_command_needs_no_database():
    """Pointed at a database that does not exist, it still answers: it never connects."""
    example = EXAMPLES[0]
    result = run_assess(
        str(example.findings_path),
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "TRIAGE_PGDATA": "/nonexistent"},
    )
    assert result.returncode == 0, result.stderr


def test_call_command_runs_the_same_engine(capsys):
    from django.core.management import call_command

    call_command("assess", str(EXAMPLES[0].findings_path))
    assert_matches_expected(json.loads(capsys.readouterr().out), EXAMPLES[0].expected)
