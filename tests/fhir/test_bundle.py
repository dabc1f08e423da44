"""An encounter as a FHIR Bundle: valid, coded as stated, self-contained, what was stored (never
recomputed), and with the JSON export's access rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fhir.helpers import FHIR_JSON, validated
from tests.review.factories import SubmittedEncounterFactory
from triage.actions.encounters import start_reassessment
from triage.clinical import assess
from triage.fhir.response import parse_response
from triage.fhir.terminology import (
    ESCALATION_EXTENSION,
    GUIDANCE_VERSION,
    NHS_NUMBER,
    QUESTIONNAIRE_URL,
    RULES_VERSION,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"


def url(encounter) -> str:
    return f"/api/v1/encounters/{encounter.pk}/fhir"


@pytest.fixture
def bundle(physician_client, exported) -> dict[str, Any]:
    response = physician_client.get(url(exported))
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    return response.json()


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_reference(bundle: dict) -> dict[str, dict]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def references(value: Any) -> list[str]:
    """Every `reference` anywhere in `value`."""
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for child in value.values() for ref in references(child)]
    if isinstance(value, list):
        return [ref for child in value for ref in references(child)]
    return []


def codes(resource: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in resource["code"]["coding"]}


def test_the_bundle_and_every_resource_in_it_is_valid_fhir(bundle):
    model = validated(bundle)
    assert model.type == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2
    assert kinds.count("RiskAssessment") == 2
    assert kinds.count("Provenance") == 1
    assert kinds.count("Patient") == 1


def test_every_reference_resolves_inside_the_bundle(bundle):
    entries = by_reference(bundle)
    found = references(bundle)
    assert len(found) > 30
    assert [ref for ref in found if ref not in entries] == []
    for full_url, resource in entries.items():
        assert full_url == f"urn:uuid:{resource['id']}"


def test_the_same_encounter_always_exports_the_same_ids(physician_client, exported, bundle):
    again = physician_client.get(url(exported)).json()
    assert list(by_reference(again)) == list(by_reference(bundle))


def test_vital_signs_carry_their_loinc_codes_and_ucum_units(bundle):
    units: dict[str, set[str]] = {}
    for observation in resources(bundle, "Observation"):
        if "valueQuantity" in observation and observation["category"][0]["coding"][0]["code"] == (
            "vital-signs"
        ):
            quantity = observation["valueQuantity"]
            assert quantity["system"] == UCUM
            for system, code in codes(observation):
                if system == LOINC:
                    units.setdefault(code, set()).add(quantity["code"])
    assert units == {
        "9279-1": {"/min"},
        "59408-5": {"%"},
        "2708-6": {"%"},
        "8480-6": {"mm[Hg]"},
        "8867-4": {"/min"},
        "8310-5": {"Cel"},
    }


def test_the_recorded_values_are_the_rounds_findings(bundle, exported):
    round_2 = exported.rounds.get(number=2)
    vitals = round_2.findings["vitals"]
    rate = [
        o["valueQuantity"]["value"]
        for o in resources(bundle, "Observation")
        if (LOINC, "9279-1") in codes(o)
    ]
    assert sorted(rate) == sorted(
        [
            exported.rounds.get(number=1).findings["vitals"]["respiratory_rate"],
            vitals["respiratory_rate"],
        ]
    )
    assert vitals["respiratory_rate"] == 26


def test_acvpu_and_air_or_oxygen_are_coded_as_the_nhs_news2_guidance_codes_them(bundle):
    acvpu = [
        o for o in resources(bundle, "Observation") if (SNOMED, "1104441000000107") in codes(o)
    ]
    assert len(acvpu) == 2
    assert {(c["system"], c["code"]) for c in acvpu[0]["valueCodeableConcept"]["coding"]} >= {
        (SNOMED, "248234008")  # alert
    }
    air = [o for o in resources(bundle, "Observation") if (SNOMED, "722742002") in codes(o)]
    assert len(air) == 2
    assert not [key for o in air for key in o if key.startswith("value")]  # code-only


def test_the_news2_total_is_an_observation_with_its_seven_sub_scores(bundle, exported):
    totals = [
        o for o in resources(bundle, "Observation") if (SNOMED, "1104051000000101") in codes(o)
    ]
    assert len(totals) == 2
    stored = [r.assessment["news2"] for r in exported.rounds.order_by("number")]
    assert sorted(t["valueQuantity"]["value"] for t in totals) == sorted(s["score"] for s in stored)
    entries = by_reference(bundle)
    for total in totals:
        assert total["valueQuantity"]["code"] == "{score}"
        assert len(total["component"]) == 7
        assert (
            sum(c["valueQuantity"]["value"] for c in total["component"])
            == (total["valueQuantity"]["value"])
        )
        derived = [entries[ref["reference"]] for ref in total["derivedFrom"]]
        assert len(derived) == 7
        assert all(resource["resourceType"] == "Observation" for resource in derived)


def test_each_round_is_a_response_that_gives_back_its_stored_assessment(bundle, exported):
    responses = resources(bundle, "QuestionnaireResponse")
    rounds = list(exported.rounds.order_by("number"))
    for response, round in zip(responses, rounds, strict=True):
        assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|v2"
        assert response["status"] == "completed"
        assert response["authored"] == round.submitted_at.isoformat()
        assert response["author"]["display"] == "nurse1"
        assert parse_response(response).to_dict() == round.findings
        again = assess(parse_response(response)).to_dict()
        assert contract_keys(again) == contract_keys(round.assessment)


def contract_keys(assessment: dict) -> dict:
    """The contract's keys of an assessment (codes and statuses, not the words)."""
    return {
        "red_flags": [flag["code"] for flag in assessment["red_flags"]],
        "pathways": [(p["code"], p["status"]) for p in assessment["pathways"]],
        **{
            key: assessment[key]
            for key in ("news2", "imaging", "escalation", "not_assessed", "incomplete")
        },
    }


