"""The explanations around the contract keys: reasons, actions that fit the danger, sources,
guidance keys and warnings, all in a nurse's words."""

from __future__ import annotations

import json
import re

import pytest

from tests.clinical.helpers import COMPLETE, patient, result_of, scan
from triage.clinical import (
    CONTRACT_VERSION,
    ESCALATION_CODES,
    GUIDANCE_KEYS,
    IMAGING_CODES,
    PATHWAY_CODES,
    RED_FLAG_CODES,
    SOURCES,
    describe_finding,
    explain,
)

# Between them these raise every red flag and every pathway in each of its forms.
SCENARIOS = [
    patient(
        procedure={"levels": ["L2"]},
        symptoms={"pain_score": 9, "uncontrolled_despite_analgesia": True, "chest_pain": True},
        neuro={"motor": "new_deficit", "focal_signs": True},
        vitals={"respiratory_rate": 8, "consciousness": "U", "systolic_bp": 90},
        imaging=scan(
            "cord_compression",
            "cerebral_cement_embolism",
            "epidural_leak",
            "infection",
            modality="mri",
        ),
    ),
    patient(
        symptoms={
            "radicular_pain": True,
            "dyspnoea": True,
            "pain_course": "sudden_increase_after_improvement",
        },
        neuro={"sensory": "worsening_deficit"},
        vitals={"temperature": 38.6, "respiratory_rate": 26, "spo2": 97},
        imaging={"status": "requested"},
    ),
    patient(imaging=scan("new_adjacent_fracture", "paravertebral_venous_leak", "intradiscal_leak")),
    patient(imaging=scan("pulmonary_cement_embolism", "foraminal_leak")),
    COMPLETE,
]
SUSPECTED_ONLY = {"transient_pain"}
CONFIRMED_ONLY = {"cement_leak_venous", "cement_leak_intradiscal"}
# Machine words that must never reach a nurse: snake_case codes, "x = y" traces.
MACHINE_WORDS = re.compile(r"[a-z]+_[a-z_]+|\w+\.\w+ =|\(> \d|\(<= \d|\(>= \d")


def all_objects() -> tuple[list[dict], list[dict]]:
    red_flags, pathways = [], []
    for findings in SCENARIOS:
        result = result_of(findings)
        red_flags += result["red_flags"]
        pathways += result["pathways"]
    return red_flags, pathways


def human_texts(result: dict) -> list[str]:
    """Every text of an assessment that a page may show."""
    texts = list(result["warnings"])
    for item in (*result["red_flags"], *result["pathways"]):
        texts += [item["title"], item["reason"], *item["actions"]]
    for key in ("escalation_detail", "imaging_detail"):
        detail = result[key]
        texts += [detail["reason"], *detail["actions"]]
    texts.append(result["escalation_detail"]["headline"])
    if result["news2"] is None:
        texts.append(result["news2_detail"]["reason"])
    return texts


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
    # Every recommendation carries its source: the seed's numbers, or a named reference.
    assert item["sources"] or item["reference"]
    assert item["guidance_key"] == f"{kind}.{item['code']}"
    assert item["guidance_key"] in GUIDANCE_KEYS


def test_every_red_flag_is_explained():
    red_flags, _ = all_objects()
    for flag in red_flags:
        _check_explained(flag, "red_flag")
    by_code = {flag["code"]: flag for flag in red_flags}
    assert by_code["news2_high"]["sources"] == [] and "NEWS" in by_code["news2_high"]["reference"]
    for code in ("systemic_embolism", "stroke_signs", "altered_consciousness"):
        assert "clinical safety review" in by_code[code]["reference"]


def test_every_pathway_is_explained():
    _, pathways = all_objects()
    for pathway in pathways:
        _check_explained(pathway, "pathway")
    infection = next(p for p in pathways if p["code"] == "infection")
    assert infection["sources"] == [] and "clinical safety review" in infection["reference"]


def test_no_page_text_speaks_in_codes():
    for findings in [*SCENARIOS, {}, {"neuro": {"motor": "normal"}}, {"vitals": {"spo2": 97}}]:
        for text in human_texts(result_of(findings)):
            assert not MACHINE_WORDS.search(text), text


def test_suspected_and_confirmed_pathways_advise_differently():
    _, pathways = all_objects()
    advice = {(p["code"], p["status"]): p["actions"] for p in pathways}
    assert advice["cord_compression", "suspected"] != advice["cord_compression", "confirmed"]
    assert any("MRI" in a for a in advice["cord_compression", "suspected"])
    assert any("STIR" in a for a in advice["adjacent_fracture", "suspected"])
    assert any("contrast" in a for a in advice["infection", "suspected"])


