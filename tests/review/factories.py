"""Submitted encounters for the review tests, entered through the wizard's forms and actions
(so the stored snapshot and the queue fields are exactly what the product writes)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import UserFactory, WardFactory
from tests.wizard.helpers import imaging_post, neuro_post, scan_post, symptoms_post, vitals_post
from triage import wizard
from triage.actions import encounters as actions
from triage.models import Encounter
from triage.roles import Role

# A well patient's answers, by step (each step's form comes from the wizard's registry).
DEFAULT_ANSWERS = {
    "symptoms": symptoms_post,
    "neuro": neuro_post,
    "vitals": vitals_post,
    "imaging": imaging_post,
}

# Answers that raise a red flag: new weakness (progressive neuro deficit; cord compression
# suspected), and severe pain despite analgesia.
WEAK_LEG = {"neuro": neuro_post(weak={("L4", "left"): ("5", "3")})}
UNCONTROLLED_PAIN = {
    "symptoms": symptoms_post(pain_score="9", uncontrolled_despite_analgesia="yes")
}
BREATHLESS = {"vitals": vitals_post(respiratory_rate="26", spo2="91", heart_rate="118")}
# Urgent without a red flag: radicular pain and no scan (a neural leak suspected); a fever
# (infection suspected).
RADICULAR = {"symptoms": symptoms_post(radicular_pain="yes", radicular_side="left")}
FEVER = {"vitals": vitals_post(temperature="38.6")}
# The five red flags contract v2 added, all at once: unresponsive (altered consciousness),
# breathing 8 a minute (respiratory depression), systolic 82 with a pulse of 128 (shock), new
# facial droop (stroke signs), cement in the heart on a scan (systemic embolism).
NEW_RED_FLAGS = {
    "vitals": vitals_post(
        consciousness="U", respiratory_rate="8", systolic_bp="82", heart_rate="128"
    ),
    "neuro": neuro_post(focal_signs="yes"),
    "imaging": scan_post("cardiac_cement_embolism", modality="ct"),
}


def fill_round(round, answers: dict, by) -> None:
    """Answer every step of a draft round (defaults: a well patient) through the step forms."""
    for step in wizard.QUESTION_STEPS:
        form = step.form(answers.get(step.slug) or DEFAULT_ANSWERS[step.slug]())
        assert form.is_valid(), (step, form.errors)
        round = actions.save_step(
            round=round,
            section=step.section,
            answers=form.answers(),
            step=step.slug,
            by=by,
            expected_version=None,
        )


class SubmittedEncounterFactory(factory.Factory):
    """An encounter with its first assessment submitted at `submitted_at`."""

    class Meta:
        model = Encounter

    ward = factory.SubFactory(WardFactory, name="Spinal ward")
    created_by = factory.SubFactory(
        UserFactory, username="nurse1", roles=(Role.NURSE,), wards=factory.List([])
    )
    patient_identifier = factory.Sequence(lambda n: f"RX{n:05d}")
    submitted_at = factory.LazyFunction(timezone.now)
    hours_since = 12
    answers = factory.Dict({})

    @classmethod
    def _create(cls, model_class, **kwargs) -> Encounter:
        nurse = kwargs["created_by"]
        encounter = actions.start_encounter(
            by=nurse,
            ward=kwargs["ward"],
            patient_identifier=kwargs["patient_identifier"],
            procedure_at=kwargs["submitted_at"] - timedelta(hours=kwargs["hours_since"]),
            levels=["L1"],
            client_token=None,
        )
        # Started a few minutes before it was submitted, as at the bedside.
        Encounter.objects.filter(pk=encounter.pk).update(
            created_at=kwargs["submitted_at"] - timedelta(minutes=10)
        )
        round = encounter.rounds.get()
        fill_round(round, kwargs["answers"], nurse)
        actions.submit_round(round=round, by=nurse, at=kwargs["submitted_at"])
        encounter.refresh_from_db()
        return encounter


def reassess(encounter: Encounter, *, by, answers: dict | None = None, at=None) -> None:
    """Submit a further round of `encounter`."""
    round = actions.start_reassessment(encounter=encounter, by=by)
    fill_round(round, answers or {}, by)
    actions.submit_round(round=round, by=by, at=at)
    encounter.refresh_from_db()


def draft_encounter(*, by, ward, patient_identifier: str = "DRAFT1") -> Encounter:
    """An encounter started by `by` whose first round is still a draft."""
    return actions.start_encounter(
        by=by,
        ward=ward,
        patient_identifier=patient_identifier,
        procedure_at=timezone.now(),
        levels=["L1"],
        client_token=None,
    )


def discharge_now(encounter: Encounter, *, by) -> None:
    """Discharge the patient with a complete checklist (follow-up today)."""
    from triage.actions.discharge import discharge

    discharge(
        encounter=encounter,
        by=by,
        follow_up_on=timezone.localdate(),
        follow_up_with="Spinal clinic",
        educated_by="Staff nurse",
        osteoporosis="referred",
        osteoporosis_reason="",
        expected_version=None,
    )


def record_registrar_call(round, *, by, at=None) -> None:
    """A nurse's call to the registrar, who is attending (the escalation record)."""
    from triage.actions.escalation import record_call

    record_call(
        round=round,
        by=by,
        informed_role="registrar",
        informed_name="Dr Okafor",
        method="bleep",
        called_at=at or timezone.now(),
        response="attending",
        response_detail="",
        submission=None,
    )