def test_the_risk_assessment_carries_the_escalation_pathways_and_overrides(bundle, exported):
    first, second = resources(bundle, "RiskAssessment")
    escalation = first["extension"][0]
    assert escalation["url"] == ESCALATION_EXTENSION
    assert escalation["valueCodeableConcept"]["coding"][0]["code"] == "emergency"
    stored = exported.rounds.get(number=1).assessment
    assert [
        (p["outcome"]["coding"][0]["code"], p["qualitativeRisk"]["coding"][0]["code"])
        for p in first["prediction"]
    ] == [(p["code"], p["status"]) for p in stored["pathways"]]
    assert ("cord_compression", "suspected") in [
        (p["outcome"]["coding"][0]["code"], p["qualitativeRisk"]["coding"][0]["code"])
        for p in first["prediction"]
    ]
    override = [note for note in first["note"] if "override" in note["text"]]
    assert len(override) == 1
    assert "suspected -> confirmed" in override[0]["text"]
    assert (
        by_reference(bundle)[override[0]["authorReference"]["reference"]]["identifier"][0]["value"]
        == "physician1"
    )
    assert "override" not in str(second.get("note"))


def test_a_flag_per_red_flag_of_each_round(bundle, exported):
    flags = [f["code"]["coding"][0]["code"] for f in resources(bundle, "Flag")]
    stored = [
        flag["code"]
        for r in exported.rounds.order_by("number")
        for flag in r.assessment["red_flags"]
    ]
    assert flags == stored
    assert "progressive_neuro_deficit" in flags
    assert {f["status"] for f in resources(bundle, "Flag")} == {"active"}


def test_each_rounds_resources_carry_the_rules_and_guidance_versions(bundle, exported):
    number = exported.rounds.get(number=1).guidance_version.number
    for kind in ("QuestionnaireResponse", "Observation", "RiskAssessment", "Flag"):
        for resource in resources(bundle, kind):
            tags = {(t["system"], t["code"]) for t in resource["meta"]["tag"]}
            assert tags == {(RULES_VERSION, "v2"), (GUIDANCE_VERSION, str(number))}, kind


def test_the_sign_off_is_a_provenance_with_the_signer_and_time(bundle, exported):
    (provenance,) = resources(bundle, "Provenance")
    sign_off = exported.sign_off
    assert provenance["recorded"] == sign_off.signed_at.isoformat()
    signer = by_reference(bundle)[provenance["agent"][0]["who"]["reference"]]
    assert signer["identifier"][0]["value"] == "physician1"
    targets = {t["reference"] for t in provenance["target"]}
    kinds = {by_reference(bundle)[t]["resourceType"] for t in targets}
    assert {"QuestionnaireResponse", "RiskAssessment", "Observation", "Flag"} <= kinds


def test_the_patient_is_only_the_identifier_the_product_stores(
    bundle, make_encounter, physician_client
):
    (patient,) = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    assert patient["identifier"][0]["value"] == "RED001"
    assert "system" not in patient["identifier"][0]  # a hospital number: its issuer is unknown
    nhs = make_encounter(patient_identifier="9434765919")
    (patient,) = resources(physician_client.get(url(nhs)).json(), "Patient")
    assert patient["identifier"] == [{"system": NHS_NUMBER, "value": "9434765919"}]


