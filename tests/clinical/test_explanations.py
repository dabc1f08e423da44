"""The explanations around the contract keys: reasons, triggers, actions, sources, guidance."""

from __future__ import annotations

import json

import pytest

from tests.clinical.helpers import COMPLETE, patient, result_of, scan
from triage.clinical import (
    CONTRACT_VERSION,
    GUIDANCE_KEYS,
    IMAGING_CODES,
    PATHWAY_CODES,
    RED_FLAG_CODES,
    SOURCES,
    describe_finding,
)

# Between them these raise every red flag and every pathway in each of its forms.
SCENARIOS = [
    patient(
        symptoms={"pain_score": 9, "uncontrolled_despite_analgesia": True, "chest_pain": True},
        neuro={"motor": "new_deficit"},
        vitals={"respiratory_rate": 25, "consciousness": "U", "systolic_bp": 90},
        imaging=scan(
            "cord_compression", "pulmonary_cement_embolism", "epidural_leak", modality="mri"
        ),
    ),
    patient(
        symptoms={
            "radicular_pain": True,
            "dyspnoea": True,
            "pain_course": "sudden_increase_after_improvement",
        },
        neuro={"sensory": "worsening_deficit"},
        imaging={"status": "requested"},
    ),
    patient(imaging=scan("new_adjacent_fracture", "paravertebral_venous_leak", "intradiscal_leak")),
    COMPLETE,
]
SUSPECTED_ONLY = {"transient_pain"}
CONFIRMED_ONLY = {"cement_leak_venous", "cement_leak_intradiscal"}


def all_objects() -> tuple[list[dict], list[dict]]:
    red_flags, pathways = [], []
    for findings in SCENARIOS:
        result = result_of(findings)
        red_flags += result["red_flags"]
        pathways += result["pathways"]
    return red_flags, pathways


def test_the_scenarios_cover_every_red_flag_and_pathway_form():
    red_flags, pathways = all_objects()
    assert {f["code"] for f in red_flags} == set(RED_FLAG_CODES)
    expected = {
        (code, status)
        for code in PATHWAY_CODES
        for status in ("suspected", "confirmed")
        if not (code in SUSPECTED_ONLY and status == "confirmed")
        and not (code in CONFIRMED_ONLY and status == "suspected")
    }
    assert {(p["code"], p["status"]) for p in pathways} == expected


def _check_explained(item: dict, kind: str) -> None:
    assert item["title"] and item["reason"]
    assert item["because"] and all(isinstance(b, str) and b for b in item["because"])
    assert item["actions"] and all(isinstance(a, str) and a for a in item["actions"])
    assert all(source in SOURCES for source in item["sources"])
    assert item["guidance_key"] == f"{kind}.{item['code']}"
    assert item["guidance_key"] in GUIDANCE_KEYS


def test_every_red_flag_is_explained():
    red_flags, _ = all_objects()
    for flag in red_flags:
        _check_explained(flag, "red_flag")
        if flag["code"] == "news2_high":
            assert flag["sources"] == [] and "NEWS" in flag["reference"]
        else:
            assert flag["sources"]


def test_every_pathway_is_explained():
    _, pathways = all_objects()
    for pathway in pathways:
        _check_explained(pathway, "pathway")
        assert pathway["sources"]


def test_suspected_and_confirmed_pathways_advise_differently():
    _, pathways = all_objects()
    advice = {(p["code"], p["status"]): p["actions"] for p in pathways}
    assert advice["cord_compression", "suspected"] != advice["cord_compression", "confirmed"]
    assert any("MRI" in a for a in advice["cord_compression", "suspected"])
    assert any("STIR" in a for a in advice["adjacent_fracture", "suspected"])


def test_the_progressive_neuro_deficit_actions_call_the_spinal_team_and_re_examine():
    flag = result_of(patient(neuro={"motor": "new_deficit"}))["red_flags"][0]
    assert flag["title"] == "Progressive neurological deficit"
    assert flag["reason"] == "New lower-limb weakness"
    assert flag["actions"][0] == "Call the on-call spinal team now"
    assert any(a.startswith("Emergency MRI (or CT") for a in flag["actions"])
    assert any(a.startswith("Repeat the neurological examination") for a in flag["actions"])
    assert flag["sources"] == [1, 3]


def test_a_suspected_pathway_names_the_imaging_status_it_waited_for():
    result = result_of(patient(neuro={"motor": "new_deficit"}, imaging={"status": "requested"}))
    assert result["pathways"][0]["because"] == [
        "red_flags includes progressive_neuro_deficit",
        "imaging.status = requested (not done)",
    ]