# --- Actions that fit the danger ----------------------------------------------------------------

# What each red flag's actions must say (issue: actions per red flag, not one generic list).
REQUIRED_ACTIONS = {
    "progressive_neuro_deficit": ("spinal team", "MRI of the spine",
                                  "CT only if MRI is impossible"),
    "respiratory_distress": ("ABCDE", "oxygen to the target", "CT pulmonary angiogram", "ECG"),
    "circulatory_compromise": ("ABCDE", "IV access", "bloods", "ECG", "echocardiogram"),
    "systemic_embolism": ("Resuscitate", "stroke pathway", "CT of the head", "ECG",
                          "echocardiogram"),
    "stroke_signs": ("emergency team", "stroke pathway", "CT of the head", "ECG",
                     "echocardiogram"),
    "altered_consciousness": ("ABCDE", "glucose", "opioids", "naloxone", "CT of the head"),
    "respiratory_depression": ("Stop opioids", "naloxone", "senior"),
    "news2_high": ("emergency team", "continuously"),
    "cord_compression": ("spinal surgeons", "decompression"),
    "uncontrolled_pain": ("CT or MRI", "analgesia"),
}  # fmt: skip


@pytest.mark.parametrize("code", RED_FLAG_CODES)
def test_each_red_flag_says_what_to_do_now_for_its_danger(code: str):
    actions = " ".join(explain.RED_FLAG_ACTIONS[code])
    for words in REQUIRED_ACTIONS[code]:
        assert words in actions, (code, words)


def test_red_flags_do_not_share_one_generic_list():
    lists = [explain.RED_FLAG_ACTIONS[code] for code in RED_FLAG_CODES]
    assert len({tuple(actions) for actions in lists}) == len(lists)


def test_every_mention_of_anticoagulation_carries_its_bleeding_caveat():
    every_action = [
        action
        for actions in (*explain.RED_FLAG_ACTIONS.values(), *explain.PATHWAY_ACTIONS.values())
        for action in actions
    ]
    mentions = [action for action in every_action if "anticoagul" in action.lower()]
    assert mentions  # the embolism pathway does mention it
    for action in mentions:
        assert "bleeding" in action and "spinal" in action, action


def test_a_confirmed_embolism_in_a_distressed_patient_is_an_emergency_first():
    calm = result_of(patient(imaging=scan("pulmonary_cement_embolism")))["pathways"][0]
    assert calm["actions"][0].startswith("Most pulmonary cement emboli cause no symptoms")
    distressed = result_of(
        patient(symptoms={"dyspnoea": True}, imaging=scan("pulmonary_cement_embolism"))
    )
    embolism = distressed["pathways"][0]
    assert embolism["code"] == "cement_embolism"
    assert not any(a.startswith("Most") for a in embolism["actions"])
    assert embolism["actions"][0].startswith("Treat as an emergency")
    assert any("bleeding" in a for a in embolism["actions"])


@pytest.mark.parametrize(
    "changes",
    [
        {"neuro": {"motor": "new_deficit"}},
        {"neuro": {"bowel_bladder": "worsening_dysfunction"}},
        {"imaging": scan("cord_compression", "epidural_leak")},
    ],
    ids=["new-weakness", "worse-bladder", "cord-compression"],
)
def test_no_epidural_injection_is_offered_beside_a_deficit_or_compression(changes: dict):
    findings = patient(symptoms={"radicular_pain": True}, **changes)
    if "imaging" not in changes:
        findings["imaging"] = scan("foraminal_leak")
    result = result_of(findings)
    neural = next(p for p in result["pathways"] if p["code"] == "cement_leak_neural")
    assert neural["status"] == "confirmed"
    everything = json.dumps(result).lower()
    assert "epidural steroid" not in everything
    assert "decompression" in " ".join(neural["actions"])


def test_an_epidural_injection_may_be_offered_for_radicular_pain_alone():
    result = result_of(patient(symptoms={"radicular_pain": True}, imaging=scan("foraminal_leak")))
    assert any("epidural steroid injection" in a for a in result["pathways"][0]["actions"])


