"""Demo encounters for `make run`: a few submitted assessments and one draft.

They are entered through the same forms and actions as a nurse's answers, so the demo shows
exactly what the product does.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from triage.actions import encounters as actions
from triage.findings_builder import MYOTOMES, SIDES
from triage.forms.wizard import ImagingForm, NeuroForm, SymptomsForm, VitalsForm
from triage.models import Encounter, User, Ward

FORMS = {"symptoms": SymptomsForm, "neuro": NeuroForm, "vitals": VitalsForm, "imaging": ImagingForm}


def _neuro(weak: dict[tuple[str, str], str] | None = None) -> dict:
    data = {
        f"power_{m}_{s}{suffix}": "5"
        for m, _ in MYOTOMES
        for s in SIDES
        for suffix in ("", "_baseline")
    }
    data.update({f"power_{m}_{s}": v for (m, s), v in (weak or {}).items()})
    data.update({f"sensation_{s}{x}": "normal" for s in SIDES for x in ("", "_baseline")})
    return {**data, "saddle_anaesthesia": "no", "bowel_bladder": "normal"}


def _symptoms(pain: str, course: str, **flags: str) -> dict:
    answers = {"radicular_pain": "no", "chest_pain": "no", "dyspnoea": "no"}
    answers.update(uncontrolled_despite_analgesia="no", **flags)
    return {"pain_score": pain, "pain_course": course, **answers}


def _vitals(rr="15", spo2="97", sbp="128", hr="74", temp="36.7", oxygen="no") -> dict:
    return {
        "respiratory_rate": rr,
        "spo2": spo2,
        "spo2_scale": "1",
        "on_oxygen": oxygen,
        "systolic_bp": sbp,
        "heart_rate": hr,
        "consciousness": "A",
        "temperature": temp,
    }


SCENARIOS = [
    # identifier, hours since procedure, levels, answers by step, submit?
    (
        "DEMO-1001",
        10,
        ["L1"],
        {
            "symptoms": _symptoms("5", "improving"),
            "neuro": _neuro(),
            "vitals": _vitals(),
            "imaging": {"status": "not_done"},
        },
        True,
    ),
    (
        "DEMO-1002",
        30,
        ["T12", "L1"],
        {
            "symptoms": _symptoms(
                "8", "worse_since_procedure", radicular_pain="yes", radicular_side="left"
            ),
            "neuro": _neuro({("L4", "left"): "3"}),
            "vitals": _vitals(hr="96"),
            "imaging": {"status": "requested", "modality": "mri"},
        },
        True,
    ),
    (
        "DEMO-1003",
        2,
        ["T7", "T8"],
        {
            "symptoms": _symptoms("6", "unchanged", chest_pain="yes", dyspnoea="yes"),
            "neuro": _neuro(),
            "vitals": _vitals(rr="26", spo2="90", sbp="98", hr="122", temp="37.9", oxygen="yes"),
            "imaging": {"status": "requested", "modality": "ct"},
        },
        True,
    ),
    (
        "DEMO-1004",
        336,
        ["L2"],
        {
            "symptoms": _symptoms("7", "sudden_increase_after_improvement"),
        },
        False,
    ),
]


def create_demo_encounters(*, ward: Ward, nurse: User) -> int:
    """Create the demo encounters that do not exist yet; return how many were created."""
    created = 0
    for identifier, hours, levels, steps, submit in SCENARIOS:
        if Encounter.objects.filter(ward=ward, patient_identifier=identifier).exists():
            continue
        encounter = actions.start_encounter(
            by=nurse,
            ward=ward,
            patient_identifier=identifier,
            procedure_at=timezone.now() - timedelta(hours=hours),
            levels=levels,
            client_token=None,
        )
        round = encounter.rounds.get()
        for step, data in steps.items():
            form = FORMS[step](data)
            if not form.is_valid():
                raise ValueError(f"demo {identifier} {step}: {form.errors.as_json()}")
            round = actions.save_step(
                round=round,
                section=step,
                answers=form.answers(),
                step=step,
                by=nurse,
                expected_version=None,
            )
        if submit:
            actions.submit_round(round=round, by=nurse)
        created += 1
    return created
