"""Guidance version 1 shipped with the product for the version 1 rules; version 2 retired it,
and the rounds that showed it keep showing it."""

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


# The keys of the version 1 rules: 5 red flags, 7 pathways, 3 imaging urgencies, general.
V1_KEYS = (
    *(f"red_flag.{code}" for code in ("cord_compression", "progressive_neuro_deficit",
                                      "respiratory_distress", "news2_high", "uncontrolled_pain")),
    *(f"pathway.{code}" for code in ("cord_compression", "cement_embolism", "cement_leak_neural",
                                     "adjacent_fracture", "cement_leak_venous",
                                     "cement_leak_intradiscal", "transient_pain")),
    "imaging.emergency", "imaging.urgent", "imaging.done", "general",
)  # fmt: skip


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", text.lower())


def test_the_fixture_has_one_complete_entry_per_guidance_key():
    """Per key of the version 1 rules: the keys v2 added are version 2's (test_guidance_v2)."""
    keys = [entry["key"] for entry in FIXTURE["entries"]]
    assert sorted(keys) == sorted(V1_KEYS)
    assert set(V1_KEYS) < set(GUIDANCE_KEYS)
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
    """Published by 0007, retired since by 0012 (test_migration_v2), its text unchanged."""
    version = GuidanceVersion.objects.get(number=1)
    assert version == v1 and version.published_at is not None
    assert version.status == GuidanceVersion.Status.RETIRED
    assert version.change_summary == FIXTURE["change_summary"]
    stored = {
        e.key: {"title": e.title, "body": e.body, "actions": e.actions, "citations": e.citations}
        for e in version.entries.all()
    }
    assert stored == {
        e["key"]: {k: v for k, v in e.items() if k != "key"} for e in FIXTURE["entries"]
    }