def test_the_imaging_detail_explains_the_urgency():
    emergency = result_of(patient(symptoms={"chest_pain": True}))["imaging_detail"]
    assert emergency["reason"] == "Red flag: Respiratory distress"
    assert emergency["because"] == ["red_flags includes respiratory_distress"]
    done = result_of(patient(imaging=scan("epidural_leak", modality="mri")))["imaging_detail"]
    assert done["reason"] == "MRI done: Epidural cement leak"
    clear = result_of(patient(imaging=scan("no_leak")))["imaging_detail"]
    assert clear["reason"] == "CT done: nothing abnormal recorded"
    urgent = result_of(COMPLETE)["imaging_detail"]
    assert urgent["because"] == ["imaging.status = not_done (not done)"]
    for detail in (emergency, done, urgent):
        assert detail["actions"] and detail["sources"]


def test_the_news2_detail_gives_sub_scores_response_and_monitoring():
    detail = result_of(COMPLETE)["news2_detail"]
    assert detail["score"] == 0 and detail["band"] == "low"
    assert set(detail["sub_scores"]) == {
        "respiratory_rate",
        "spo2",
        "air_or_oxygen",
        "systolic_bp",
        "heart_rate",
        "consciousness",
        "temperature",
    }
    assert "registered nurse" in detail["response"]
    assert "12 hours" in detail["monitoring"]


def test_the_general_advice_is_always_there():
    for findings in ({}, COMPLETE):
        advice = result_of(findings)["advice"]
        assert advice["guidance_key"] == "general"
        assert advice["actions"] and advice["sources"]


@pytest.mark.parametrize(
    ("section", "start"),
    [
        ("symptoms", "Symptoms not assessed: their absence cannot be assumed"),
        (
            "neuro",
            "Neuro exam not assessed: a normal result cannot be assumed; examine lower-limb "
            "power, sensation and bowel/bladder function",
        ),
        ("vitals", "Vital signs not assessed: NEWS2 cannot be scored"),
        ("imaging", "Imaging not recorded: it is treated as not done"),
    ],
)
def test_each_section_not_assessed_is_named_in_a_warning(section: str, start: str):
    findings = patient(**{section: None})
    warnings = result_of(findings)["warnings"]
    assert any(w.startswith(start) for w in warnings)


def test_partly_recorded_sections_are_named():
    findings = {
        "symptoms": {"pain_score": 3},
        "neuro": {"motor": "normal"},
        "vitals": {"respiratory_rate": 16, "spo2": 97},
    }
    warnings = result_of(findings)["warnings"]
    assert any(
        w.startswith("Symptoms partly recorded: pain_course, radicular_pain, chest_pain, dyspnoea")
        for w in warnings
    )
    assert any(w.startswith("Neuro exam partly recorded: sensory, bowel_bladder") for w in warnings)
    assert any(
        w.startswith(
            "NEWS2 not scored: on_oxygen, systolic_bp, heart_rate, consciousness, temperature"
        )
        for w in warnings
    )


def test_a_complete_unremarkable_patient_has_no_warnings():
    assert result_of(COMPLETE)["warnings"] == []


def test_an_unchecked_patient_is_never_reassured():
    for findings in (
        {},
        {"symptoms": {"pain_score": 2}},
        patient(neuro=None),
        patient(vitals=None),
    ):
        text = json.dumps(result_of(findings)["pathways"])
        assert "transient_pain" not in text
        assert "reassur" not in text.lower()


def test_the_contract_version_and_code_lists():
    assert CONTRACT_VERSION == "v1"
    assert result_of({})["contract"] == "v1"
    assert IMAGING_CODES == ("emergency", "urgent", "done")
    assert {n: f"[{n}]" for n in range(1, 8)} == SOURCES


def test_the_guidance_keys_are_stable_and_unique():
    assert len(GUIDANCE_KEYS) == len(set(GUIDANCE_KEYS)) == 16
    assert GUIDANCE_KEYS[0] == "red_flag.cord_compression"
    assert "pathway.transient_pain" in GUIDANCE_KEYS
    assert {"imaging.emergency", "imaging.urgent", "imaging.done", "general"} <= set(GUIDANCE_KEYS)


@pytest.mark.parametrize(
    ("path", "value", "text"),
    [
        ("neuro.motor", "new_deficit", "New lower-limb weakness"),
        ("neuro.sensory", "stable_deficit", "Known, unchanged lower-limb sensory loss"),
        ("symptoms.dyspnoea", True, "Breathlessness"),
        ("symptoms.pain_score", 8, "Pain 8/10"),
        ("vitals.spo2", 91, "SpO2 91%"),
        ("vitals.temperature", 38.5, "Temperature 38.5 °C"),
        ("vitals.consciousness", "V", "Responds only to voice"),
        ("imaging.findings", "cord_compression", "Spinal cord compression"),
        ("procedure.hours_since", 30.0, "30 hours since the procedure"),
        ("procedure.levels", ["T12", "L1"], "Treated levels T12, L1"),
        ("vitals.unknown", 3, "vitals.unknown = 3"),
    ],
)
def test_describe_finding(path: str, value: object, text: str):
    assert describe_finding(path, value) == text
