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
        "escalation_call",
        "sign_off",
        "addenda",
        "rounds",
        "discharge",
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


def test_the_export_carries_the_escalation_record_and_the_discharge(
    physician_client, make_encounter, nurse, physician, django_assert_max_num_queries
):
    from tests.api.test_openapi import validator
    from tests.review.factories import BREATHLESS, discharge_now, reassess, record_registrar_call
    from triage.actions import escalation

    encounter = make_encounter(patient_identifier="AMB002", answers=BREATHLESS)
    round = encounter.rounds.get(number=1)
    before = physician_client.get(url(encounter)).json()
    assert before["escalation_call"] == "missing"
    assert before["rounds"][0]["escalation_calls"] == []
    assert before["rounds"][0]["escalation_acknowledgement"] is None
    assert before["discharge"] is None

    record_registrar_call(round, by=nurse)
    escalation.acknowledge(encounter=encounter, by=physician, expected_version=None)
    reassess(encounter, by=nurse)  # settled: no red flag left open
    discharge_now(encounter, by=nurse)
    with django_assert_max_num_queries(6):
        data = physician_client.get(url(encounter)).json()
    assert data["escalation_call"] == "acknowledged"
    fits = validator("EncounterExport").iter_errors(data)
    assert [error.message for error in fits] == []
    (call,) = data["rounds"][0]["escalation_calls"]
    assert call | {"called_at": None, "recorded_at": None} == {
        "informed_role": "registrar",
        "informed_name": "Dr Okafor",
        "method": "bleep",
        "called_at": None,
        "response": "attending",
        "response_detail": "",
        "recorded_by": "nurse1",
        "recorded_at": None,
    }
    assert data["rounds"][0]["escalation_acknowledgement"]["by"] == "physician1"
    assert data["rounds"][1]["escalation_calls"] == []
    assert data["discharge"] | {"discharged_at": None} == {
        "discharged_by": "nurse1",
        "discharged_at": None,
        "mobilised": True,
        "pain_controlled": True,
        "follow_up_on": data["discharge"]["follow_up_on"],
        "follow_up_with": "Spinal clinic",
        "educated_by": "Staff nurse",
        "osteoporosis": "referred",
        "osteoporosis_reason": "",
    }
