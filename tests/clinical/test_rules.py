"""Every decision rule of the assessment contract (v2), on both sides of every threshold."""

from __future__ import annotations

import pytest

from tests.clinical.helpers import COMPLETE, flags, paths, patient, result_of, scan
from triage.clinical import ESCALATION_CODES, PATHWAY_CODES, RED_FLAG_CODES

TRANSIENT = [("transient_pain", "suspected")]


def test_the_complete_unremarkable_patient_is_reassured_and_routine():
    result = result_of(COMPLETE)
    assert result["contract"] == "v2"
    assert result["red_flags"] == []
    assert paths(COMPLETE) == TRANSIENT
    assert (result["imaging"], result["escalation"]) == ("urgent", "routine")
    assert (result["not_assessed"], result["incomplete"]) == ([], [])
    assert result["news2"] == {"score": 0, "band": "low"}


def test_the_code_lists_are_the_contracts():
    assert RED_FLAG_CODES == (
        "cord_compression",
        "systemic_embolism",
        "progressive_neuro_deficit",
        "stroke_signs",
        "altered_consciousness",
        "respiratory_distress",
        "respiratory_depression",
        "circulatory_compromise",
        "news2_high",
        "uncontrolled_pain",
    )
    assert PATHWAY_CODES == (
        "cord_compression",
        "cement_embolism",
        "cement_leak_neural",
        "infection",
        "adjacent_fracture",
        "cement_leak_venous",
        "cement_leak_intradiscal",
        "transient_pain",
    )
    assert ESCALATION_CODES == ("emergency", "urgent", "routine")


# --- Red flags: imaging ----------------------------------------------------------------------


@pytest.mark.parametrize("after", [True, False, None], ids=["after", "before", "unknown"])
def test_cord_compression_on_imaging_is_a_red_flag_whenever_the_scan_was_made(after):
    findings = patient(imaging=scan("cord_compression", modality="mri", after=after))
    result = result_of(findings)
    assert flags(findings) == ["cord_compression"]
    assert result["red_flags"][0]["because"] == ["imaging.findings includes cord_compression"]
    assert paths(findings) == [("cord_compression", "confirmed")]


@pytest.mark.parametrize("embolism", ["cardiac_cement_embolism", "cerebral_cement_embolism"])
def test_cement_in_the_heart_or_brain_is_a_systemic_embolism(embolism: str):
    findings = patient(imaging=scan(embolism))
    assert flags(findings) == ["systemic_embolism"]
    assert paths(findings) == [("cement_embolism", "confirmed")]
    assert result_of(findings)["red_flags"][0]["because"] == [
        f"imaging.findings includes {embolism}"
    ]


def test_a_pulmonary_embolism_alone_is_not_a_systemic_embolism():
    findings = patient(imaging=scan("pulmonary_cement_embolism"))
    assert flags(findings) == []
    assert paths(findings) == [("cement_embolism", "confirmed")]
    assert result_of(findings)["escalation"] == "urgent"


# --- Red flags: neurological -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("neuro", "reason"),
    [
        ({"motor": "new_deficit"}, "New leg weakness"),
        ({"motor": "worsening_deficit"}, "Worsening leg weakness"),
        ({"sensory": "new_deficit"}, "New leg sensory loss"),
        ({"sensory": "worsening_deficit"}, "Worsening leg sensory loss"),
        ({"bowel_bladder": "new_dysfunction"}, "New bowel or bladder dysfunction"),
        ({"bowel_bladder": "worsening_dysfunction"}, "Worsening bowel or bladder dysfunction"),
    ],
)
def test_a_new_or_worsening_deficit_is_a_progressive_neuro_deficit(neuro: dict, reason: str):
    result = result_of(patient(neuro=neuro))
    assert [(f["code"], f["reason"]) for f in result["red_flags"]] == [
        ("progressive_neuro_deficit", reason)
    ]
    key, value = next(iter(neuro.items()))
    assert result["red_flags"][0]["because"] == [f"neuro.{key} = {value}"]


@pytest.mark.parametrize("level", ["C6", "C7", "T1"])
@pytest.mark.parametrize("deficit", ["new_deficit", "worsening_deficit"])
def test_a_new_arm_deficit_after_a_neck_level_is_a_progressive_deficit_only(level, deficit):
    findings = patient(procedure={"levels": [level]}, neuro={"upper_limb": deficit})
    assert flags(findings) == ["progressive_neuro_deficit"]


@pytest.mark.parametrize("levels", [["T2"], ["L1"], ["T12", "L1"]])
def test_an_arm_deficit_the_treated_level_cannot_explain_is_also_a_stroke_sign(levels):
    findings = patient(procedure={"levels": levels}, neuro={"upper_limb": "new_deficit"})
    result = result_of(findings)
    assert flags(findings) == ["progressive_neuro_deficit", "stroke_signs"]
    stroke = result["red_flags"][1]
    assert "cannot explain" in stroke["reason"]
    assert stroke["because"][0].startswith("neuro.upper_limb = new_deficit")


