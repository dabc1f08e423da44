"""Strict validation of findings: every problem named by its exact field path, all at once."""

from __future__ import annotations

import math

import pytest

from triage.clinical import ROOT, FindingsError, load_json, parse_findings
from triage.clinical.findings import Findings, Imaging, Symptoms, Vitals

# (id, findings, field path, message)
MALFORMED = [
    # Unknown keys at every level.
    ("unknown-section", {"labs": {}}, "labs", "unknown field"),
    ("unknown-procedure-key", {"procedure": {"date": "x"}}, "procedure.date", "unknown field"),
    ("unknown-symptom", {"symptoms": {"nausea": True}}, "symptoms.nausea", "unknown field"),
    ("unknown-neuro-key", {"neuro": {"reflexes": "normal"}}, "neuro.reflexes", "unknown field"),
    ("unknown-vital", {"vitals": {"spo2_percent": 97}}, "vitals.spo2_percent", "unknown field"),
    ("unknown-imaging-key", {"imaging": {"report": "ok"}}, "imaging.report", "unknown field"),
    # Wrong types.
    (
        "string-true",
        {"symptoms": {"chest_pain": "true"}},
        "symptoms.chest_pain",
        "must be true or false",
    ),
    ("one-for-bool", {"vitals": {"on_oxygen": 1}}, "vitals.on_oxygen", "must be true or false"),
    (
        "null-for-bool",
        {"symptoms": {"dyspnoea": None}},
        "symptoms.dyspnoea",
        "must be true or false",
    ),
    ("float-pain", {"symptoms": {"pain_score": 7.5}}, "symptoms.pain_score", "must be an integer"),
    (
        "whole-float-pain",
        {"symptoms": {"pain_score": 7.0}},
        "symptoms.pain_score",
        "must be an integer",
    ),
    ("true-for-int", {"vitals": {"heart_rate": True}}, "vitals.heart_rate", "must be an integer"),
    (
        "string-for-int",
        {"vitals": {"respiratory_rate": "18"}},
        "vitals.respiratory_rate",
        "must be an integer",
    ),
    ("spo2-fraction", {"vitals": {"spo2": 0.97}}, "vitals.spo2", "must be an integer"),
    (
        "string-for-number",
        {"vitals": {"temperature": "37.2"}},
        "vitals.temperature",
        "must be a number",
    ),
    (
        "true-for-number",
        {"procedure": {"hours_since": True}},
        "procedure.hours_since",
        "must be a number",
    ),
    (
        "nan-temperature",
        {"vitals": {"temperature": math.nan}},
        "vitals.temperature",
        "must be a finite number",
    ),
    (
        "inf-hours",
        {"procedure": {"hours_since": math.inf}},
        "procedure.hours_since",
        "must be a finite number",
    ),
    ("null-section", {"vitals": None}, "vitals", "must be an object"),
    ("list-section", {"symptoms": []}, "symptoms", "must be an object"),
    ("string-section", {"neuro": "normal"}, "neuro", "must be an object"),
    ("list-root", [], ROOT, "must be an object"),
    ("null-root", None, ROOT, "must be an object"),
    # Out of range, both ends of every numeric field.
    (
        "hours-low",
        {"procedure": {"hours_since": -1}},
        "procedure.hours_since",
        "must be between 0 and 8760",
    ),
    (
        "hours-high",
        {"procedure": {"hours_since": 8760.5}},
        "procedure.hours_since",
        "must be between 0 and 8760",
    ),
    (
        "pain-low",
        {"symptoms": {"pain_score": -1}},
        "symptoms.pain_score",
        "must be between 0 and 10",
    ),
    (
        "pain-high",
        {"symptoms": {"pain_score": 11}},
        "symptoms.pain_score",
        "must be between 0 and 10",
    ),
    (
        "rr-low",
        {"vitals": {"respiratory_rate": -1}},
        "vitals.respiratory_rate",
        "must be between 0 and 80",
    ),
    (
        "rr-high",
        {"vitals": {"respiratory_rate": 81}},
        "vitals.respiratory_rate",
        "must be between 0 and 80",
    ),
    ("spo2-low", {"vitals": {"spo2": 49}}, "vitals.spo2", "must be between 50 and 100"),
    ("spo2-high", {"vitals": {"spo2": 101}}, "vitals.spo2", "must be between 50 and 100"),
    (
        "sbp-low",
        {"vitals": {"systolic_bp": 39}},
        "vitals.systolic_bp",
        "must be between 40 and 300",
    ),
    (
        "sbp-high",
        {"vitals": {"systolic_bp": 301}},
        "vitals.systolic_bp",
        "must be between 40 and 300",
    ),
    ("hr-low", {"vitals": {"heart_rate": 19}}, "vitals.heart_rate", "must be between 20 and 250"),
    ("hr-high", {"vitals": {"heart_rate": 251}}, "vitals.heart_rate", "must be between 20 and 250"),
    (
        "temp-low",
        {"vitals": {"temperature": 29.9}},
        "vitals.temperature",
        "must be between 30.0 and 45.0",
    ),
    (
        "temp-rounds-into-range",
        {"vitals": {"temperature": 29.96}},  # the range applies to the value as given
        "vitals.temperature",
        "must be between 30.0 and 45.0",
    ),
    (
        "temp-high",
        {"vitals": {"temperature": 45.1}},
        "vitals.temperature",
        "must be between 30.0 and 45.0",
    ),
    ("scale-3", {"vitals": {"spo2_scale": 3}}, "vitals.spo2_scale", "must be 1 or 2"),
    ("scale-true", {"vitals": {"spo2_scale": True}}, "vitals.spo2_scale", "must be 1 or 2"),
    ("scale-string", {"vitals": {"spo2_scale": "2"}}, "vitals.spo2_scale", "must be 1 or 2"),
    # Bad enumerations.
    (
        "acvpu-word",
        {"vitals": {"consciousness": "drowsy"}},
        "vitals.consciousness",
        "must be one of: A, C, V, P, U",
    ),
    (
        "acvpu-lowercase",
        {"vitals": {"consciousness": "a"}},
        "vitals.consciousness",
        "must be one of: A, C, V, P, U",
    ),
    (
        "pain-course",
        {"symptoms": {"pain_course": "better"}},
        "symptoms.pain_course",
        "must be one of: improving, unchanged, worse_since_procedure, "
        "sudden_increase_after_improvement, new_back_pain",
    ),
    (
        "motor",
        {"neuro": {"motor": "weak"}},
        "neuro.motor",
        "must be one of: normal, stable_deficit, new_deficit, worsening_deficit",
    ),
    (
        "bowel-bladder-detail-word",
        {"neuro": {"bowel_bladder": "pre_existing_unchanged"}},
        "neuro.bowel_bladder",
        "must be one of: normal, stable_dysfunction, new_dysfunction, worsening_dysfunction",
    ),
    (
        "upper-limb",
        {"neuro": {"upper_limb": "weak"}},
        "neuro.upper_limb",
        "must be one of: normal, stable_deficit, new_deficit, worsening_deficit",
    ),
    (
        "focal-signs-string",
        {"neuro": {"focal_signs": "no"}},
        "neuro.focal_signs",
        "must be true or false",
    ),
    (
        "focal-signs-null",
        {"neuro": {"focal_signs": None}},
        "neuro.focal_signs",
        "must be true or false",
    ),
    (
        "oxygen-reason-word",
        {"vitals": {"on_oxygen": True, "oxygen_reason": "sedation"}},
        "vitals.oxygen_reason",
        "must be one of: routine, long_term, low_saturation",
    ),
    (
        "oxygen-reason-on-air",
        {"vitals": {"on_oxygen": False, "oxygen_reason": "routine"}},
        "vitals.oxygen_reason",
        "allowed only when on_oxygen is true",
    ),
    (
        "oxygen-reason-without-oxygen-answer",
        {"vitals": {"oxygen_reason": "long_term"}},
        "vitals.oxygen_reason",
        "allowed only when on_oxygen is true",
    ),
    (
        "oxygen-reason-beside-a-bad-oxygen-answer",  # reported alone, not judged against it
        {"vitals": {"on_oxygen": "yes", "oxygen_reason": "routine"}},
        "vitals.on_oxygen",
        "must be true or false",
    ),
    (
        "after-symptoms-string",
        {
            "imaging": {
                "status": "done",
                "modality": "mri",
                "findings": ["no_leak"],
                "after_current_symptoms": "yes",
            }
        },
        "imaging.after_current_symptoms",
        "must be true or false",
    ),
    (
        "after-symptoms-while-requested",
        {"imaging": {"status": "requested", "after_current_symptoms": True}},
        "imaging.after_current_symptoms",
        'not allowed unless status is "done"',
    ),
    (
        "after-symptoms-without-status",
        {"imaging": {"after_current_symptoms": False}},
        "imaging.after_current_symptoms",
        'not allowed unless status is "done"',
    ),
    (
        "levels-empty",
        {"procedure": {"levels": []}},
        "procedure.levels",
        "must name at least one level",
    ),
    (
        "imaging-status",
        {"imaging": {"status": "pending"}},
        "imaging.status",
        "must be one of: not_done, requested, done",
    ),
    (
        "bad-status-alone",  # a wrong status is reported alone, not judged against the rest
        {"imaging": {"status": "pending", "modality": "ct", "findings": ["no_leak"]}},
        "imaging.status",
        "must be one of: not_done, requested, done",
    ),
    (
        "null-for-int",
        {"symptoms": {"pain_score": None}},
        "symptoms.pain_score",
        "must be an integer",
    ),
    (
        "modality",
        {"imaging": {"status": "done", "modality": "xray", "findings": ["no_leak"]}},
        "imaging.modality",
        "must be one of: ct, mri, ct_and_mri",
    ),
    (
        "imaging-finding",
        {"imaging": {"status": "done", "modality": "ct", "findings": ["leak"]}},
        "imaging.findings[0]",
        "must be one of: no_leak, foraminal_leak, epidural_leak, paravertebral_venous_leak, "
        "intradiscal_leak, pulmonary_cement_embolism, cardiac_cement_embolism, "
        "cerebral_cement_embolism, new_adjacent_fracture, cord_compression, infection",
    ),
    # Vertebral levels.
    (
        "level-L6",
        {"procedure": {"levels": ["L6"]}},
        "procedure.levels[0]",
        "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ),
    (
        "level-t12",
        {"procedure": {"levels": ["T11", "t12"]}},
        "procedure.levels[1]",
        "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ),
    (
        "level-S2",
        {"procedure": {"levels": ["S2"]}},
        "procedure.levels[0]",
        "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ),
    (
        "level-C8",
        {"procedure": {"levels": ["C8"]}},
        "procedure.levels[0]",
        "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ),
    (
        "level-number",
        {"procedure": {"levels": [12]}},
        "procedure.levels[0]",
        "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1",
    ),
    ("levels-string", {"procedure": {"levels": "T12"}}, "procedure.levels", "must be a list"),
    (
        "level-duplicate",
        {"procedure": {"levels": ["L1", "L2", "L1"]}},
        "procedure.levels[2]",
        "duplicate value",
    ),
    # Imaging consistency.
    (
        "no-leak-with-other",
        {"imaging": {"status": "done", "modality": "ct", "findings": ["no_leak", "epidural_leak"]}},
        "imaging.findings",
        '"no_leak" cannot be combined with other findings',
    ),
    (
        "findings-while-requested",
        {"imaging": {"status": "requested", "findings": ["epidural_leak"]}},
        "imaging.findings",
        'not allowed unless status is "done"',
    ),
    (
        "findings-while-not-done",
        {"imaging": {"status": "not_done", "findings": ["no_leak"]}},
        "imaging.findings",
        'not allowed unless status is "done"',
    ),
    (
        "empty-findings-while-done",  # a done scan must say what it showed
        {"imaging": {"status": "done", "modality": "ct", "findings": []}},
        "imaging.findings",
        'must not be empty (use ["no_leak"] for a normal scan)',
    ),
    (
        "findings-without-status",
        {"imaging": {"findings": ["no_leak"]}},
        "imaging.findings",
        'not allowed unless status is "done"',
    ),
    (
        "done-without-modality",
        {"imaging": {"status": "done", "findings": ["no_leak"]}},
        "imaging.modality",
        'required when status is "done"',
    ),
    (
        "done-without-findings",
        {"imaging": {"status": "done", "modality": "mri"}},
        "imaging.findings",
        'required when status is "done" (use ["no_leak"] for a normal scan)',
    ),
    (
        "finding-duplicate",
        {
            "imaging": {
                "status": "done",
                "modality": "ct",
                "findings": ["epidural_leak", "epidural_leak"],
            }
        },
        "imaging.findings[1]",
        "duplicate value",
    ),
    (
        "findings-not-a-list",
        {"imaging": {"status": "done", "modality": "ct", "findings": "epidural_leak"}},
        "imaging.findings",
        "must be a list",
    ),
]


@pytest.mark.parametrize(
    ("findings", "path", "message"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_it_refuses_malformed_findings_naming_the_field(findings: object, path: str, message: str):
    with pytest.raises(FindingsError) as refused:
        parse_findings(findings)
    assert refused.value.errors == {path: [message]}


def test_the_table_is_large_enough():
    assert len(MALFORMED) >= 30
    assert len({case[0] for case in MALFORMED}) == len(MALFORMED)


def test_it_reports_every_problem_at_once():
    findings = {
        "procedure": {"levels": ["L6", "L1", "L1"], "when": "today"},
        "symptoms": {"pain_score": 12, "chest_pain": "yes"},
        "neuro": None,
        "vitals": {"spo2": 104, "consciousness": "drowsy", "temperature": 37.0},
        "imaging": {"status": "done"},
        "history": {},
    }
    with pytest.raises(FindingsError) as refused:
        parse_findings(findings)
    assert refused.value.errors == {
        "procedure.levels[0]": ["must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1"],
        "procedure.levels[2]": ["duplicate value"],
        "procedure.when": ["unknown field"],
        "symptoms.pain_score": ["must be between 0 and 10"],
        "symptoms.chest_pain": ["must be true or false"],
        "neuro": ["must be an object"],
        "vitals.spo2": ["must be between 50 and 100"],
        "vitals.consciousness": ["must be one of: A, C, V, P, U"],
        "imaging.modality": ['required when status is "done"'],
        "imaging.findings": ['required when status is "done" (use ["no_leak"] for a normal scan)'],
        "history": ["unknown field"],
    }
    lines = refused.value.lines()
    assert len(lines) == 11
    assert lines[0] == "procedure.levels[0]: must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1"
    assert "vitals.spo2: must be between 50 and 100" in str(refused.value)


def test_a_key_given_twice_in_the_json_text_is_refused():
    data = load_json('{"symptoms": {"chest_pain": true, "chest_pain": false}, "neuro": {}}')
    with pytest.raises(FindingsError) as refused:
        parse_findings(data)
    assert refused.value.errors == {"symptoms.chest_pain": ["duplicate key"]}


def test_a_section_given_twice_in_the_json_text_is_refused():
    with pytest.raises(FindingsError) as refused:
        parse_findings(load_json('{"neuro": {}, "neuro": {"motor": "normal"}}'))
    assert refused.value.errors == {"neuro": ["duplicate key"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON: Expecting value at line 1 column 1"),
        (
            "{",
            "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ('{"vitals": }', "not valid JSON: Expecting value at line 1 column 12"),
        ("symptoms: none", "not valid JSON: Expecting value at line 1 column 1"),
        (b"\xff\xfe\x00", "not valid JSON: UnicodeDecodeError"),
    ],
)
def test_text_that_is_not_json_is_refused_at_the_root(text: str | bytes, message: str):
    with pytest.raises(FindingsError) as refused:
        load_json(text)
    assert refused.value.errors == {ROOT: [message]}


@pytest.mark.parametrize(
    "findings",
    [
        {},
        {"symptoms": {}, "neuro": {}, "vitals": {}, "imaging": {}, "procedure": {}},
        {"imaging": {"status": "requested", "modality": "mri"}},
        # A modality is allowed with any status (and ignored unless the scan is done).
        {"imaging": {"status": "not_done", "modality": "ct"}},
        {"imaging": {"modality": "mri"}},
        {"imaging": {"status": "done", "modality": "ct_and_mri", "findings": ["no_leak"]}},
        {
            "imaging": {
                "status": "done",
                "modality": "mri",
                "findings": ["cerebral_cement_embolism", "infection"],
                "after_current_symptoms": False,
            }
        },
        {"imaging": {"status": "not_done"}},
        {"vitals": {"temperature": 37, "spo2_scale": 2, "spo2": 50}},
        {"vitals": {"temperature": 30.0, "respiratory_rate": 0, "systolic_bp": 300}},
        {"vitals": {"on_oxygen": True, "oxygen_reason": "routine"}},
        {"vitals": {"on_oxygen": True}},
        {"neuro": {"upper_limb": "stable_deficit", "focal_signs": False}},
        {"neuro": {"bowel_bladder": "worsening_dysfunction"}},
        {"symptoms": {"pain_course": "new_back_pain"}},
        {"procedure": {"hours_since": 0.5}},
        {"procedure": {"hours_since": 8760, "levels": ["C1", "T12", "L5", "S1"]}},
        {"symptoms": {"pain_score": 0, "chest_pain": False}},
    ],
)
def test_it_accepts_valid_edge_cases_and_round_trips(findings: dict):
    parsed = parse_findings(findings)
    assert parsed.to_dict() == findings
    assert parse_findings(parsed.to_dict()) == parsed


def test_it_builds_typed_sections():
    parsed = parse_findings(
        {
            "procedure": {"hours_since": 30, "levels": ["T12", "L1"]},
            "symptoms": {"pain_score": 8, "chest_pain": False},
            "vitals": {"spo2": 97},
            "imaging": {"status": "done", "modality": "mri", "findings": ["epidural_leak"]},
        }
    )
    assert parsed.procedure is not None and parsed.procedure.levels == ("T12", "L1")
    assert parsed.symptoms == Symptoms(pain_score=8, chest_pain=False)
    assert parsed.neuro is None
    assert parsed.vitals == Vitals(spo2=97)
    assert parsed.vitals.effective_spo2_scale == 1
    assert parsed.imaging == Imaging(status="done", modality="mri", findings=("epidural_leak",))
    assert not parsed.imaging.excludes  # not known to be from after the current symptoms
    assert Findings() == parse_findings({})


def _done(modality: str, **more: bool) -> dict:
    return {"status": "done", "modality": modality, "findings": ["no_leak"], **more}


@pytest.mark.parametrize(
    ("imaging", "excludes", "mri_excludes"),
    [
        (_done("ct"), False, False),
        (_done("ct", after_current_symptoms=True), True, False),
        (_done("mri", after_current_symptoms=True), True, True),
        (_done("ct_and_mri", after_current_symptoms=True), True, True),
        (_done("mri", after_current_symptoms=False), False, False),
        ({"status": "requested", "modality": "mri"}, False, False),
    ],
)
def test_only_a_scan_made_after_the_current_symptoms_excludes(imaging, excludes, mri_excludes):
    parsed = parse_findings({"imaging": imaging}).imaging
    assert (parsed.excludes, parsed.mri_excludes) == (excludes, mri_excludes)
