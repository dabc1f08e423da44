"""The JSON export of one encounter: its shape, and the encounter's access rules."""

from __future__ import annotations


def url(encounter) -> str:
    return f"/api/v1/encounters/{encounter.pk}"


def test_the_export_has_every_round_and_the_review(physician_client, exported, ward):
    response = physician_client.get(url(exported))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {
        "export",
        "id",
        "ward",
        "patient_identifier",
        "procedure_at",
        "levels",
        "created_by",
        "created_at",
        "submitted_at",
        "sign_off",
        "addenda",
        "rounds",
    }
    assert data["id"] == str(exported.pk)
    assert data["ward"] == {"id": ward.pk, "name": "Spinal ward"}
    assert data["patient_identifier"] == "RED001"
    assert data["created_by"] == "nurse1"
    assert data["sign_off"]["signed_by"] == "physician1"
    assert data["sign_off"]["comment"] == "Seen"
    assert [a["text"] for a in data["addenda"]] == ["Surgery"]
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    for exported_round, round in zip(
        data["rounds"], exported.rounds.order_by("number"), strict=True
    ):
        # Exactly what was stored (and shown) at submission.
        assert exported_round["findings"] == round.findings
        assert exported_round["assessment"] == round.assessment
        assert exported_round["status"] == "submitted"
        assert exported_round["submitted_by"] == "nurse1"
        assert exported_round["guidance_version"] == round.guidance_version.number
        assert exported_round["rules_version"] == round.rules_version == "v2"
    first, second = data["rounds"]
    assert first["assessment"]["contract"] == "v2"
    assert [f["code"] for f in first["assessment"]["red_flags"]] == ["progressive_neuro_deficit"]
    assert first["overrides"] == [
        {
            "id": first["overrides"][0]["id"],
            "kind": "pathway",
            "code": "cord_compression",
            "original": "suspected",
            "decision": "confirmed",
            "reason": "MRI: cement in the canal",
            "by": "physician1",
            "at": first["overrides"][0]["at"],
        }
    ]
    assert second["overrides"] == []


def test_each_round_says_the_rules_it_was_assessed_under(physician_client, with_v1_round, nurse):
    """A round submitted before the rules changed keeps its v1 snapshot, and says so."""
    from tests.lookback.conftest import V1_SNAPSHOTS
    from triage.actions.encounters import start_reassessment

    red_flag_encounter = with_v1_round
    old = V1_SNAPSHOTS[0]
    start_reassessment(encounter=red_flag_encounter, by=nurse)  # a draft round 3
    rounds = physician_client.get(url(red_flag_encounter)).json()["rounds"]
    assert [(r["number"], r["status"], r["rules_version"]) for r in rounds] == [
        (1, "submitted", "v2"),
        (2, "submitted", "v1"),
        (3, "draft", None),
    ]
    assert rounds[1]["assessment"] == old["assessment"]  # as stored, never recomputed
