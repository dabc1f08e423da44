"""docs/security.md is only as good as the tests it names: every file and test it cites exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
# `tests/x/test_y.py` or `tests/x/test_y.py::test_name`, as the table cells cite them.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?")


def test_every_test_named_in_the_security_document_exists():
    references = REFERENCE.findall(DOC.read_text())
    assert len(references) > 40
    missing = []
    for file, name in references:
        path = ROOT / file
        if not path.exists():
            missing.append(file)
        elif name and not re.search(rf"^\s*def {name}\(", path.read_text(), re.M):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_the_reference_pattern_reads_files_and_names():
    text = "`tests/a/test_b.py::test_c`, `tests/d/test_e.py` and `::test_f`"
    assert REFERENCE.findall(text) == [("tests/a/test_b.py", "test_c"), ("tests/d/test_e.py", "")]
