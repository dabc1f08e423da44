"""The product paraphrases its clinical source and never copies it: no run of eight
consecutive words of the seed appears in any text the product shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.foundation.helpers import ROOT

SEED = ROOT.parent / "shared" / "seed" / "post-vertebroplasty-pain-guidance.txt"
RUN = 8


def words(text: str) -> list[str]:
    """Lowercase alphanumeric tokens: punctuation and case never hide a copied run."""
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


def json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return []


def product_texts() -> dict[str, list[str]]:
    """Each checked file's texts: a guidance fixture's strings (each entry as one text), the
    source of the engine's words, the forms and every template."""
    texts: dict[str, list[str]] = {}
    for path in sorted((ROOT / "fixtures").glob("guidance-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.pop("entries")
        texts[path.name] = [*json_strings(data), *("\n".join(json_strings(e)) for e in entries)]
    sources: list[Path] = [
        ROOT / "triage" / "clinical" / "explain.py",
        *sorted((ROOT / "triage" / "forms").glob("*.py")),
        *sorted((ROOT / "templates").glob("**/*.html")),
    ]
    for path in sources:
        # A "\n" inside a Python string is a line break, not the letter n before a word.
        texts[str(path.relative_to(ROOT))] = [path.read_text(encoding="utf-8").replace("\\n", " ")]
    return texts


def test_no_run_of_eight_words_of_the_seed_appears_in_the_product():
    seed = runs(words(SEED.read_text(encoding="utf-8")))
    texts = product_texts()
    assert "guidance-v2.json" in texts and "triage/clinical/explain.py" in texts
    assert any(name.startswith("templates/") for name in texts)
    copied = sorted(
        f"{name}: {' '.join(run)}"
        for name, chunks in texts.items()
        for chunk in chunks
        for run in runs(words(chunk)) & seed
    )
    assert copied == []


def test_the_check_finds_a_copied_run():
    assert words("Bed rest for 24-48 hours, and REASSURANCE.") == [
        "bed", "rest", "for", "24", "48", "hours", "and", "reassurance"
    ]  # fmt: skip
    seed = runs(words(SEED.read_text(encoding="utf-8")))
    copied = "Manage with: Adequate analgesia (opioids if needed), bed rest for 24-48 hours"
    paraphrased = "Give adequate analgesia, including opioids when needed; bed rest for 24 to 48 h"
    assert runs(words(copied)) & seed
    assert not runs(words(paraphrased)) & seed
