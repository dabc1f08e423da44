"""Findings builders shared by the clinical tests."""

from __future__ import annotations

import copy

from triage.clinical import assess_json

# A completely examined, unremarkable patient 12 hours after a lumbar level (worked example 04).
COMPLETE = {
    "procedure": {"hours_since": 12, "levels": ["L1"]},
    "symptoms": {
        "pain_score": 5,
        "pain_course": "improving",
        "radicular_pain": False,
        "chest_pain": False,
        "dyspnoea": False,
        "uncontrolled_despite_analgesia": False,
    },
    "neuro": {
        "motor": "normal",
        "sensory": "normal",
        "bowel_bladder": "normal",
        "focal_signs": False,
    },
    "vitals": {
        "respiratory_rate": 15,
        "spo2": 97,
        "on_oxygen": False,
        "systolic_bp": 126,
        "heart_rate": 70,
        "consciousness": "A",
        "temperature": 36.6,
    },
    "imaging": {"status": "not_done"},
}


def patient(**sections: dict | None) -> dict:
    """COMPLETE with some sections changed: a dict is merged in, None removes the section."""
    findings = copy.deepcopy(COMPLETE)
    for name, changes in sections.items():
        if changes is None:
            findings.pop(name, None)
        else:
            findings[name] = {**findings.get(name, {}), **changes}
    return findings


def scan(*found: str, modality: str = "ct", after: bool | None = True) -> dict:
    """A done scan showing `found` (nothing abnormal if empty), made after the current
    symptoms began unless `after` says otherwise (None: not recorded)."""
    imaging = {"status": "done", "modality": modality, "findings": list(found) or ["no_leak"]}
    if after is not None:
        imaging["after_current_symptoms"] = after
    return imaging


def result_of(findings: dict) -> dict:
    return assess_json(findings).to_dict()


def flags(findings: dict) -> list[str]:
    return [flag["code"] for flag in result_of(findings)["red_flags"]]


def paths(findings: dict) -> list[tuple[str, str]]:
    return [(p["code"], p["status"]) for p in result_of(findings)["pathways"]]