def test_an_arm_deficit_with_no_levels_recorded_is_not_called_a_stroke_sign():
    findings = patient(neuro={"upper_limb": "new_deficit"})
    del findings["procedure"]["levels"]
    assert flags(findings) == ["progressive_neuro_deficit"]


@pytest.mark.parametrize(
    "neuro",
    [
        {"motor": "stable_deficit"},
        {"sensory": "stable_deficit"},
        {"upper_limb": "stable_deficit"},
        {"bowel_bladder": "stable_dysfunction"},
        {"upper_limb": "normal"},
    ],
)
def test_a_known_unchanged_deficit_is_not_a_red_flag(neuro: dict):
    findings = patient(procedure={"levels": ["T2"]}, neuro=neuro)
    assert flags(findings) == []


def test_new_focal_signs_are_stroke_signs_and_suspect_an_embolism():
    findings = patient(neuro={"focal_signs": True})
    result = result_of(findings)
    assert flags(findings) == ["stroke_signs"]
    assert paths(findings) == [("cement_embolism", "suspected")]
    assert result["red_flags"][0]["because"] == ["neuro.focal_signs = true"]


def test_all_neuro_triggers_are_named_together():
    neuro = {
        "motor": "worsening_deficit",
        "sensory": "new_deficit",
        "upper_limb": "new_deficit",
        "bowel_bladder": "new_dysfunction",
    }
    flag = result_of(patient(procedure={"levels": ["C5"]}, neuro=neuro))["red_flags"][0]
    assert flag["reason"] == (
        "Worsening leg weakness; New leg sensory loss; New arm weakness or sensory loss; "
        "New bowel or bladder dysfunction"
    )
    assert flag["because"] == [
        "neuro.motor = worsening_deficit",
        "neuro.sensory = new_deficit",
        "neuro.upper_limb = new_deficit",
        "neuro.bowel_bladder = new_dysfunction",
    ]


# --- Red flags: consciousness, breathing, circulation ---------------------------------------


@pytest.mark.parametrize("level", ["C", "V", "P", "U"])
def test_new_confusion_or_any_response_below_alert_is_altered_consciousness(level: str):
    findings = patient(vitals={"consciousness": level})
    result = result_of(findings)
    assert flags(findings) == ["altered_consciousness"]
    assert paths(findings) == [("cement_embolism", "suspected")]
    assert result["red_flags"][0]["reason"].endswith(f"(ACVPU {level})")
    assert result["escalation"] == "emergency"


@pytest.mark.parametrize(
    ("changes", "because"),
    [
        ({"symptoms": {"chest_pain": True}}, "symptoms.chest_pain = true"),
        ({"symptoms": {"dyspnoea": True}}, "symptoms.dyspnoea = true"),
        ({"vitals": {"respiratory_rate": 21}}, "vitals.respiratory_rate = 21 (> 20)"),
        ({"vitals": {"spo2": 93}}, "vitals.spo2 = 93 (< 94 on scale 1)"),
        ({"vitals": {"spo2": 93, "spo2_scale": 1}}, "vitals.spo2 = 93 (< 94 on scale 1)"),
        ({"vitals": {"spo2": 87, "spo2_scale": 2}}, "vitals.spo2 = 87 (< 88 on scale 2)"),
    ],
)
def test_respiratory_distress(changes: dict, because: str):
    result = result_of(patient(**changes))
    assert [f["code"] for f in result["red_flags"]] == ["respiratory_distress"]
    assert result["red_flags"][0]["because"] == [because]
    assert [p["code"] for p in result["pathways"]] == ["cement_embolism"]


@pytest.mark.parametrize(
    "changes",
    [
        {"vitals": {"respiratory_rate": 20}},
        {"vitals": {"spo2": 94}},
        {"vitals": {"spo2": 88, "spo2_scale": 2}},
        {"vitals": {"spo2": 93, "spo2_scale": 2}},  # hypoxic on scale 1, in target on scale 2
        {"symptoms": {"chest_pain": False, "dyspnoea": False}},
    ],
)
def test_no_respiratory_distress_just_inside_the_limits(changes: dict):
    assert flags(patient(**changes)) == []


@pytest.mark.parametrize(
    ("hours", "reason", "distress"),
    [
        (1, "low_saturation", True),
        (1, None, True),  # a reason not recorded counts as started for a low saturation
        (0, "routine", False),
        (6, "routine", False),
        (6.0, "routine", False),
        (6.1, "routine", True),
        (7, "routine", True),
        (None, "routine", True),  # routine, but the time since the procedure is unknown
        (1, "long_term", False),
        (300, "long_term", False),
    ],
)
def test_a_new_oxygen_requirement_is_respiratory_distress(hours, reason, distress: bool):
    vitals = {"on_oxygen": True, **({"oxygen_reason": reason} if reason else {})}
    findings = patient(vitals=vitals)
    if hours is None:
        del findings["procedure"]["hours_since"]
    else:
        findings["procedure"]["hours_since"] = hours
    result = result_of(findings)
    assert flags(findings) == (["respiratory_distress"] if distress else [])
    assert result["derived_signs"]["new_oxygen_requirement"] is distress
    # Oxygen scores 2 whatever its reason: NEWS2 is never lowered by the reason.
    assert result["news2"]["score"] == 2


