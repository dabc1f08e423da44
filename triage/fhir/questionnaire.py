"""The bedside assessment as a FHIR R4 ``Questionnaire``, built from the wizard's own registry.

One group per wizard step that makes a contract section (the patient step makes
``procedure``), in the wizard's order and with its titles; one question per contract key, its
``linkId`` the key's field path (``symptoms.pain_score``). Nothing is written twice:

* the question's words and answer options are the step form's own (its field's label and
  choices); keys the form derives from a finer answer (the neuro exam's power grades, the
  hours since the procedure time) take the engine's labels (``explain.FIELD_LABELS``,
  ``describe_finding``);
* the answer type, range (``minValue`` / ``maxValue``) and codes are the engine's
  (``triage.clinical.fields``); units and item codes are ``terminology``'s;
* ``enableWhen`` is the form's own follow-up marking (``forms.wizard.follow_up``, which
  ``static/js/reveal.js`` reads), and for the arms the engine's ``UPPER_LIMB_LEVELS``;
* ``required`` is the form field's; a key the form derives from answers it requires is
  required; a follow-up the form insists on whenever it is shown is listed in
  ``REQUIRED_WHEN_SHOWN`` (``tests/fhir`` checks each against the form).

The version is the assessment contract's. A missing answer is still read as "not assessed"
(the API does not refuse it): ``required`` tells a form engine what the wizard would ask.
"""

from __future__ import annotations

from typing import Any

from django import forms

from triage import wizard
from triage.clinical import CONTRACT_VERSION, describe_finding
from triage.clinical.explain import FIELD_LABELS
from triage.clinical.fields import INTEGER_CHOICES, RANGES, codes_of, kind_of
from triage.clinical.findings import FIELD_NAMES, LEVELS, SECTIONS, UPPER_LIMB_LEVELS
from triage.fhir.terminology import (
    ITEM_UNIT,
    MAX_VALUE,
    MIN_VALUE,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    UCUM,
    UNITS,
    VITAL_SIGNS,
    answer_system,
)

Resource = dict[str, Any]

# The wizard step that asks each section's questions.
SECTION_STEPS: dict[str, wizard.Step] = {
    "procedure": wizard.PATIENT,
    **{step.section: step for step in wizard.QUESTION_STEPS},
}
assert tuple(SECTION_STEPS) == SECTIONS, "one step per contract section, in order"

# Follow-ups the step forms insist on whenever they are shown (in their clean()): the reason
# for oxygen, and what a scan that is done showed and when it was made.
REQUIRED_WHEN_SHOWN = frozenset(
    {"vitals.oxygen_reason", "imaging.findings", "imaging.after_current_symptoms"}
)
TYPES = {
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "choice": "choice",
    "codes": "choice",
    "integer_choice": "integer",
}
YES = "yes"


def form_field(path: str) -> forms.Field | None:
    """The step form's own field for a contract key, when it asks for it directly."""
    section, key = path.split(".", 1)
    form = SECTION_STEPS[section].form
    fields: dict[str, forms.Field] = getattr(form, "base_fields", {})  # a Form's, declared
    return fields.get(key)


def label(path: str) -> str:
    field = form_field(path)
    if field is not None and field.label:
        return str(field.label)
    words = FIELD_LABELS[path]
    return words[0].upper() + words[1:]


def option_display(path: str, code: object) -> str:
    field = form_field(path)
    for value, text in getattr(field, "choices", ()):
        if value == str(code):
            return str(text)
    return describe_finding(path, code)


def answer_coding(path: str, code: str) -> dict[str, str]:
    return {"system": answer_system(path), "code": code, "display": option_display(path, code)}


def answer_options(path: str) -> list[Resource]:
    if path in INTEGER_CHOICES:
        return [{"valueInteger": value} for value in INTEGER_CHOICES[path]]
    return [{"valueCoding": answer_coding(path, code)} for code in codes_of(path)]


def enable_when(path: str) -> list[Resource]:
    """When the question is asked, as the wizard asks it; empty when it always is."""
    if path == "neuro.upper_limb":
        # The arms are examined after a treated level C1-T1, or when the levels are unknown.
        levels = "procedure.levels"
        return [{"question": levels, "operator": "exists", "answerBoolean": False}] + [
            {"question": levels, "operator": "=", "answerCoding": answer_coding(levels, level)}
            for level in LEVELS
            if level in UPPER_LIMB_LEVELS
        ]
    field = form_field(path)
    attrs = field.widget.attrs if field is not None else {}
    if "data-reveal-when" not in attrs:
        return []
    section = path.split(".", 1)[0]
    trigger = f"{section}.{attrs['data-reveal-when']}"
    conditions = []
    for value in attrs["data-reveal-values"].split():
        answer: Resource
        if kind_of(trigger) == "boolean":
            answer = {"answerBoolean": value == YES}
        else:
            answer = {"answerCoding": answer_coding(trigger, value)}
        conditions.append({"question": trigger, "operator": "=", **answer})
    return conditions


def required(path: str) -> bool:
    if path in REQUIRED_WHEN_SHOWN:
        return True
    field = form_field(path)
    # A key the form does not ask directly is derived from answers it requires.
    return field.required if field is not None else True


def extensions(path: str) -> list[Resource]:
    found: list[Resource] = []
    if path in RANGES:
        kind, low, high = RANGES[path]
        value = "valueInteger" if kind == "integer" else "valueDecimal"
        found += [{"url": MIN_VALUE, value: low}, {"url": MAX_VALUE, value: high}]
    if path in UNITS:
        unit, code = UNITS[path]
        found.append(
            {"url": ITEM_UNIT, "valueCoding": {"system": UCUM, "code": code, "display": unit}}
        )
    return found


def question(path: str) -> Resource:
    kind = kind_of(path)
    item: Resource = {"linkId": path, "text": label(path), "type": TYPES[kind]}
    if path in VITAL_SIGNS:
        item["code"] = [VITAL_SIGNS[path].codings[0].coding()]
    if found := extensions(path):
        item["extension"] = found
    if conditions := enable_when(path):
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = "any"
    item["required"] = required(path)
    if kind == "codes":
        item["repeats"] = True
    if options := answer_options(path):
        item["answerOption"] = options
    field = form_field(path)
    if path in INTEGER_CHOICES and field is not None and field.initial is not None:
        item["initial"] = [{"valueInteger": int(field.initial)}]
    return item


def group(section: str) -> Resource:
    return {
        "linkId": section,
        "text": SECTION_STEPS[section].title,
        "type": "group",
        "item": [question(f"{section}.{key}") for key in FIELD_NAMES[section]],
    }


def questionnaire() -> Resource:
    """The Questionnaire (a plain dict, JSON-ready)."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": CONTRACT_VERSION,
        "name": "VertebroplastyPainTriage",
        "title": "Post-vertebroplasty pain triage",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The bedside assessment of a patient with increased pain after vertebroplasty "
            f"(assessment contract {CONTRACT_VERSION}). Each linkId is the contract's field "
            "path; a question left unanswered is read as not assessed, never as normal."
        ),
        "item": [group(section) for section in SECTIONS],
    }
