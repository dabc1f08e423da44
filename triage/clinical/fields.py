"""Each findings key described as data: what kind of value it takes, and its range or codes.

The documents that describe the contract to other systems (the OpenAPI document, the FHIR
Questionnaire) and the FHIR reader are built from these tables, so a code added to the contract
appears in all of them without an edit. The ranges and cross-field rules are the parser's
(``findings.py``); ``tests/api/test_openapi.py`` checks each range and code here against it, so
a changed range fails a test until this file follows.

>>> kind_of("vitals.spo2"), RANGES["vitals.spo2"]
('integer', ('integer', 50, 100))
>>> kind_of("neuro.focal_signs"), kind_of("imaging.findings"), kind_of("vitals.spo2_scale")
('boolean', 'codes', 'integer_choice')
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from triage.clinical.findings import (
    BOWEL_BLADDER_STATUSES,
    CONSCIOUSNESS_LEVELS,
    FIELD_NAMES,
    IMAGING_FINDINGS,
    IMAGING_STATUSES,
    LEVELS,
    MODALITIES,
    NEURO_STATUSES,
    OXYGEN_REASONS,
    PAIN_COURSES,
)

Kind: TypeAlias = Literal["integer", "number", "boolean", "choice", "codes", "integer_choice"]

# The contract's numeric findings: (JSON type, lowest, highest), both ends allowed.
RANGES: dict[str, tuple[str, int | float, int | float]] = {
    "procedure.hours_since": ("number", 0, 8760),
    "symptoms.pain_score": ("integer", 0, 10),
    "vitals.respiratory_rate": ("integer", 0, 80),
    "vitals.spo2": ("integer", 50, 100),
    "vitals.systolic_bp": ("integer", 40, 300),
    "vitals.heart_rate": ("integer", 20, 250),
    "vitals.temperature": ("number", 30.0, 45.0),
}
BOOLEANS = frozenset(
    {
        "symptoms.radicular_pain",
        "symptoms.chest_pain",
        "symptoms.dyspnoea",
        "symptoms.uncontrolled_despite_analgesia",
        "neuro.focal_signs",
        "vitals.on_oxygen",
        "imaging.after_current_symptoms",
    }
)
# One code of a list.
CHOICES: dict[str, tuple[str, ...]] = {
    "symptoms.pain_course": PAIN_COURSES,
    "neuro.motor": NEURO_STATUSES,
    "neuro.sensory": NEURO_STATUSES,
    "neuro.upper_limb": NEURO_STATUSES,
    "neuro.bowel_bladder": BOWEL_BLADDER_STATUSES,
    "vitals.consciousness": CONSCIOUSNESS_LEVELS,
    "vitals.oxygen_reason": OXYGEN_REASONS,
    "imaging.status": IMAGING_STATUSES,
    "imaging.modality": MODALITIES,
}
# Lists of distinct codes, at least one.
LISTS: dict[str, tuple[str, ...]] = {
    "procedure.levels": LEVELS,
    "imaging.findings": IMAGING_FINDINGS,
}
# One whole number of a few.
INTEGER_CHOICES: dict[str, tuple[int, ...]] = {
    "vitals.spo2_scale": (1, 2),
}

# Every key of the contract, as ``section.key``, in contract order.
PATHS: tuple[str, ...] = tuple(
    f"{section}.{key}" for section, keys in FIELD_NAMES.items() for key in keys
)


def kind_of(path: str) -> Kind:
    """The kind of value the findings key ``path`` takes; KeyError for an unknown key."""
    if path in RANGES:
        return "integer" if RANGES[path][0] == "integer" else "number"
    if path in BOOLEANS:
        return "boolean"
    if path in CHOICES:
        return "choice"
    if path in LISTS:
        return "codes"
    if path in INTEGER_CHOICES:
        return "integer_choice"
    raise KeyError(f"{path} has no kind: describe it in triage/clinical/fields.py")


def codes_of(path: str) -> tuple[str, ...]:
    """The codes a choice or list key takes (empty for other keys).

    >>> codes_of("vitals.consciousness")
    ('A', 'C', 'V', 'P', 'U')
    """
    return CHOICES.get(path) or LISTS.get(path) or ()