def test_oxygen_for_a_falling_saturation_is_named_in_the_reason():
    result = result_of(patient(vitals={"on_oxygen": True, "oxygen_reason": "low_saturation"}))
    assert "New oxygen requirement" in result["red_flags"][0]["reason"]
    assert result["red_flags"][0]["because"] == [
        "vitals.on_oxygen = true, oxygen_reason = low_saturation"
    ]


@pytest.mark.parametrize(("rate", "depressed"), [(0, True), (8, True), (9, False), (12, False)])
def test_a_respiratory_rate_of_8_or_less_is_respiratory_depression(rate: int, depressed: bool):
    findings = patient(vitals={"respiratory_rate": rate})
    assert flags(findings) == (["respiratory_depression"] if depressed else [])
    if depressed:
        # Not an embolism sign: opioid toxicity until proven otherwise.
        assert [p for p, _ in paths(findings)] == []
        assert result_of(findings)["red_flags"][0]["because"] == [
            f"vitals.respiratory_rate = {rate} (<= 8)"
        ]


@pytest.mark.parametrize(
    ("vitals", "shock"),
    [
        ({"systolic_bp": 90}, True),
        ({"systolic_bp": 91}, False),
        ({"heart_rate": 40}, True),
        ({"heart_rate": 41}, False),
        ({"heart_rate": 131, "systolic_bp": 140}, True),
        ({"heart_rate": 130, "systolic_bp": 140}, False),
        ({"heart_rate": 110, "systolic_bp": 110}, True),  # shock index 1.0
        ({"heart_rate": 109, "systolic_bp": 110}, False),  # shock index just under 1
        ({"heart_rate": 118, "systolic_bp": 96}, True),  # worked example 13
    ],
    ids=["sbp-90", "sbp-91", "hr-40", "hr-41", "hr-131", "hr-130", "index-1", "index-under-1",
         "example-13"],
)  # fmt: skip
def test_shock_signs_are_circulatory_compromise(vitals: dict, shock: bool):
    findings = patient(vitals=vitals)
    assert flags(findings) == (["circulatory_compromise"] if shock else [])
    assert result_of(findings)["derived_signs"]["shock"] is shock
    if shock:
        assert paths(findings) == [("cement_embolism", "suspected")]


def test_the_shock_index_needs_both_pulse_and_blood_pressure():
    findings = patient()
    del findings["vitals"]["systolic_bp"]
    findings["vitals"]["heart_rate"] = 120
    assert flags(findings) == []
    assert result_of(findings)["derived_signs"]["shock"] is False
    del findings["vitals"]["heart_rate"]
    assert result_of(findings)["derived_signs"]["shock"] is None


def test_each_shock_sign_is_named():
    flag = result_of(patient(vitals={"systolic_bp": 88, "heart_rate": 135}))["red_flags"][0]
    assert flag["because"] == [
        "vitals.systolic_bp = 88 (<= 90)",
        "vitals.heart_rate = 135 (>= 131)",
        "vitals.heart_rate = 135 >= vitals.systolic_bp = 88",
    ]
    assert "shock index 1.5" in flag["reason"]


def test_signs_are_derived_without_a_full_news2():
    result = result_of({"vitals": {"respiratory_rate": 26, "spo2": 90}})
    assert result["news2"] is None
    assert [f["code"] for f in result["red_flags"]] == ["respiratory_distress"]
    signs = result["derived_signs"]
    assert (signs["tachypnoea"], signs["hypoxia"], signs["tachycardia"]) == (True, True, None)


@pytest.mark.parametrize(("score_changes", "score"), [({"systolic_bp": 89}, 7)])
def test_news2_of_7_is_a_red_flag(score_changes: dict, score: int):
    # Alert, so only the score itself and the shock are flags: SBP 89 (3), SpO2 94 (1),
    # pulse 91 (1), temperature 35.5 (1), RR 10 (1) = 7.
    vitals = {"spo2": 94, "heart_rate": 91, "temperature": 35.5, "respiratory_rate": 10}
    result = result_of(patient(vitals={**vitals, **score_changes}))
    assert result["news2"] == {"score": score, "band": "high"}
    assert [f["code"] for f in result["red_flags"]] == ["circulatory_compromise", "news2_high"]
    assert result["red_flags"][1]["because"] == ["news2.score = 7 (>= 7)"]


def test_news2_of_6_is_not_a_red_flag_of_its_own():
    vitals = {"spo2": 94, "heart_rate": 91, "temperature": 35.5, "respiratory_rate": 10}
    result = result_of(patient(vitals={**vitals, "systolic_bp": 95}))
    assert result["news2"] == {"score": 6, "band": "medium"}
    assert [f["code"] for f in result["red_flags"]] == []
    assert result["escalation"] == "urgent"  # a medium band is never reassured


