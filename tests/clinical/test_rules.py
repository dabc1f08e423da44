"""Every decision rule of the assessment contract (v1)."""

from __future__ import annotations

import pytest

from tests.clinical.helpers import COMPLETE, flags, paths, patient, result_of, scan
from triage.clinical import PATHWAY_CODES, RED_FLAG_CODES


def test_the_complete_unremarkable_patient_gets_transient_pain_only():
    result = result_of(COMPLETE)
    assert result["red_flags"] == []
    assert paths(COMPLETE) == [("transient_pain", "suspected")]
    assert result["imaging"] == "urgent"
    assert result["not_assessed"] == []
    assert result["news2"] == {"score": 0, "band": "low"}


# --- Red flags -------------------------------------------------------------------------------


def test_cord_compression_on_imaging_is_a_red_flag():
    findings = patient(imaging=scan("cord_compression", modality="mri"))
    result = result_of(findings)
    assert [f["code"] for f in result["red_flags"]] == ["cord_compression"]
    assert result["red_flags"][0]["because"] == ["imaging.findings includes cord_compression"]


@pytest.mark.parametrize(
    ("neuro", "reason"),
    [
        ({"motor": "new_deficit"}, "New lower-limb weakness"),
        ({"motor": "worsening_deficit"}, "Worsening lower-limb weakness"),
        ({"sensory": "new_deficit"}, "New lower-limb sensory loss"),
        ({"sensory": "worsening_deficit"}, "Worsening lower-limb sensory loss"),
        ({"bowel_bladder": "new_dysfunction"}, "New bowel or bladder dysfunction"),
    ],
)
def test_a_new_or_worsening_deficit_is_a_progressive_neuro_deficit(neuro: dict, reason: str):
    result = result_of(patient(neuro=neuro))
    assert [(f["code"], f["reason"]) for f in result["red_flags"]] == [
        ("progressive_neuro_deficit", reason)
    ]
    key, value = next(iter(neuro.items()))
    assert result["red_flags"][0]["because"] == [f"neuro.{key} = {value}"]


@pytest.mark.parametrize("neuro", [{"motor": "stable_deficit"}, {"sensory": "stable_deficit"}, {}])
def test_a_stable_deficit_is_not_a_red_flag(neuro: dict):
    assert flags(patient(neuro=neuro)) == []


def test_all_neuro_triggers_are_named_together():
    neuro = {
        "motor": "worsening_deficit",
        "sensory": "new_deficit",
        "bowel_bladder": "new_dysfunction",
    }
    flag = result_of(patient(neuro=neuro))["red_flags"][0]
    assert flag["reason"] == (
        "Worsening lower-limb weakness; New lower-limb sensory loss; "
        "New bowel or bladder dysfunction"
    )
    assert flag["because"] == [
        "neuro.motor = worsening_deficit",
        "neuro.sensory = new_deficit",
        "neuro.bowel_bladder = new_dysfunction",
    ]


@pytest.mark.parametrize(
    ("changes", "because"),
    [
        ({"symptoms": {"chest_pain": True}}, "symptoms.chest_pain = true"),
        ({"symptoms": {"dyspnoea": True}}, "symptoms.dyspnoea = true"),
        ({"vitals": {"respiratory_rate": 21}}, "vitals.respiratory_rate = 21 (> 20)"),
        ({"vitals": {"spo2": 93}}, "vitals.spo2 = 93 (< 94 on scale 1)"),
        ({"vitals": {"spo2": 87, "spo2_scale": 2}}, "vitals.spo2 = 87 (< 88 on scale 2)"),
        ({"vitals": {"spo2": 93, "spo2_scale": 1}}, "vitals.spo2 = 93 (< 94 on scale 1)"),
    ],
)
def test_respiratory_distress(changes: dict, because: str):
    result = result_of(patient(**changes))
    assert [f["code"] for f in result["red_flags"]] == ["respiratory_distress"]
    assert result["red_flags"][0]["because"] == [because]


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


def test_tachypnoea_and_hypoxia_are_derived_even_without_a_full_news2():
    result = result_of({"vitals": {"respiratory_rate": 26, "spo2": 90}})
    assert result["news2"] is None
    assert [f["code"] for f in result["red_flags"]] == ["respiratory_distress"]
    assert result["derived_signs"] == {"tachypnoea": True, "hypoxia": True, "tachycardia": None}


