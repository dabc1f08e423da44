"""The core of ``manage.py assess``: exit codes, streams, and never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clinical.examples import EXAMPLES_DIR, ROOT
from tests.clinical.helpers import COMPLETE
from triage.clinical.cli import USAGE, main

EXAMPLE_03 = EXAMPLES_DIR / "03-respiratory-distress.findings.json"


def run(argv: list[str], stdin: str | bytes = "") -> tuple[int, str, str]:
    """Call main() with in-memory streams; stdin as bytes goes through a .buffer like sys.stdin."""
    if isinstance(stdin, bytes):
        stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    else:
        stdin_stream = io.StringIO(stdin)
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdin=stdin_stream, stdout=out, stderr=err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "findings.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_valid_file_prints_the_assessment_and_exits_0():
    status, out, err = run([str(EXAMPLE_03)])
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["contract"] == "v2"
    assert [f["code"] for f in result["red_flags"]] == ["respiratory_distress"]
    # indent=2, keys in contract order, one trailing newline
    assert out.startswith('{\n  "contract": "v2",\n  "red_flags": [')
    assert out.endswith("}\n") and not out.endswith("\n\n")


def test_non_ascii_text_is_printed_as_is(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("triage.clinical.explain.GENERAL_ADVICE_TITLE", "Après la procédure")
    status, out, _ = run([str(EXAMPLE_03)])
    assert status == 0
    assert '"title": "Après la procédure"' in out


def test_dash_reads_stdin():
    status, out, err = run(["-"], json.dumps(COMPLETE))
    assert (status, err) == (0, "")
    assert [p["code"] for p in json.loads(out)["pathways"]] == ["transient_pain"]


def test_dash_reads_stdin_bytes_with_a_utf8_bom():
    status, out, _ = run(["-"], b"\xef\xbb\xbf" + json.dumps(COMPLETE).encode())
    assert status == 0
    assert json.loads(out)["not_assessed"] == []


def test_invalid_findings_exit_2_with_one_line_per_problem_and_nothing_on_stdout(tmp_path: Path):
    path = write(
        tmp_path,
        json.dumps(
            {"vitals": {"spo2": 104, "consciousness": "drowsy"}, "symptoms": {"pain_score": 12}}
        ),
    )
    status, out, err = run([path])
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        "vitals.spo2: must be between 50 and 100",
        "vitals.consciousness: must be one of: A, C, V, P, U",
        "symptoms.pain_score: must be between 0 and 10",
    ]


def test_two_messages_on_one_field_are_two_lines(tmp_path: Path):
    path = write(tmp_path, json.dumps({"procedure": {"levels": ["L6", "L6"]}}))
    status, out, err = run([path])
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        "procedure.levels[0]: must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
        "procedure.levels[1]: must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("this is not json", "(root): not valid JSON: Expecting value at line 1 column 1"),
        ("", "(root): not valid JSON: Expecting value at line 1 column 1"),
        ("   \n", "(root): not valid JSON: Expecting value at line 2 column 1"),
        (
            '{"vitals": {"spo2": 97,}}',
            "(root): not valid JSON: Expecting property name enclosed in "
            "double quotes at line 1 column 24",
        ),
        ("[1, 2]", "(root): must be an object"),
        ("null", "(root): must be an object"),
        ('{"vitals": NaN}', "vitals: must be an object"),
        ('{"vitals": {"temperature": NaN}}', "vitals.temperature: must be a finite number"),
        ('{"vitals": {"temperature": 1e999}}', "vitals.temperature: must be a finite number"),
    ],
)
def test_text_that_is_not_valid_findings_gives_one_line_and_exit_2(
    tmp_path: Path, text: str, line: str
):
    for argv, stdin in (([write(tmp_path, text)], ""), (["-"], text)):
        status, out, err = run(argv, stdin)
        assert (status, out, err) == (2, "", line + "\n")


def test_bytes_that_are_not_utf8_are_refused(tmp_path: Path):
    status, out, err = run([write(tmp_path, b'{"vitals": "\xff"}')])
    assert (status, out) == (2, "")
    assert err.startswith("(root): not valid JSON") and len(err.splitlines()) == 1


def test_a_missing_file_gives_one_line_and_exit_2(tmp_path: Path):
    missing = str(tmp_path / "nope.json")
    status, out, err = run([missing])
    assert (status, out) == (2, "")
    assert err == f"{missing}: cannot read: No such file or directory\n"


def test_a_directory_gives_one_line_and_exit_2(tmp_path: Path):
    status, out, err = run([str(tmp_path)])
    assert (status, out) == (2, "")
    assert err.startswith(f"{tmp_path}: cannot read:") and len(err.splitlines()) == 1


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"], ["-", "-"]])
def test_wrong_argument_count_prints_usage_and_exits_2(argv: list[str]):
    status, out, err = run(argv)
    assert (status, out, err) == (2, "", USAGE)


def test_help_prints_usage_and_exits_0():
    assert run(["--help"]) == (0, USAGE, "")


def test_an_internal_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    def broken(findings: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("triage.clinical.cli.assess", broken)
    status, out, err = run([str(EXAMPLE_03)])
    assert (status, out, err) == (1, "", "(root): internal error: RuntimeError: boom\n")


def test_the_default_streams_are_looked_up_at_call_time(capsys: pytest.CaptureFixture[str]):
    assert main([str(EXAMPLE_03)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["imaging"] == "emergency"
    assert captured.err == ""


def test_it_runs_as_a_fresh_process_without_django():
    """What manage.py does: import the core and run it, with Django nowhere in sight."""
    code = (
        "import sys\n"
        "from triage.clinical.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE_03)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["red_flags"][0]["code"] == "respiratory_distress"
    bad = subprocess.run(
        [sys.executable, "-c", code, "-"],
        cwd=ROOT,
        input="{oops",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "Traceback" not in bad.stderr and len(bad.stderr.splitlines()) == 1