@pytest.mark.parametrize(
    ("symptoms", "raised"),
    [
        ({"pain_score": 7, "uncontrolled_despite_analgesia": True}, True),
        ({"pain_score": 10, "uncontrolled_despite_analgesia": True}, True),
        ({"pain_score": 6, "uncontrolled_despite_analgesia": True}, False),
        ({"pain_score": 10, "uncontrolled_despite_analgesia": False}, False),
    ],
)
def test_uncontrolled_pain(symptoms: dict, raised: bool):
    assert flags(patient(symptoms=symptoms)) == (["uncontrolled_pain"] if raised else [])


def test_uncontrolled_pain_needs_both_findings_recorded():
    assert flags({"symptoms": {"pain_score": 9}}) == []
    assert flags({"symptoms": {"uncontrolled_despite_analgesia": True}}) == []


def test_red_flags_come_in_contract_order():
    findings = patient(
        procedure={"levels": ["L2"]},
        symptoms={"pain_score": 9, "uncontrolled_despite_analgesia": True, "chest_pain": True},
        neuro={"motor": "new_deficit", "focal_signs": True},
        vitals={"respiratory_rate": 8, "consciousness": "U", "systolic_bp": 90},
        imaging=scan("cord_compression", "cardiac_cement_embolism", modality="mri"),
    )
    assert flags(findings) == list(RED_FLAG_CODES)


# --- Pathways --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("imaging", "suspected"),
    [
        ({"status": "not_done"}, True),
        ({"status": "requested"}, True),
        (None, True),
        ({}, True),
        (scan(modality="ct"), True),  # a CT cannot exclude cord compression
        (scan(modality="mri", after=False), True),  # an MRI from before the symptoms
        (scan(modality="mri", after=None), True),  # not known to be from after them
        (scan(modality="mri"), False),
        (scan(modality="ct_and_mri"), False),
    ],
    ids=["not-done", "requested", "absent", "empty", "ct", "mri-before", "mri-unknown", "mri",
         "ct-and-mri"],
)  # fmt: skip
def test_cord_compression_suspected_on_a_deficit_until_an_mri_after_the_symptoms(
    imaging, suspected: bool
):
    findings = patient(neuro={"sensory": "worsening_deficit"}, imaging=None)
    if imaging is not None:
        findings["imaging"] = imaging
    result = result_of(findings)
    assert paths(findings) == ([("cord_compression", "suspected")] if suspected else [])
    # The red flag stands whatever the scan showed: the deficit itself needs the spinal team.
    assert flags(findings) == ["progressive_neuro_deficit"]
    assert (result["imaging"], result["escalation"]) == ("emergency", "emergency")


def test_a_suspected_cord_compression_says_why_the_scan_does_not_exclude_it():
    ct = result_of(patient(neuro={"motor": "new_deficit"}, imaging=scan(modality="ct")))
    assert ct["pathways"][0]["because"] == [
        "red_flags includes progressive_neuro_deficit",
        "imaging.modality = ct (no MRI)",
    ]
    assert "a CT cannot rule it out" in ct["pathways"][0]["reason"]
    old = result_of(patient(neuro={"motor": "new_deficit"}, imaging=scan(after=False)))
    assert old["pathways"][0]["because"][1] == (
        "imaging.after_current_symptoms is not true (the scan excludes nothing)"
    )


@pytest.mark.parametrize(
    "finding", ["pulmonary_cement_embolism", "cardiac_cement_embolism", "cerebral_cement_embolism"]
)
def test_cement_embolism_confirmed(finding: str):
    assert ("cement_embolism", "confirmed") in paths(patient(imaging=scan(finding)))


@pytest.mark.parametrize(
    "changes",
    [
        {"symptoms": {"dyspnoea": True}},
        {"vitals": {"systolic_bp": 85}},
        {"vitals": {"consciousness": "V"}},
        {"neuro": {"focal_signs": True}},
    ],
    ids=["respiratory-distress", "circulatory-compromise", "altered-consciousness", "stroke"],
)
def test_cement_embolism_suspected_on_systemic_signs(changes: dict):
    assert paths(patient(**changes)) == [("cement_embolism", "suspected")]


@pytest.mark.parametrize(
    ("vitals", "suspected"),
    [
        ({"heart_rate": 101}, True),
        ({"heart_rate": 100}, False),
        ({"spo2": 93}, True),  # hypoxia is also respiratory distress
        ({"spo2": 94}, False),
        (None, False),
    ],
    ids=["hr-101", "hr-100", "spo2-93", "spo2-94", "no-vitals"],
)
def test_a_venous_leak_suspects_an_embolism_with_tachycardia_or_hypoxia(vitals, suspected):
    findings = patient(vitals=vitals, imaging=scan("paravertebral_venous_leak"))
    codes = paths(findings)
    assert (("cement_embolism", "suspected") in codes) is suspected
    assert ("cement_leak_venous", "confirmed") in codes


def test_a_venous_leak_with_tachycardia_is_explained():
    findings = patient(vitals={"heart_rate": 104}, imaging=scan("paravertebral_venous_leak"))
    pathway = result_of(findings)["pathways"][0]
    assert pathway["because"] == [
        "imaging.findings includes paravertebral_venous_leak",
        "derived_signs.tachycardia = true",
    ]
    assert "fast pulse (104/min)" in pathway["reason"]