def test_news2_of_7_is_a_red_flag():
    # 3 (unresponsive) + 3 (SBP 90) + 1 (temperature 38.5): high, without respiratory signs.
    findings = patient(vitals={"consciousness": "U", "systolic_bp": 90, "temperature": 38.5})
    result = result_of(findings)
    assert result["news2"] == {"score": 7, "band": "high"}
    assert [f["code"] for f in result["red_flags"]] == ["news2_high"]
    assert result["red_flags"][0]["because"] == ["news2.score = 7 (>= 7)"]


def test_news2_of_6_is_not_a_red_flag():
    findings = patient(vitals={"consciousness": "U", "systolic_bp": 90})
    result = result_of(findings)
    assert result["news2"] == {"score": 6, "band": "medium"}
    assert result["red_flags"] == []


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
        symptoms={"pain_score": 9, "uncontrolled_despite_analgesia": True, "chest_pain": True},
        neuro={"motor": "new_deficit"},
        vitals={"respiratory_rate": 25, "consciousness": "U", "systolic_bp": 90},
        imaging=scan("cord_compression", modality="mri"),
    )
    assert flags(findings) == list(RED_FLAG_CODES)


def test_red_flag_codes_are_the_contracts():
    assert RED_FLAG_CODES == (
        "cord_compression",
        "progressive_neuro_deficit",
        "respiratory_distress",
        "news2_high",
        "uncontrolled_pain",
    )


# --- Pathways --------------------------------------------------------------------------------


def test_cord_compression_confirmed():
    assert paths(patient(imaging=scan("cord_compression", modality="mri"))) == [
        ("cord_compression", "confirmed")
    ]


@pytest.mark.parametrize(
    "imaging", [{"status": "not_done"}, {"status": "requested"}, None, {}], ids=str
)
def test_cord_compression_suspected_on_a_deficit_until_a_scan_is_done(imaging: dict | None):
    findings = patient(neuro={"sensory": "worsening_deficit"}, imaging=None)
    if imaging is not None:
        findings["imaging"] = imaging
    assert paths(findings) == [("cord_compression", "suspected")]


def test_cord_compression_not_suspected_once_a_scan_shows_none():
    findings = patient(neuro={"motor": "new_deficit"}, imaging=scan("no_leak", modality="mri"))
    result = result_of(findings)
    assert paths(findings) == []
    # The red flag still stands: the deficit itself needs the spinal team.
    assert flags(findings) == ["progressive_neuro_deficit"]
    assert result["imaging"] == "emergency"


def test_cement_embolism_confirmed():
    assert paths(patient(imaging=scan("pulmonary_cement_embolism"))) == [
        ("cement_embolism", "confirmed")
    ]


def test_cement_embolism_suspected_on_respiratory_distress():
    assert paths(patient(symptoms={"dyspnoea": True})) == [("cement_embolism", "suspected")]


def test_cement_embolism_suspected_on_a_venous_leak_with_tachycardia():
    findings = patient(vitals={"heart_rate": 101}, imaging=scan("paravertebral_venous_leak"))
    result = result_of(findings)
    assert paths(findings) == [
        ("cement_embolism", "suspected"),
        ("cement_leak_venous", "confirmed"),
    ]
    assert result["pathways"][0]["because"] == [
        "imaging.findings includes paravertebral_venous_leak",
        "vitals.heart_rate = 101 (> 100)",
    ]


@pytest.mark.parametrize("vitals", [{"heart_rate": 100}, None], ids=["hr-100", "no-vitals"])
def test_a_venous_leak_without_tachycardia_is_only_a_venous_leak(vitals: dict | None):
    findings = patient(vitals=vitals, imaging=scan("paravertebral_venous_leak"))
    assert paths(findings) == [("cement_leak_venous", "confirmed")]


@pytest.mark.parametrize("leak", ["foraminal_leak", "epidural_leak"])
def test_cement_leak_neural_confirmed(leak: str):
    assert paths(patient(imaging=scan(leak))) == [("cement_leak_neural", "confirmed")]