def test_every_pathway_variant_the_rules_choose_has_its_actions():
    codes = {(code, status) for code, status, _ in explain.PATHWAY_ACTIONS}
    for code in PATHWAY_CODES:
        assert (code, "suspected") in codes or (code, "confirmed") in codes
    assert ("cement_embolism", "confirmed", "distressed") in explain.PATHWAY_ACTIONS
    assert ("cement_leak_neural", "confirmed", "deficit") in explain.PATHWAY_ACTIONS
    assert ("cement_leak_neural", "suspected", "deficit") in explain.PATHWAY_ACTIONS


def test_a_suspected_pathway_names_the_scan_it_waits_for():
    result = result_of(patient(neuro={"motor": "new_deficit"}, imaging={"status": "requested"}))
    assert result["pathways"][0]["because"] == [
        "red_flags includes progressive_neuro_deficit",
        "imaging.status = requested (not done)",
    ]
    assert result["pathways"][0]["reason"] == ("New leg weakness; scan requested, not yet done")


def test_the_imaging_detail_explains_the_urgency():
    emergency = result_of(patient(symptoms={"chest_pain": True}))["imaging_detail"]
    assert emergency["reason"] == "Red flag: Respiratory distress"
    assert emergency["because"] == ["red_flags includes respiratory_distress"]
    assert any("CT pulmonary angiogram" in a for a in emergency["actions"])
    done = result_of(patient(imaging=scan("epidural_leak", modality="mri")))["imaging_detail"]
    assert done["reason"] == "MRI done after the current symptoms began: Epidural cement leak"
    clear = result_of(patient(imaging=scan()))["imaging_detail"]
    assert clear["reason"] == "CT done after the current symptoms began: nothing abnormal found"
    urgent = result_of(COMPLETE)["imaging_detail"]
    assert urgent["because"] == ["imaging.status = not_done (not done)"]
    old = result_of(patient(imaging=scan(after=False)))["imaging_detail"]
    assert "not known to be from after the current symptoms" in old["reason"]
    for detail in (emergency, done, urgent, old):
        assert detail["actions"] and detail["sources"] and detail["title"]


# --- NEWS2 and warnings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vitals", "response", "monitoring"),
    [
        ({}, "Routine monitoring", "12 hours"),
        ({"heart_rate": 95}, "Ward-based response", "4-6 hours"),
        ({"temperature": 35.0}, "Urgent ward-based response", "every hour"),
    ],
    ids=["score-0", "score-1", "single-3"],
)
def test_the_news2_detail_gives_the_response_its_score_calls_for(vitals, response, monitoring):
    detail = result_of(patient(vitals=vitals))["news2_detail"]
    assert detail["response"].startswith(response)
    assert monitoring in detail["monitoring"]
    assert set(detail["sub_scores"]) == {
        "respiratory_rate",
        "spo2",
        "air_or_oxygen",
        "systolic_bp",
        "heart_rate",
        "consciousness",
        "temperature",
    }


def test_an_unscored_news2_names_what_is_missing_in_words():
    detail = result_of({"vitals": {"respiratory_rate": 16, "spo2": 97}})["news2_detail"]
    assert detail["reason"] == (
        "NEWS2 not scored yet: record air or oxygen, systolic blood pressure, pulse, "
        "consciousness (ACVPU) and temperature"
    )
    assert detail["missing"] == [
        "on_oxygen",
        "systolic_bp",
        "heart_rate",
        "consciousness",
        "temperature",
    ]


def test_the_general_advice_is_always_there():
    for findings in ({}, COMPLETE):
        advice = result_of(findings)["advice"]
        assert advice["guidance_key"] == "general"
        assert advice["actions"] and advice["sources"]


@pytest.mark.parametrize(
    ("section", "start"),
    [
        ("procedure", "Procedure not recorded: the time since the procedure and the treated"),
        ("symptoms", "Symptoms not assessed: their absence cannot be assumed"),
        ("neuro", "Neuro exam not assessed: a normal result cannot be assumed"),
        ("vitals", "Vital signs not assessed: NEWS2 cannot be scored"),
        ("imaging", "Imaging not recorded: it is treated as not done"),
    ],
)
def test_each_section_not_assessed_is_named_in_a_warning(section: str, start: str):
    findings = patient(**{section: None})
    warnings = result_of(findings)["warnings"]
    assert any(w.startswith(start) for w in warnings)


def test_an_incomplete_section_is_named_with_what_is_missing():
    findings = patient()
    del findings["neuro"]["bowel_bladder"]
    assert result_of(findings)["warnings"] == [
        "Neuro exam incomplete: bowel and bladder not recorded; reassurance cannot be offered"
    ]