@pytest.mark.parametrize("leak", ["foraminal_leak", "epidural_leak"])
def test_cement_leak_neural_confirmed(leak: str):
    assert paths(patient(imaging=scan(leak))) == [("cement_leak_neural", "confirmed")]


def test_cement_leak_neural_names_both_leaks():
    pathway = result_of(patient(imaging=scan("foraminal_leak", "epidural_leak")))["pathways"][0]
    assert pathway["because"] == [
        "imaging.findings includes foraminal_leak",
        "imaging.findings includes epidural_leak",
    ]


@pytest.mark.parametrize(
    ("imaging", "suspected"),
    [
        ({"status": "not_done"}, True),
        ({"status": "requested"}, True),
        (None, True),
        (scan(after=False), True),
        (scan(after=None), True),
        (scan(), False),  # a CT after the symptoms began, clear: no leak is suspected
        (scan(modality="mri"), False),
    ],
    ids=["not-done", "requested", "absent", "scan-before", "scan-unknown", "ct-after", "mri"],
)
def test_cement_leak_neural_suspected_on_radicular_pain_until_a_scan_after_the_symptoms(
    imaging, suspected: bool
):
    findings = patient(symptoms={"radicular_pain": True}, imaging=None)
    if imaging is not None:
        findings["imaging"] = imaging
    assert paths(findings) == ([("cement_leak_neural", "suspected")] if suspected else [])


def test_radicular_pain_is_never_reassured_even_after_a_clear_scan():
    findings = patient(symptoms={"radicular_pain": True}, imaging=scan(modality="mri"))
    result = result_of(findings)
    assert paths(findings) == []
    assert result["escalation"] == "urgent"
    assert "Pain radiating into a limb" in result["escalation_detail"]["reason"]


@pytest.mark.parametrize(
    ("temperature", "fever"),
    [(38.04, False), (38.0, False), (38.05, True), (38.1, True), (39.5, True), (38, False)],
)
def test_fever_suspects_an_infection(temperature: float, fever: bool):
    findings = patient(vitals={"temperature": temperature})
    result = result_of(findings)
    assert paths(findings) == ([("infection", "suspected")] if fever else TRANSIENT)
    assert result["derived_signs"]["fever"] is fever
    if fever:
        assert result["escalation"] == "urgent"
        assert result["red_flags"] == []


def test_infection_on_imaging_is_confirmed():
    findings = patient(vitals={"temperature": 38.6}, imaging=scan("infection", modality="mri"))
    assert paths(findings) == [("infection", "confirmed")]


def test_adjacent_fracture_confirmed():
    assert paths(patient(imaging=scan("new_adjacent_fracture", modality="mri"))) == [
        ("adjacent_fracture", "confirmed")
    ]


@pytest.mark.parametrize("course", ["sudden_increase_after_improvement", "new_back_pain"])
def test_adjacent_fracture_suspected_on_a_sudden_increase_or_new_back_pain(course: str):
    findings = patient(symptoms={"pain_course": course})
    assert paths(findings) == [("adjacent_fracture", "suspected")]
    assert result_of(findings)["pathways"][0]["because"][0] == f"symptoms.pain_course = {course}"


@pytest.mark.parametrize(
    ("hours", "suspected"), [(12, False), (72, False), (72.01, True), (150, True), (None, True)]
)
def test_worse_pain_suspects_an_adjacent_fracture_after_72_hours_or_at_an_unknown_time(
    hours, suspected: bool
):
    findings = patient(symptoms={"pain_course": "worse_since_procedure"})
    if hours is None:
        del findings["procedure"]["hours_since"]
    else:
        findings["procedure"]["hours_since"] = hours
    assert (("adjacent_fracture", "suspected") in paths(findings)) is suspected


@pytest.mark.parametrize("course", ["improving", "unchanged"])
def test_other_pain_courses_do_not_suspect_a_fracture(course: str):
    findings = patient(procedure={"hours_since": 300}, symptoms={"pain_course": course})
    assert paths(findings) == []


@pytest.mark.parametrize(
    ("imaging", "suspected"),
    [
        (scan(modality="mri"), False),
        (scan(modality="ct_and_mri"), False),
        (scan(modality="ct"), True),
        (scan(modality="mri", after=False), True),  # worked example 14
        ({"status": "requested"}, True),
    ],
    ids=["mri", "ct-and-mri", "ct", "old-mri", "requested"],
)
def test_only_an_mri_after_the_symptoms_stops_an_adjacent_fracture_being_suspected(
    imaging, suspected: bool
):
    findings = patient(
        symptoms={"pain_course": "sudden_increase_after_improvement"}, imaging=imaging
    )
    assert (("adjacent_fracture", "suspected") in paths(findings)) is suspected