def test_cement_leak_neural_names_both_leaks():
    pathway = result_of(patient(imaging=scan("foraminal_leak", "epidural_leak")))["pathways"][0]
    assert pathway["because"] == [
        "imaging.findings includes foraminal_leak",
        "imaging.findings includes epidural_leak",
    ]


@pytest.mark.parametrize("imaging", [{"status": "not_done"}, {"status": "requested"}, None])
def test_cement_leak_neural_suspected_on_radicular_pain_until_a_scan_is_done(imaging: dict | None):
    findings = patient(symptoms={"radicular_pain": True}, imaging=None)
    if imaging is not None:
        findings["imaging"] = imaging
    result = result_of(findings)
    assert paths(findings) == [("cement_leak_neural", "suspected")]
    expected_status = (
        "imaging.status not recorded (not done)"
        if imaging is None
        else f"imaging.status = {imaging['status']} (not done)"
    )
    assert result["pathways"][0]["because"] == ["symptoms.radicular_pain = true", expected_status]


def test_radicular_pain_after_a_clear_scan_suspects_no_leak():
    assert paths(patient(symptoms={"radicular_pain": True}, imaging=scan())) == [
        ("transient_pain", "suspected")
    ]


def test_adjacent_fracture_confirmed():
    assert paths(patient(imaging=scan("new_adjacent_fracture", modality="mri"))) == [
        ("adjacent_fracture", "confirmed")
    ]


def test_adjacent_fracture_suspected_on_a_sudden_increase_after_improvement():
    findings = patient(symptoms={"pain_course": "sudden_increase_after_improvement"})
    assert paths(findings) == [("adjacent_fracture", "suspected")]


@pytest.mark.parametrize("course", ["improving", "unchanged", "worse_since_procedure"])
def test_other_pain_courses_do_not_suspect_a_fracture(course: str):
    assert paths(patient(symptoms={"pain_course": course})) == [("transient_pain", "suspected")]


def test_cement_leak_venous_confirmed():
    assert paths(patient(imaging=scan("paravertebral_venous_leak"))) == [
        ("cement_leak_venous", "confirmed")
    ]


def test_cement_leak_intradiscal_confirmed():
    assert paths(patient(imaging=scan("intradiscal_leak"))) == [
        ("cement_leak_intradiscal", "confirmed")
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {
                "neuro": {"motor": "new_deficit"},
                "imaging": scan("cord_compression", modality="mri"),
            },
            ("cord_compression", "confirmed"),
        ),
        (
            {"symptoms": {"chest_pain": True}, "imaging": scan("pulmonary_cement_embolism")},
            ("cement_embolism", "confirmed"),
        ),
        (
            {
                "symptoms": {"pain_course": "sudden_increase_after_improvement"},
                "imaging": scan("new_adjacent_fracture", modality="mri"),
            },
            ("adjacent_fracture", "confirmed"),
        ),
    ],
)
def test_confirmed_beats_suspected_for_the_same_pathway(changes: dict, expected: tuple):
    assert paths(patient(**changes)) == [expected]