def test_an_unsigned_encounter_has_no_provenance_and_a_draft_round_is_not_exported(
    physician_client, red_flag_encounter, nurse
):
    start_reassessment(encounter=red_flag_encounter, by=nurse)
    bundle = physician_client.get(url(red_flag_encounter)).json()
    validated(bundle)
    assert resources(bundle, "Provenance") == []
    assert len(resources(bundle, "QuestionnaireResponse")) == 1


def test_a_round_assessed_under_rules_v1_answers_version_v1(physician_client, with_v1_round):
    red_flag_encounter = with_v1_round
    bundle = physician_client.get(url(red_flag_encounter)).json()
    validated(bundle)
    versions = [r["questionnaire"] for r in resources(bundle, "QuestionnaireResponse")]
    assert versions == [f"{QUESTIONNAIRE_URL}|v2", f"{QUESTIONNAIRE_URL}|v1"]


# Access (as the JSON export's): tests/review/test_export_access.py


def test_another_encounter_of_the_same_ward_is_its_own_bundle(
    physician_client, red_flag_encounter, nurse
):
    other = SubmittedEncounterFactory(ward=nurse.wards.get(), created_by=nurse)
    one = physician_client.get(url(red_flag_encounter)).json()
    two = physician_client.get(url(other)).json()
    assert not set(by_reference(one)) & set(by_reference(two))
    assert two["identifier"]["value"] == str(other.pk)


def test_escalation_calls_and_their_acknowledgement_are_in_the_bundle(
    physician_client, make_encounter, nurse, physician
):
    from tests.review.factories import BREATHLESS, record_registrar_call
    from triage.actions import escalation

    encounter = make_encounter(patient_identifier="AMB002", answers=BREATHLESS)
    record_registrar_call(encounter.rounds.get(number=1), by=nurse)
    escalation.acknowledge(encounter=encounter, by=physician, expected_version=None)
    bundle = physician_client.get(url(encounter)).json()
    validated(bundle)
    entries = by_reference(bundle)
    assert [ref for ref in references(bundle) if ref not in entries] == []

    (call,) = resources(bundle, "Communication")
    (risk,) = resources(bundle, "RiskAssessment")
    assert call["status"] == "completed"
    assert call["recipient"] == [{"display": "Dr Okafor (Registrar)"}]
    assert call["medium"] == [{"text": "Bleep"}]
    assert call["payload"] == [{"contentString": "Attending now"}]
    assert entries[call["sender"]["reference"]]["identifier"][0]["value"] == "nurse1"
    assert entries[call["about"][0]["reference"]] == risk

    (acknowledgement,) = resources(bundle, "Provenance")  # not signed off yet
    assert acknowledgement["activity"]["text"] == "Escalation acknowledged by a physician"
    who = entries[acknowledgement["agent"][0]["who"]["reference"]]
    assert who["identifier"][0]["value"] == "physician1"
    targets = {entries[t["reference"]]["resourceType"] for t in acknowledgement["target"]}
    assert targets == {"RiskAssessment", "Communication"}


def test_a_round_with_no_call_recorded_has_no_communication(bundle):
    assert resources(bundle, "Communication") == []


def test_the_discharge_is_a_care_plan(physician_client, make_encounter, nurse):
    from tests.review.factories import discharge_now

    encounter = make_encounter(patient_identifier="HOME01")
    discharge_now(encounter, by=nurse)
    bundle = physician_client.get(url(encounter)).json()
    validated(bundle)
    (plan,) = resources(bundle, "CarePlan")
    entries = by_reference(bundle)
    assert entries[plan["author"]["reference"]]["identifier"][0]["value"] == "nurse1"
    assert entries[plan["subject"]["reference"]]["resourceType"] == "Patient"
    follow_up, osteoporosis = (activity["detail"] for activity in plan["activity"])
    assert follow_up["description"] == "Follow-up with Spinal clinic"
    assert follow_up["scheduledPeriod"]["start"] == encounter.discharge.follow_up_on.isoformat()
    assert osteoporosis == {
        "status": "scheduled",
        "description": "Referred for osteoporosis treatment",
    }
    assert [note["text"] for note in plan["note"]] == [
        "Supervised mobilisation done.",
        "Pain controlled on the discharge analgesia.",
        "Told to report sudden or new back pain at once, by Staff nurse.",
    ]


def test_a_patient_not_discharged_has_no_care_plan(bundle):
    assert resources(bundle, "CarePlan") == []
