"""Guidance version 1 ships with the product and is what new encounters show."""

import json
import re

import pytest

from tests.foundation.helpers import ROOT
from triage.clinical import GUIDANCE_KEYS
from triage.clinical.explain import (
    GENERAL_SOURCES,
    IMAGING_SOURCES,
    PATHWAY_SOURCES,
    RED_FLAG_SOURCES,
)
from triage.models import GuidanceVersion

FIXTURE = json.loads((ROOT / "fixtures" / "guidance-v1.json").read_text())
SEED = (ROOT.parent / "shared" / "seed" / "post-vertebroplasty-pain-guidance.txt").read_text()
ENGINE_SOURCES = {
    **{f"red_flag.{code}": set(s) for code, s in RED_FLAG_SOURCES.items()},
    **{f"pathway.{code}": set(s) for code, s in PATHWAY_SOURCES.items()},
    **{f"imaging.{code}": set(s) for code, s in IMAGING_SOURCES.items()},
    "general": set(GENERAL_SOURCES),
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", text.lower())


def test_the_fixture_has_one_complete_entry_per_guidance_key():
    keys = [entry["key"] for entry in FIXTURE["entries"]]
    assert sorted(keys) == sorted(GUIDANCE_KEYS)
    assert FIXTURE["number"] == 1
    assert FIXTURE["change_summary"] == "Initial guidance paraphrased from the clinical source"
    for entry in FIXTURE["entries"]:
        assert entry["title"].strip() and entry["body"].strip() and entry["actions"].strip()
        assert all(1 <= n <= 7 for n in entry["citations"]), entry["key"]


def test_every_source_the_engine_cites_for_a_key_is_cited_by_its_guidance():
    for entry in FIXTURE["entries"]:
        assert ENGINE_SOURCES[entry["key"]] <= set(entry["citations"]), entry["key"]


def test_the_fixture_paraphrases_rather_than_copies_the_seed():
    """No run of eight words of the seed appears in any entry."""
    seed = words(SEED)
    runs = {tuple(seed[i : i + 8]) for i in range(len(seed) - 7)}
    for entry in FIXTURE["entries"]:
        text = words(" ".join((entry["title"], entry["body"], entry["actions"])))
        copied = [" ".join(text[i : i + 8]) for i in range(len(text) - 7)]
        assert not [run for run in copied if tuple(run.split()) in runs], entry["key"]


@pytest.mark.django_db
def test_a_migration_publishes_version_1_from_the_fixture(v1):
    version = GuidanceVersion.objects.get(status=GuidanceVersion.Status.PUBLISHED)
    assert version == v1 and version.number == 1 and version.published_at is not None
    assert version.change_summary == FIXTURE["change_summary"]
    stored = {
        e.key: {"title": e.title, "body": e.body, "actions": e.actions, "citations": e.citations}
        for e in version.entries.all()
    }
    assert stored == {
        e["key"]: {k: v for k, v in e.items() if k != "key"} for e in FIXTURE["entries"]
    }
