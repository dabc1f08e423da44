"""Reading assessments stored under an earlier contract, and re-assessing their findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.clinical import assess_json, parse_findings
from triage.clinical.snapshots import (
    ESCALATION_RANK,
    contract_of,
    stored_escalation,
    upgrade_findings,
)

V1_ROUNDS = json.loads(
    (Path(__file__).resolve().parents[1] / "lookback" / "v1_snapshots.json").read_text()
)["rounds"]


def test_the_v1_snapshots_are_real_v1_assessments():
    assert len(V1_ROUNDS) == 12
    assert {contract_of(r["assessment"]) for r in V1_ROUNDS} == {"v1"}
    assert all("escalation" not in r["assessment"] for r in V1_ROUNDS)


@pytest.mark.parametrize(
    ("snapshot", "escalation"),
    [
        ({"contract": "v2", "escalation": "routine", "red_flags": [{"code": "x"}]}, "routine"),
        ({"contract": "v1", "red_flags": [{"code": "respiratory_distress"}]}, "emergency"),
        (
            {"contract": "v1", "red_flags": [], "pathways": [{"code": "transient_pain"}]},
            "routine",
        ),
        (
            {"contract": "v1", "red_flags": [], "pathways": [{"code": "adjacent_fracture"}]},
            "urgent",
        ),
        ({"contract": "v1", "red_flags": [], "pathways": []}, "urgent"),
        ({}, "urgent"),
    ],
)
def test_the_escalation_a_stored_assessment_implies(snapshot: dict, escalation: str):
    assert stored_escalation(snapshot) == escalation


def test_v1_escalations_read_from_the_snapshots_match_what_they_said():
    said = {r["name"]: stored_escalation(r["assessment"]) for r in V1_ROUNDS}
    assert said["unresponsive-systolic-90"] == "routine"  # what v1 wrongly said
    assert said["chest-pain-respiratory-distress"] == "emergency"
    assert said["worse-pain-at-100-hours"] == "urgent"


def test_escalation_ranks_order_the_queue():
    assert sorted(ESCALATION_RANK, key=ESCALATION_RANK.__getitem__) == [
        "routine",
        "urgent",
        "emergency",
    ]


def test_every_v1_snapshot_can_be_reassessed_under_the_current_rules():
    for stored in V1_ROUNDS:
        findings = upgrade_findings(stored["findings"], "v1")
        assert parse_findings(findings) is not None
        assert assess_json(findings).to_dict()["contract"] == "v2"


def test_upgrading_never_changes_what_was_stored():
    stored = {"imaging": {"status": "done", "modality": "ct", "findings": []}}
    before = json.dumps(stored)
    upgraded = upgrade_findings(stored, "v1")
    assert upgraded["imaging"]["findings"] == ["no_leak"]
    assert json.dumps(stored) == before


def test_a_v1_scan_excludes_nothing_and_a_v1_neuro_exam_is_incomplete_under_v2():
    stored = next(r for r in V1_ROUNDS if r["name"] == "new-weakness-mri-clear")
    result = assess_json(upgrade_findings(stored["findings"], "v1")).to_dict()
    assert [p["code"] for p in result["pathways"]] == ["cord_compression"]
    assert result["incomplete"] == ["neuro"]


def test_v2_findings_pass_through_and_unknown_versions_are_refused():
    findings = {"symptoms": {"pain_score": 3}}
    assert upgrade_findings(findings, "v2") == findings
    with pytest.raises(ValueError, match="unknown contract version"):
        upgrade_findings(findings, "v0")
