"""The hazard log's controls are only as good as the tests it names: every one must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"`((?:tests/)?[\w/]*test_\w+\.py)::(\w+)")


def test_every_test_named_in_the_hazard_log_exists():
    log = (ROOT / "docs" / "hazard-log.md").read_text()
    references = REFERENCE.findall(log)
    assert len(references) > 30
    missing = []
    for file, name in references:
        path = ROOT / file if file.startswith("tests/") else ROOT / "tests" / "clinical" / file
        if not path.exists() or not re.search(rf"^def {name}\(", path.read_text(), re.M):
            missing.append(f"{file}::{name}")
    assert missing == []