def test_confirmed_pathways_come_in_contract_order():
    findings = patient(
        imaging=scan(
            "intradiscal_leak",
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
        imaging={"status": "requested"},
    )
    assert paths(findings) == [
        ("cord_compression", "suspected"),
        ("cement_embolism", "suspected"),
        ("cement_leak_neural", "suspected"),
        ("adjacent_fracture", "suspected"),
    ]


def test_pathway_codes_are_the_contracts():
    assert PATHWAY_CODES == (
        "cord_compression",
        "cement_embolism",
        "cement_leak_neural",
        "adjacent_fracture",
        "cement_leak_venous",
        "cement_leak_intradiscal",
        "transient_pain",
    )


# --- Transient pain: reassurance only for a fully checked patient ----------------------------


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
    assert any(
        w.startswith("Transient pain cannot be offered:") and section in w
        for w in result["warnings"]
    )


@pytest.mark.parametrize(
    ("hours", "offered"),
    [(0, True), (72, True), (72.0, True), (72.01, False), (73, False), (8760, False)],
)
def test_transient_pain_within_72_hours(hours: float, offered: bool):
    result = result_of(patient(procedure={"hours_since": hours}))
    assert [p["code"] for p in result["pathways"]] == (["transient_pain"] if offered else [])
    withheld = [w for w in result["warnings"] if w.startswith("Transient pain cannot be offered")]
    assert bool(withheld) is not offered
    if not offered:
        assert "72-hour window" in withheld[0]


@pytest.mark.parametrize(
    "procedure", [None, {}, {"levels": ["L1"]}], ids=["absent", "empty", "no-hours"]
)
def test_transient_pain_when_the_time_since_the_procedure_is_unknown(procedure: dict | None):
    findings = patient(procedure=None)
    if procedure is not None:
        findings["procedure"] = procedure
    result = result_of(findings)
    assert paths(findings) == [("transient_pain", "suspected")]
    assert "procedure.hours_since not recorded" in result["pathways"][0]["because"]


def test_transient_pain_does_not_need_imaging():
    findings = patient(imaging=None)
    result = result_of(findings)
    assert paths(findings) == [("transient_pain", "suspected")]
    assert result["not_assessed"] == ["imaging"]


def test_no_transient_pain_with_a_red_flag():
    findings = patient(symptoms={"pain_score": 8, "uncontrolled_despite_analgesia": True})
    assert paths(findings) == []
    assert flags(findings) == ["uncontrolled_pain"]
    assert not any("Transient pain" in w for w in result_of(findings)["warnings"])


def test_no_transient_pain_with_another_pathway():
    assert paths(patient(imaging=scan("intradiscal_leak"))) == [
        ("cement_leak_intradiscal", "confirmed")
    ]


# --- Imaging urgency -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "urgency"),
    [
        ({"symptoms": {"chest_pain": True}}, "emergency"),
        ({"symptoms": {"chest_pain": True}, "imaging": scan()}, "emergency"),
        ({"imaging": scan()}, "done"),
        ({"imaging": scan("intradiscal_leak")}, "done"),
        ({"imaging": {"status": "requested"}}, "urgent"),
        ({"imaging": {"status": "not_done"}}, "urgent"),
        ({"imaging": None}, "urgent"),
    ],
)
def test_imaging_urgency(changes: dict, urgency: str):
    result = result_of(patient(**changes))
    assert result["imaging"] == urgency
    assert result["imaging_detail"]["code"] == urgency
    assert result["imaging_detail"]["guidance_key"] == f"imaging.{urgency}"


def test_imaging_is_urgent_for_empty_findings():
    assert result_of({})["imaging"] == "urgent"
    assert result_of({"imaging": {}})["imaging"] == "urgent"


# --- Not assessed ----------------------------------------------------------------------------


def test_nothing_recorded_means_nothing_assessed():
    result = result_of({})
    assert result["not_assessed"] == ["symptoms", "neuro", "vitals", "imaging"]
    assert result["red_flags"] == [] and result["pathways"] == []


@pytest.mark.parametrize("section", ["symptoms", "neuro", "vitals", "imaging"])
@pytest.mark.parametrize("how", ["absent", "empty"])
def test_each_section_absent_or_empty_is_not_assessed(section: str, how: str):
    findings = patient()
    if how == "absent":
        del findings[section]
    else:
        findings[section] = {}
    assert result_of(findings)["not_assessed"] == [section]


def test_not_assessed_keeps_contract_order():
    findings = {"imaging": {}, "vitals": {}, "procedure": {"hours_since": 2}}
    assert result_of(findings)["not_assessed"] == ["symptoms", "neuro", "vitals", "imaging"]


def test_the_procedure_section_is_never_reported_as_not_assessed():
    assert result_of(patient(procedure=None))["not_assessed"] == []


def test_vitals_holding_only_the_spo2_scale_are_not_assessed():
    findings = patient()
    findings["vitals"] = {"spo2_scale": 2}
    result = result_of(findings)
    assert result["not_assessed"] == ["vitals"]
    assert result["pathways"] == []


def test_a_partly_recorded_section_counts_as_assessed():
    findings = patient()
    findings["neuro"] = {"motor": "normal"}
    assert result_of(findings)["not_assessed"] == []