def test_cement_leak_venous_and_intradiscal_are_confirmed_only():
    findings = patient(imaging=scan("paravertebral_venous_leak", "intradiscal_leak"))
    assert paths(findings) == [
        ("cement_leak_venous", "confirmed"),
        ("cement_leak_intradiscal", "confirmed"),
        ("transient_pain", "suspected"),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"neuro": {"motor": "new_deficit"}, "imaging": scan("cord_compression")},
            ("cord_compression", "confirmed"),
        ),
        (
            {"symptoms": {"chest_pain": True}, "imaging": scan("pulmonary_cement_embolism")},
            ("cement_embolism", "confirmed"),
        ),
        (
            {"symptoms": {"radicular_pain": True}, "imaging": scan("foraminal_leak", after=False)},
            ("cement_leak_neural", "confirmed"),
        ),
        (
            {"vitals": {"temperature": 38.5}, "imaging": scan("infection")},
            ("infection", "confirmed"),
        ),
        (
            {
                "symptoms": {"pain_course": "sudden_increase_after_improvement"},
                "imaging": scan("new_adjacent_fracture"),
            },
            ("adjacent_fracture", "confirmed"),
        ),
    ],
)
def test_confirmed_beats_suspected_for_the_same_pathway(changes: dict, expected: tuple):
    found = paths(patient(**changes))
    assert expected in found
    assert len([code for code, _ in found if code == expected[0]]) == 1


def test_confirmed_pathways_come_in_contract_order():
    findings = patient(
        imaging=scan(
            "intradiscal_leak",
            "infection",
            "paravertebral_venous_leak",
            "new_adjacent_fracture",
            "foraminal_leak",
            "pulmonary_cement_embolism",
            "cord_compression",
            modality="ct_and_mri",
        )
    )
    assert paths(findings) == [
        ("cord_compression", "confirmed"),
        ("cement_embolism", "confirmed"),
        ("cement_leak_neural", "confirmed"),
        ("infection", "confirmed"),
        ("adjacent_fracture", "confirmed"),
        ("cement_leak_venous", "confirmed"),
        ("cement_leak_intradiscal", "confirmed"),
    ]


def test_suspected_pathways_come_in_contract_order():
    findings = patient(
        symptoms={
            "pain_course": "sudden_increase_after_improvement",
            "radicular_pain": True,
            "chest_pain": True,
        },
        neuro={"bowel_bladder": "new_dysfunction"},
        vitals={"temperature": 38.4},
        imaging={"status": "requested"},
    )
    assert paths(findings) == [
        ("cord_compression", "suspected"),
        ("cement_embolism", "suspected"),
        ("cement_leak_neural", "suspected"),
        ("infection", "suspected"),
        ("adjacent_fracture", "suspected"),
    ]


# --- Transient pain: reassurance only for a completely examined patient ---------------------


@pytest.mark.parametrize("section", ["symptoms", "neuro", "vitals"])
@pytest.mark.parametrize("how", ["absent", "empty"])
def test_no_transient_pain_when_a_section_is_not_assessed(section: str, how: str):
    findings = patient()
    if how == "absent":
        del findings[section]
    else:
        findings[section] = {}
    result = result_of(findings)
    assert result["pathways"] == []
    assert section in result["not_assessed"]
    assert result["escalation"] == "urgent"
    assert "not assessed" in result["escalation_detail"]["reason"]


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("symptoms", "pain_score"),
        ("symptoms", "pain_course"),
        ("symptoms", "radicular_pain"),
        ("symptoms", "chest_pain"),
        ("symptoms", "dyspnoea"),
        ("symptoms", "uncontrolled_despite_analgesia"),
        ("neuro", "motor"),
        ("neuro", "sensory"),
        ("neuro", "bowel_bladder"),
        ("neuro", "focal_signs"),
        ("vitals", "respiratory_rate"),
        ("vitals", "spo2"),
        ("vitals", "on_oxygen"),
        ("vitals", "systolic_bp"),
        ("vitals", "heart_rate"),
        ("vitals", "consciousness"),
        ("vitals", "temperature"),
    ],
)
def test_a_section_missing_any_key_reassurance_needs_is_incomplete(section: str, key: str):
    findings = patient()
    del findings[section][key]
    result = result_of(findings)
    assert result["incomplete"] == [section]
    assert result["missing"] == {section: [key]}
    assert result["pathways"] == [] or "transient_pain" not in [
        p["code"] for p in result["pathways"]
    ]
    assert result["escalation"] in ("urgent", "emergency")
    assert result["not_assessed"] == []


@pytest.mark.parametrize(
    ("levels", "needs_arms"),
    [(["C1"], True), (["C7"], True), (["T1"], True), (["T1", "T2"], True), (["T2"], False),
     (["L1"], False), (None, True)],
    ids=["C1", "C7", "T1", "T1-T2", "T2", "L1", "levels-unknown"],
)  # fmt: skip
def test_the_arms_must_be_examined_after_a_level_at_or_above_t1(levels, needs_arms: bool):
    findings = patient()
    if levels is None:
        del findings["procedure"]["levels"]
    else:
        findings["procedure"]["levels"] = levels
    result = result_of(findings)
    assert result["incomplete"] == (["neuro"] if needs_arms else [])
    assert paths(findings) == ([] if needs_arms else TRANSIENT)
    findings["neuro"]["upper_limb"] = "normal"
    assert paths(findings) == TRANSIENT