def test_partly_recorded_sections_are_named_in_words():
    findings = {
        "procedure": {"hours_since": 4, "levels": ["L1"]},
        "symptoms": {"pain_score": 3},
        "neuro": {"motor": "normal"},
        "vitals": {"respiratory_rate": 16, "spo2": 97},
    }
    warnings = result_of(findings)["warnings"]
    assert (
        "Symptoms incomplete: course of the pain, radiating (radicular) pain, chest pain, "
        "breathlessness and response to analgesia not recorded; reassurance cannot be offered"
    ) in warnings
    assert (
        "Neuro exam incomplete: leg sensation, bowel and bladder and stroke signs (face, speech, "
        "vision) not recorded; reassurance cannot be offered"
    ) in warnings
    assert any(w.startswith("Vital signs incomplete: air or oxygen, systolic") for w in warnings)


def test_a_complete_unremarkable_patient_has_no_warnings():
    assert result_of(COMPLETE)["warnings"] == []


def test_an_unchecked_patient_is_never_reassured():
    no_stroke_signs = patient()
    del no_stroke_signs["neuro"]["focal_signs"]
    for findings in (
        {},
        {"symptoms": {"pain_score": 2}},
        patient(neuro=None),
        patient(vitals=None),
        no_stroke_signs,
    ):
        result = result_of(findings)
        assert "transient_pain" not in json.dumps(result["pathways"])
        assert result["escalation"] != "routine"


def test_the_contract_version_and_code_lists():
    assert CONTRACT_VERSION == "v2"
    assert result_of({})["contract"] == "v2"
    assert IMAGING_CODES == ("emergency", "urgent", "done")
    assert ESCALATION_CODES == ("emergency", "urgent", "routine")
    assert {n: f"[{n}]" for n in range(1, 8)} == SOURCES


def test_the_guidance_keys_are_stable_and_unique():
    assert len(GUIDANCE_KEYS) == len(set(GUIDANCE_KEYS)) == 3 + 10 + 8 + 3 + 1
    assert GUIDANCE_KEYS[:3] == ("escalation.emergency", "escalation.urgent", "escalation.routine")
    assert {f"red_flag.{code}" for code in RED_FLAG_CODES} <= set(GUIDANCE_KEYS)
    assert {f"pathway.{code}" for code in PATHWAY_CODES} <= set(GUIDANCE_KEYS)
    assert {"imaging.emergency", "imaging.urgent", "imaging.done", "general"} <= set(GUIDANCE_KEYS)


def test_every_escalation_points_at_its_guidance_key():
    for findings in SCENARIOS:
        detail = result_of(findings)["escalation_detail"]
        assert detail["guidance_key"] in GUIDANCE_KEYS
        assert detail["title"] == explain.ESCALATION_TITLES[detail["code"]]
        assert detail["actions"] and detail["sources"]


@pytest.mark.parametrize(
    ("path", "value", "text"),
    [
        ("neuro.motor", "new_deficit", "New leg weakness"),
        ("neuro.motor", "normal", "Normal leg power"),
        ("neuro.sensory", "stable_deficit", "Known, unchanged leg sensory loss"),
        ("neuro.upper_limb", "new_deficit", "New arm weakness or sensory loss"),
        ("neuro.bowel_bladder", "stable_dysfunction", "Known, unchanged bowel or bladder problem"),
        ("neuro.focal_signs", True, "New facial droop, speech disturbance or loss of vision"),
        ("symptoms.dyspnoea", True, "New or worse breathlessness"),
        ("symptoms.pain_course", "new_back_pain", "New back pain at another level of the spine"),
        ("symptoms.pain_score", 8, "Pain 8/10"),
        ("vitals.spo2", 91, "SpO2 91%"),
        ("vitals.temperature", 38.5, "Temperature 38.5 °C"),
        ("vitals.consciousness", "V", "Responds only to voice"),
        ("vitals.oxygen_reason", "long_term", "The patient's usual home oxygen"),
        ("imaging.findings", "cord_compression", "Spinal cord compression"),
        ("imaging.findings", "cardiac_cement_embolism", "Cement embolism in the heart"),
        ("imaging.after_current_symptoms", False, "Scanned before the current symptoms began"),
        ("procedure.hours_since", 30.0, "30 hours since the procedure"),
        ("procedure.levels", ["T12", "L1"], "Treated levels T12, L1"),
        ("vitals.unknown", 3, "vitals.unknown = 3"),
    ],
)
def test_describe_finding(path: str, value: object, text: str):
    assert describe_finding(path, value) == text
