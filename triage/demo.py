"""Demo encounters for `make run`: submitted assessments (a well patient, a cervical-level patient
with a normal arm exam, and at least one for each red flag) and one draft.

They are entered through the same forms and actions as a nurse's answers, so the demo shows
exactly what the product does. Two emergencies have the call the nurse made recorded; the
others show "Escalation not recorded".
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from triage import wizard
from triage.actions import encounters as actions
from triage.actions import escalation
from triage.findings_builder import ARM_MYOTOMES, MYOTOMES, SIDES
from triage.forms.escalation import EscalationCallForm
from triage.models import Encounter, Round, User, Ward


def _neuro(
    weak: dict[tuple[str, str], str] | None = None, *, arms: bool = False, **answers: str
) -> dict:
    myotomes = [*MYOTOMES, *ARM_MYOTOMES] if arms else MYOTOMES
    data = {
        f"power_{m}_{s}{suffix}": "5"
        for m, _ in myotomes
        for s in SIDES
        for suffix in ("", "_baseline")
    }
    data.update({f"power_{m}_{s}": v for (m, s), v in (weak or {}).items()})
    for prefix in ("sensation", "arm_sensation") if arms else ("sensation",):
        data.update({f"{prefix}_{s}{x}": "normal" for s in SIDES for x in ("", "_baseline")})
    return {
        **data,
        "saddle_anaesthesia": "no",
        "bowel_bladder": "normal",
        "focal_signs": "no",
        **answers,
    }


def _symptoms(pain: str, course: str, **flags: str) -> dict:
    answers = {"radicular_pain": "no", "chest_pain": "no", "dyspnoea": "no"}
    answers.update(uncontrolled_despite_analgesia="no", **flags)
    return {"pain_score": pain, "pain_course": course, **answers}


def _vitals(
    rr="15", spo2="97", sbp="128", hr="74", temp="36.7", oxygen="no", acvpu="A", **more: str
) -> dict:
    return {
        "respiratory_rate": rr,
        "spo2": spo2,
        "spo2_scale": "1",
        "on_oxygen": oxygen,
        "systolic_bp": sbp,
        "heart_rate": hr,
        "consciousness": acvpu,
        "temperature": temp,
        **more,
    }


def _well(**steps: dict) -> dict:
    """A well patient's answers, with `steps` replacing whole steps."""
    return {
        "symptoms": _symptoms("4", "improving"),
        "neuro": _neuro(),
        "vitals": _vitals(),
        "imaging": {"status": "not_done"},
        **steps,
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
            "vitals": _vitals(
                rr="26",
                spo2="90",
                sbp="98",
                hr="122",
                temp="37.9",
                oxygen="yes",
                oxygen_reason="low_saturation",
            ),
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
    # Cement in the brain on a CT made after the symptoms began: systemic embolism.
    (
        "DEMO-1005",
        5,
        ["T11"],
        _well(
            symptoms=_symptoms("5", "unchanged"),
            imaging={
                "status": "done",
                "modality": "ct",
                "findings": ["cerebral_cement_embolism"],
                "after_current_symptoms": "yes",
            },
        ),
        True,
    ),
    # New facial droop after a thoracic level: stroke signs.
    ("DEMO-1006", 8, ["T9"], _well(neuro=_neuro(focal_signs="yes")), True),
    # Responds only to voice: altered consciousness.
    ("DEMO-1007", 6, ["L3"], _well(vitals=_vitals(acvpu="V")), True),
    # A respiratory rate of 8 after opioids: respiratory depression.
    ("DEMO-1008", 4, ["L1"], _well(vitals=_vitals(rr="8", spo2="95")), True),
    # Systolic 96 with a pulse of 118 (shock index over 1): circulatory compromise.
    ("DEMO-1009", 3, ["T12"], _well(vitals=_vitals(sbp="96", hr="118")), True),
    # A cervical level: the arms are examined too, and are normal.
    ("DEMO-1010", 20, ["C6"], _well(neuro=_neuro(arms=True)), True),
]


# Who the nurse told, by encounter (an emergency): the call as entered on the result page. The
# other emergencies and urgent encounters show "Escalation not recorded".
CALLS = {
    "DEMO-1003": {
        "informed_role": "outreach",
        "informed_name": "Sam Adeyemi",
        "method": "bleep",
        "response": "attending",
        "response_detail": "",
    },
    "DEMO-1005": {
        "informed_role": "registrar",
        "informed_name": "Dr Priya Nair",
        "method": "phone",
        "response": "plan",
        "response_detail": "CT head now; stroke team informed; nil by mouth.",
    },
}


# Submitted this many hours ago (the others just now), so the ward board has observations
# overdue: DEMO-1001, well and within 48 hours of the procedure, was due 4-hourly.
SUBMITTED_HOURS_AGO = {"DEMO-1001": 5, "DEMO-1010": 2}


def _record_call(round: Round, nurse: User, answers: dict[str, str]) -> None:
    called = timezone.localtime() - timedelta(minutes=5)
    data = {**answers, "called_at": f"{called:%Y-%m-%dT%H:%M}"}
    form = EscalationCallForm(data, round=round)
    if not form.is_valid():
        raise ValueError(f"demo call: {form.errors.as_json()}")
    escalation.record_call(round=round, by=nurse, **form.cleaned_data)


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
            step_form = wizard.BY_SECTION[step].form
            form = step_form(data, **({"levels": levels} if step == "neuro" else {}))
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
            ago = timedelta(hours=SUBMITTED_HOURS_AGO.get(identifier, 0))
            round = actions.submit_round(round=round, by=nurse, at=timezone.now() - ago).round
            if identifier in CALLS:
                _record_call(round, nurse, CALLS[identifier])
        created += 1
    return created
