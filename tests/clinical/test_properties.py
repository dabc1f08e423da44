"""Properties that must hold for every valid findings object, checked over generated ones."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clinical import strategies
from triage.clinical import PATHWAY_CODES, RED_FLAG_CODES, assess_json, parse_findings
from triage.clinical.findings import BOWEL_BLADDER_STATUSES, NEURO_STATUSES

# deadline=None: a loaded CI machine must not turn a slow example into a failure.
CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
any_findings = st.one_of(
    strategies.findings, strategies.checked_findings, strategies.complete_findings
)


def in_contract_order(codes: list[str], order: tuple[str, ...]) -> bool:
    return codes == sorted(codes, key=order.index) and len(set(codes)) == len(codes)


@CHECK
@given(any_findings)
def test_assessing_valid_findings_never_fails_and_round_trips_through_json(findings: dict):
    parsed = parse_findings(findings)
    assert parsed.to_dict() == findings
    result = assess_json(findings).to_dict()
    assert json.loads(json.dumps(result)) == result
    assert result["contract"] == "v2"
    assert result["imaging"] in ("emergency", "urgent", "done")
    assert result["escalation"] in ("emergency", "urgent", "routine")


@CHECK
@given(any_findings)
def test_codes_are_distinct_and_in_contract_order(findings: dict):
    result = assess_json(findings).to_dict()
    assert in_contract_order([f["code"] for f in result["red_flags"]], RED_FLAG_CODES)
    assert in_contract_order([p["code"] for p in result["pathways"]], PATHWAY_CODES)
    assert all(p["status"] in ("suspected", "confirmed") for p in result["pathways"])
    sections = ("procedure", "symptoms", "neuro", "vitals", "imaging")
    assert in_contract_order(result["not_assessed"], sections)
    assert in_contract_order(result["incomplete"], ("symptoms", "neuro", "vitals"))
    assert not set(result["not_assessed"]) & set(result["incomplete"])


@CHECK
@given(any_findings)
def test_transient_pain_is_never_offered_to_a_patient_who_may_be_deteriorating(findings: dict):
    result = assess_json(findings).to_dict()
    codes = [p["code"] for p in result["pathways"]]
    if "transient_pain" not in codes:
        return
    assert codes[-1] == "transient_pain"
    assert set(codes[:-1]) <= {"cement_leak_venous", "cement_leak_intradiscal"}
    assert all(p["status"] == "confirmed" for p in result["pathways"][:-1])
    assert result["red_flags"] == []
    assert not {"symptoms", "neuro", "vitals"} & set(result["not_assessed"])
    assert result["incomplete"] == []
    assert result["news2"]["band"] == "low"
    symptoms = findings["symptoms"]
    assert symptoms["radicular_pain"] is False
    assert symptoms["uncontrolled_despite_analgesia"] is False
    hours = findings.get("procedure", {}).get("hours_since")
    assert (hours is not None and hours <= 72) or (
        hours is None and symptoms["pain_course"] == "improving"
    )


@CHECK
@given(strategies.complete_findings)
def test_reassurance_is_actually_offered_to_some_complete_patients(findings: dict):
    """The property above must not pass vacuously: a calm, complete patient at 12 hours with
    improving pain and nothing else is reassured."""
    calm = copy.deepcopy(findings)
    calm["procedure"]["hours_since"] = 12
    calm["symptoms"].update(
        pain_course="improving", radicular_pain=False, uncontrolled_despite_analgesia=False
    )
    calm["neuro"].update(upper_limb="normal")
    calm["vitals"].update(
        respiratory_rate=16, spo2=97, on_oxygen=False, systolic_bp=130, heart_rate=70,
        consciousness="A", temperature=36.8,
    )  # fmt: skip
    calm["vitals"].pop("oxygen_reason", None)
    calm["imaging"] = {"status": "not_done"}
    result = assess_json(calm).to_dict()
    assert [p["code"] for p in result["pathways"]] == ["transient_pain"]
    assert result["escalation"] == "routine"


@CHECK
@given(any_findings)
def test_escalation_is_an_emergency_exactly_when_there_is_a_red_flag(findings: dict):
    result = assess_json(findings).to_dict()
    assert (result["escalation"] == "emergency") == bool(result["red_flags"])
    routine = result["escalation"] == "routine"
    assert routine == ("transient_pain" in [p["code"] for p in result["pathways"]])


@CHECK
@given(any_findings)
def test_imaging_is_an_emergency_exactly_when_there_is_a_red_flag(findings: dict):
    result = assess_json(findings).to_dict()
    assert (result["imaging"] == "emergency") == bool(result["red_flags"])
    if result["imaging"] == "done":
        assert findings["imaging"]["status"] == "done"


@CHECK
@given(strategies.checked_findings)
def test_news2_is_the_sum_of_its_sub_scores(findings: dict):
    result = assess_json(findings).to_dict()
    detail = result["news2_detail"]
    assert result["news2"]["score"] == detail["score"] == sum(detail["sub_scores"].values())
    assert all(0 <= s <= 3 for s in detail["sub_scores"].values())
    score, band = result["news2"]["score"], result["news2"]["band"]
    expected_band = (
        "high"
        if score >= 7
        else "medium"
        if score >= 5
        else "low_medium"
        if 3 in detail["sub_scores"].values()
        else "low"
    )
    assert band == expected_band
    assert (score >= 7) == ("news2_high" in [f["code"] for f in result["red_flags"]])


# --- Monotonicity: a worse finding never removes a red flag ----------------------------------


def _worsen_vital(vitals: dict, name: str, step: int) -> None:
    """Move one vital sign away from normal, so that its NEWS2 sub-score and derived sign can
    only stay or rise."""
    value = vitals.get(name)
    if name == "on_oxygen":
        vitals[name] = True  # an oxygen_reason kept from before still applies
    elif name == "consciousness":
        vitals[name] = "CVPU"[step % 4]
    elif value is None:
        return
    elif name == "respiratory_rate":
        vitals[name] = min(80, value + step) if value >= 12 else max(0, value - step)
    elif name == "spo2":
        rising_is_worse = vitals.get("spo2_scale") == 2 and vitals.get("on_oxygen") and value >= 93
        vitals[name] = min(100, value + step) if rising_is_worse else max(50, value - step)
    elif name == "systolic_bp":
        vitals[name] = min(300, value + step) if value >= 220 else max(40, value - step)
    elif name == "heart_rate":
        vitals[name] = min(250, value + step) if value >= 51 else max(20, value - step)
    elif name == "temperature":
        delta = step / 10
        vitals[name] = min(45.0, value + delta) if value >= 36.05 else max(30.0, value - delta)


@st.composite
def worsened(draw: st.DrawFn) -> tuple[dict, dict]:
    before = draw(any_findings)
    after = copy.deepcopy(before)
    change = draw(
        st.sampled_from(
            ("symptom", "severe_pain", "neuro", "bowel_bladder", "focal", "imaging", "vital")
        )
    )
    if change == "symptom":
        key = draw(
            st.sampled_from(
                ("chest_pain", "dyspnoea", "radicular_pain", "uncontrolled_despite_analgesia")
            )
        )
        after.setdefault("symptoms", {})[key] = True
    elif change == "severe_pain":
        symptoms = after.setdefault("symptoms", {})
        symptoms["pain_score"] = max(symptoms.get("pain_score", 0), draw(st.integers(7, 10)))
        symptoms["uncontrolled_despite_analgesia"] = True
    elif change == "neuro":
        key = draw(st.sampled_from(("motor", "sensory", "upper_limb")))
        neuro = after.setdefault("neuro", {})
        floor = NEURO_STATUSES.index(neuro.get(key, "normal"))
        neuro[key] = draw(st.sampled_from(NEURO_STATUSES[floor:]))
    elif change == "bowel_bladder":
        neuro = after.setdefault("neuro", {})
        floor = BOWEL_BLADDER_STATUSES.index(neuro.get("bowel_bladder", "normal"))
        neuro["bowel_bladder"] = draw(st.sampled_from(BOWEL_BLADDER_STATUSES[floor:]))
    elif change == "focal":
        after.setdefault("neuro", {})["focal_signs"] = True
    elif change == "imaging":
        code = draw(st.sampled_from(strategies.ABNORMAL_IMAGING))
        old = after.get("imaging", {})
        kept = [f for f in old.get("findings", []) if f not in ("no_leak", code)]
        after["imaging"] = {
            "status": "done",
            "modality": old.get("modality", "ct"),
            "findings": [*kept, code],
            **(
                {"after_current_symptoms": old["after_current_symptoms"]}
                if "after_current_symptoms" in old
                else {}
            ),
        }
    else:
        name = draw(st.sampled_from(tuple(strategies.VITALS)))
        if name == "spo2_scale":
            name = "spo2"
        _worsen_vital(after.setdefault("vitals", {}), name, draw(st.integers(0, 40)))
    return before, after


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worsened())
def test_a_worse_finding_never_removes_a_red_flag(pair: tuple[dict, dict]):
    before, after = pair
    flags_before = {f["code"] for f in assess_json(before).to_dict()["red_flags"]}
    result_after = assess_json(after).to_dict()
    flags_after = {f["code"] for f in result_after["red_flags"]}
    assert flags_before <= flags_after, (before, after)
    if flags_before:
        assert result_after["imaging"] == "emergency"
        assert result_after["escalation"] == "emergency"


def test_the_vital_worsening_helper_moves_away_from_normal():
    """The monotonicity test is only as good as its idea of "worse"."""
    vitals = {"respiratory_rate": 10, "spo2": 97, "spo2_scale": 2, "on_oxygen": True}
    _worsen_vital(vitals, "respiratory_rate", 3)
    _worsen_vital(vitals, "spo2", 2)
    assert (vitals["respiratory_rate"], vitals["spo2"]) == (7, 99)
    vitals = {"temperature": 36.0, "heart_rate": 45, "systolic_bp": 230}
    _worsen_vital(vitals, "temperature", 5)
    _worsen_vital(vitals, "heart_rate", 10)
    _worsen_vital(vitals, "systolic_bp", 10)
    assert vitals == {"temperature": 35.5, "heart_rate": 35, "systolic_bp": 240}