@pytest.mark.parametrize(
    ("hours", "offered"),
    [(0, True), (72, True), (72.0, True), (72.01, False), (73, False), (8760, False)],
)
def test_transient_pain_within_72_hours(hours: float, offered: bool):
    result = result_of(patient(procedure={"hours_since": hours}))
    assert [p["code"] for p in result["pathways"]] == (["transient_pain"] if offered else [])
    assert result["escalation"] == ("routine" if offered else "urgent")
    if not offered:
        assert "beyond the 72 hours" in result["escalation_detail"]["reason"]


@pytest.mark.parametrize(
    ("procedure", "course", "offered"),
    [
        (None, "improving", True),
        ({}, "improving", True),
        ({"levels": ["L1"]}, "improving", True),
        ({"levels": ["L1"]}, "unchanged", False),
        ({"levels": ["L1"]}, "worse_since_procedure", False),
    ],
    ids=["absent", "empty", "no-hours", "no-hours-unchanged", "no-hours-worse"],
)
def test_with_the_time_unknown_only_improving_pain_is_reassured(procedure, course, offered):
    findings = patient(procedure=None, symptoms={"pain_course": course})
    if procedure is not None:
        findings["procedure"] = procedure
    findings["neuro"]["upper_limb"] = "normal"  # levels unknown: the arms were examined
    result = result_of(findings)
    assert (paths(findings) == TRANSIENT) is offered
    if offered:
        assert "procedure.hours_since not recorded" in result["pathways"][0]["because"][-1]


def test_a_news2_band_other_than_low_is_never_reassured():
    # A temperature of 35.0 scores 3 on its own: band low-medium, though no red flag.
    findings = patient(vitals={"temperature": 35.0})
    result = result_of(findings)
    assert result["news2"] == {"score": 3, "band": "low_medium"}
    assert (result["red_flags"], result["pathways"]) == ([], [])
    assert result["escalation"] == "urgent"
    assert "NEWS2 3" in result["escalation_detail"]["reason"]


def test_a_low_news2_band_of_4_can_be_reassured():
    vitals = {"spo2": 94, "heart_rate": 91, "systolic_bp": 110, "temperature": 36.0}
    result = result_of(patient(vitals=vitals))
    assert result["news2"] == {"score": 4, "band": "low"}
    assert [p["code"] for p in result["pathways"]] == ["transient_pain"]


def test_pain_not_controlled_by_analgesia_is_never_reassured_even_when_moderate():
    findings = patient(symptoms={"pain_score": 5, "uncontrolled_despite_analgesia": True})
    assert flags(findings) == []
    assert paths(findings) == []
    assert result_of(findings)["escalation"] == "urgent"


def test_transient_pain_does_not_need_imaging():
    findings = patient(imaging=None)
    result = result_of(findings)
    assert paths(findings) == TRANSIENT
    assert result["not_assessed"] == ["imaging"]


def test_no_transient_pain_with_a_red_flag():
    findings = patient(symptoms={"pain_score": 8, "uncontrolled_despite_analgesia": True})
    assert paths(findings) == []
    assert flags(findings) == ["uncontrolled_pain"]


@pytest.mark.parametrize(
    "imaging", [scan("paravertebral_venous_leak"), scan("intradiscal_leak")], ids=str
)
def test_reassurance_may_stand_beside_a_confirmed_asymptomatic_leak(imaging: dict):
    found = paths(patient(imaging=imaging))
    assert found[-1] == ("transient_pain", "suspected")
    assert len(found) == 2


@pytest.mark.parametrize(
    "imaging", [scan("foraminal_leak"), scan("pulmonary_cement_embolism"), scan("infection")]
)
def test_no_reassurance_beside_any_other_confirmed_cause(imaging: dict):
    assert "transient_pain" not in [code for code, _ in paths(patient(imaging=imaging))]


# --- Imaging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "urgency"),
    [
        ({"symptoms": {"chest_pain": True}}, "emergency"),
        ({"symptoms": {"chest_pain": True}, "imaging": scan()}, "emergency"),
        ({"imaging": scan()}, "done"),
        ({"imaging": scan(modality="mri")}, "done"),
        ({"imaging": scan("intradiscal_leak")}, "done"),
        ({"imaging": scan(after=False)}, "urgent"),  # an old scan: a new one is needed
        ({"imaging": scan(after=None)}, "urgent"),
        ({"imaging": {"status": "requested"}}, "urgent"),
        ({"imaging": {"status": "not_done"}}, "urgent"),
        ({"imaging": None}, "urgent"),
        # A scan after the symptoms, but a suspected cause needs a further study:
        ({"symptoms": {"pain_course": "new_back_pain"}, "imaging": scan()}, "urgent"),
        ({"vitals": {"temperature": 38.3}, "imaging": scan()}, "urgent"),
    ],
)
def test_imaging_urgency(changes: dict, urgency: str):
    result = result_of(patient(**changes))
    assert result["imaging"] == urgency
    assert result["imaging_detail"]["code"] == urgency
    assert result["imaging_detail"]["guidance_key"] == f"imaging.{urgency}"


