"""The bedside wizard as one registry: its steps in order, each with its title, its form, its
template and the contract section its answers make, and where a returning nurse resumes.

The URL map, the views, the check-your-answers summary, the demo data and the test factories
all read it; nothing here touches the request or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from triage.clinical.explain import SECTION_TITLES
from triage.clinical.findings import QUESTION_SECTIONS
from triage.forms.wizard import (
    ImagingForm,
    NeuroForm,
    PatientForm,
    StepForm,
    SymptomsForm,
    VitalsForm,
)


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: str
    template: str
    form: type[forms.BaseForm] | None = None
    section: str | None = None  # the contract section the step's answers form

    @property
    def url_name(self) -> str:
        return f"encounters:{self.slug}"


@dataclass(frozen=True, slots=True)
class QuestionStep(Step):
    """A step that asks a contract section's questions: it always has its step form and its
    section."""

    form: type[StepForm]
    section: str


def question_step(form: type[StepForm]) -> QuestionStep:
    """The step that asks a contract section's questions (named, and titled, by the section)."""
    section = form.section
    # One page template for every question step; it includes `steps/<slug>.html`.
    return QuestionStep(section, SECTION_TITLES[section], "encounters/step.html", form, section)


PATIENT = Step("patient", "Patient and procedure", "encounters/patient.html", PatientForm)
SYMPTOMS = question_step(SymptomsForm)
NEURO = question_step(NeuroForm)
VITALS = question_step(VitalsForm)
IMAGING = question_step(ImagingForm)
CHECK = Step("check", "Check your answers", "encounters/check.html")
RESULT = Step("result", "Result", "encounters/result.html")

STEPS: tuple[Step, ...] = (PATIENT, SYMPTOMS, NEURO, VITALS, IMAGING, CHECK)
QUESTION_STEPS: tuple[QuestionStep, ...] = (SYMPTOMS, NEURO, VITALS, IMAGING)
BY_SLUG: dict[str, Step] = {step.slug: step for step in (*STEPS, RESULT)}
QUESTIONS_BY_SLUG = {step.slug: step for step in QUESTION_STEPS}
BY_SECTION = {step.section: step for step in QUESTION_STEPS}
assert tuple(BY_SECTION) == QUESTION_SECTIONS, "one question step per contract section, in order"


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
