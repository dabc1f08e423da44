"""The hazard log's controls are only as good as the tests it names: every one must exist,
down to the parametrised case it cites."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "hazard-log.md"
# `tests/x/test_y.py::test_name` or `test_y.py::test_name[case-id]` (engine tests live under
# tests/clinical/ and may be named without the folder).
REFERENCE = re.compile(r"`((?:tests/)?[\w/]*test_\w+\.py)::(\w+)(?:\[([^\]`]+)\])?`")


def _path(file: str) -> str:
    return file if file.startswith("tests/") else f"tests/clinical/{file}"


def _references() -> list[tuple[str, str, str | None]]:
    return [(_path(f), name, case or None) for f, name, case in REFERENCE.findall(LOG.read_text())]


def _collected(files: set[str]) -> set[str]:
    """The node ids pytest collects from `files` (collection only: nothing runs)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *sorted(files)],
        cwd=ROOT,
        env={**os.environ, "TRIAGE_ENV": "dev"},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {line.strip() for line in done.stdout.splitlines() if "::" in line}


def test_every_test_named_in_the_hazard_log_exists():
    references = _references()
    assert len(references) > 60
    missing = []
    for file, name, _ in references:
        path = ROOT / file
        if not path.exists() or not re.search(rf"^def {name}\(", path.read_text(), re.M):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_every_parametrised_case_named_in_the_hazard_log_exists():
    references = _references()
    cases = [(file, name, case) for file, name, case in references if case]
    assert len(cases) > 20
    collected = _collected({file for file, _, _ in cases})
    missing = [
        f"{file}::{name}[{case}]"
        for file, name, case in cases
        if f"{file}::{name}[{case}]" not in collected
    ]
    assert missing == []


def test_the_reference_pattern_reads_cases():
    text = "`test_rules.py::test_escalation[red-flag]` and `tests/wizard/test_flow.py::test_x`"
    assert REFERENCE.findall(text) == [
        ("test_rules.py", "test_escalation", "red-flag"),
        ("tests/wizard/test_flow.py", "test_x", ""),
    ]