def test_urgent_imaging_names_the_further_study():
    result = result_of(patient(vitals={"temperature": 38.3}, imaging=scan()))
    assert result["imaging_detail"]["reason"] == "A further study is needed: MRI with contrast"


def test_imaging_is_urgent_for_empty_findings():
    assert result_of({})["imaging"] == "urgent"
    assert result_of({"imaging": {}})["imaging"] == "urgent"


# --- Escalation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "escalation"),
    [
        ({}, "routine"),
        ({"vitals": {"consciousness": "U"}}, "emergency"),
        ({"symptoms": {"pain_course": "sudden_increase_after_improvement"}}, "urgent"),
        ({"imaging": scan("intradiscal_leak")}, "routine"),
        ({"neuro": {"focal_signs": None}}, "urgent"),
    ],
    ids=["reassured", "red-flag", "suspected-cause", "benign-leak", "incomplete"],
)
def test_escalation(changes: dict, escalation: str):
    findings = patient(**{k: v for k, v in changes.items() if k != "neuro"})
    if "neuro" in changes:
        del findings["neuro"]["focal_signs"]
    result = result_of(findings)
    assert result["escalation"] == escalation
    detail = result["escalation_detail"]
    assert (detail["code"], detail["guidance_key"]) == (escalation, f"escalation.{escalation}")
    assert detail["headline"].startswith({"emergency": "Emergency", "urgent": "Urgent",
                                          "routine": "Routine"}[escalation])  # fmt: skip


def test_an_emergency_names_who_to_call_and_the_first_action_of_each_red_flag():
    findings = patient(neuro={"motor": "new_deficit"}, vitals={"respiratory_rate": 26})
    detail = result_of(findings)["escalation_detail"]
    assert detail["headline"] == "Emergency: call the spinal team and the emergency team now"
    assert detail["actions"][0] == "Call the on-call spinal team now"
    assert detail["actions"][1] == "ABCDE assessment now and call the emergency team"
    assert len(detail["actions"]) == 2


def test_an_emergency_summary_says_a_shared_first_action_once():
    findings = patient(
        symptoms={"chest_pain": True}, vitals={"consciousness": "U", "systolic_bp": 88}
    )
    result = result_of(findings)
    assert len(result["red_flags"]) == 3
    assert result["escalation_detail"]["actions"] == [
        "ABCDE assessment now and call the emergency team"
    ]


def test_a_routine_result_says_no_red_flag_was_found_and_what_was_checked():
    detail = result_of(COMPLETE)["escalation_detail"]
    assert detail["headline"] == "Routine: no red flag found"
    assert detail["reason"].startswith("Checked: symptoms, neuro exam and vital signs")
    assert "NEWS2 0" in detail["reason"]


# --- Not assessed and incomplete ---------------------------------------------------------------


def test_nothing_recorded_means_nothing_assessed():
    result = result_of({})
    assert result["not_assessed"] == ["procedure", "symptoms", "neuro", "vitals", "imaging"]
    assert result["incomplete"] == []
    assert result["red_flags"] == [] and result["pathways"] == []
    assert result["escalation"] == "urgent"


@pytest.mark.parametrize("section", ["procedure", "symptoms", "neuro", "vitals", "imaging"])
@pytest.mark.parametrize("how", ["absent", "empty"])
def test_each_section_absent_or_empty_is_not_assessed(section: str, how: str):
    findings = patient()
    if how == "absent":
        del findings[section]
    else:
        findings[section] = {}
    result = result_of(findings)
    assert result["not_assessed"] == [section]
    # Without levels the arms are needed too: the neuro exam of a lumbar patient is then short.
    assert result["incomplete"] == (["neuro"] if section == "procedure" else [])


def test_not_assessed_and_incomplete_keep_contract_order():
    findings = {
        "imaging": {},
        "vitals": {"spo2": 97},
        "neuro": {"motor": "normal"},
        "symptoms": {"pain_score": 3},
    }
    result = result_of(findings)
    assert result["not_assessed"] == ["procedure", "imaging"]
    assert result["incomplete"] == ["symptoms", "neuro", "vitals"]


def test_vitals_holding_only_the_spo2_scale_are_not_assessed():
    findings = patient()
    findings["vitals"] = {"spo2_scale": 2}
    result = result_of(findings)
    assert result["not_assessed"] == ["vitals"]
    assert result["pathways"] == []


def test_a_partly_recorded_section_is_incomplete_and_never_reassured():
    findings = patient()
    findings["neuro"] = {"motor": "normal", "sensory": "normal"}  # worked example 08
    result = result_of(findings)
    assert result["not_assessed"] == []
    assert result["incomplete"] == ["neuro"]
    assert result["missing"] == {"neuro": ["bowel_bladder", "focal_signs"]}
    assert result["pathways"] == []
    assert result["escalation"] == "urgent"
