"""The bedside wizard as a pure specification: its steps, their order, and where to resume.

Views read this; nothing here touches the request or the database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: str
    section: str | None = None  # the contract section the step's answers form

    @property
    def url_name(self) -> str:
        return f"encounters:{self.slug}"


PATIENT = Step("patient", "Patient and procedure")
SYMPTOMS = Step("symptoms", "Symptoms", "symptoms")
NEURO = Step("neuro", "Neuro exam", "neuro")
VITALS = Step("vitals", "Vital signs", "vitals")
IMAGING = Step("imaging", "Imaging", "imaging")
CHECK = Step("check", "Check your answers")
RESULT = Step("result", "Result")

STEPS: tuple[Step, ...] = (PATIENT, SYMPTOMS, NEURO, VITALS, IMAGING, CHECK)
QUESTION_STEPS: tuple[Step, ...] = (SYMPTOMS, NEURO, VITALS, IMAGING)
STEP_SECTIONS: tuple[str, ...] = tuple(step.section for step in QUESTION_STEPS if step.section)
BY_SLUG = {step.slug: step for step in (*STEPS, RESULT)}


def next_step(step: Step) -> Step:
    """The step after `step`; the check page is last before the result.

    >>> next_step(SYMPTOMS).slug
    'neuro'
    >>> next_step(IMAGING).slug
    'check'
    """
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def previous_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def resume_step(last_step: str, answered: set[str]) -> Step:
    """Where a nurse returning to a draft should land: after the last step saved.

    >>> resume_step("", set()).slug
    'symptoms'
    >>> resume_step("vitals", {"symptoms", "neuro", "vitals"}).slug
    'imaging'
    """
    if last_step in BY_SLUG and BY_SLUG[last_step] in STEPS:
        return next_step(BY_SLUG[last_step])
    for step in QUESTION_STEPS:
        if step.section not in answered:
            return step
    return CHECK


def progress(step: Step) -> tuple[int, int]:
    """(number of this step, number of steps) for "Step 2 of 6"."""
    return STEPS.index(step) + 1, len(STEPS)
