"""Turn what the nurse entered into the contract's findings.

The wizard stores each step's answers as entered; this module is the one place that maps them
onto the contract vocabulary (`../shared/clinical/assessment-contract.md`). The neuro step's
bedside detail (power per myotome of the legs and, after a neck or upper thoracic level, the
arms; sensation; each against its baseline) is reduced to the contract's `motor` / `sensory` /
`upper_limb` / `bowel_bladder` / `focal_signs` by the clinical package, not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from triage.clinical.findings import FIELD_NAMES, QUESTION_SECTIONS

if TYPE_CHECKING:
    from triage.clinical.neuro_exam import (
        ArmMyotome,
        DerivedNeuro,
        LegMyotome,
        Myotome,
        NeuroExam,
        Side,
    )

MYOTOMES: tuple[tuple[LegMyotome, str], ...] = (
    ("L2", "hip flexion"),
    ("L3", "knee extension"),
    ("L4", "ankle dorsiflexion"),
    ("L5", "big toe extension"),
    ("S1", "ankle plantar flexion"),
)
# The arms' myotomes (the clinical package's ARM_MYOTOMES), each with the movement tested.
ARM_MYOTOMES: tuple[tuple[ArmMyotome, str], ...] = (
    ("C5", "elbow flexion"),
    ("C6", "wrist extension"),
    ("C7", "elbow extension"),
    ("C8", "finger flexion"),
    ("T1", "finger abduction"),
)
SIDES: tuple[Side, ...] = ("left", "right")


def hours_between(start: datetime, end: datetime) -> float:
    """Whole and part hours from the procedure to the assessment, never negative.

    >>> from datetime import datetime, timezone as tz
    >>> start, end = datetime(2026, 1, 1, 8, tzinfo=tz.utc), datetime(2026, 1, 2, 14, tzinfo=tz.utc)
    >>> hours_between(start, end)
    30.0
    """
    return max(0.0, round((end - start).total_seconds() / 3600, 1))


# The contract accepts up to a year; later reassessments are capped there (any value over 72
# hours has the same clinical meaning to the rules).
MAX_HOURS_SINCE = 8760


def neuro_exam_from_answers(answers: dict[str, Any]) -> NeuroExam:
    """The neuro step's answers as the clinical package's bedside exam (rows left blank omitted).

    >>> exam = neuro_exam_from_answers({"power_C6_left_baseline": "unknown", "power_C6_left": "4",
    ...     "arm_sensation_right_baseline": "normal", "arm_sensation_right": "reduced",
    ...     "bowel_bladder": "pre_existing_unchanged", "focal_signs": False})
    >>> exam.power, exam.arm_sensation, exam.bowel_bladder, exam.focal_signs
    ({('C6', 'left'): (None, 4)}, {'right': ('normal', 'reduced')}, 'pre_existing_unchanged', False)
    """
    from triage.clinical.neuro_exam import NeuroExam

    def baseline(value: Any) -> Any:
        return None if value in (None, "", "unknown") else value

    def answered(*values: Any) -> bool:
        return all(value not in (None, "") for value in values)

    power: dict[tuple[Myotome, Side], tuple[int | None, int]] = {}
    for myotome, _ in (*MYOTOMES, *ARM_MYOTOMES):
        for side in SIDES:
            # Blank when not given (the same as None to `answered` and `baseline`).
            current = answers.get(f"power_{myotome}_{side}", "")
            base = answers.get(f"power_{myotome}_{side}_baseline", "")
            if answered(current, base):
                power[(myotome, side)] = (
                    None if baseline(base) is None else int(base),
                    int(current),
                )
    sensations: dict[str, dict] = {"sensation": {}, "arm_sensation": {}}
    for prefix, recorded in sensations.items():
        for side in SIDES:
            current = answers.get(f"{prefix}_{side}")
            base = answers.get(f"{prefix}_{side}_baseline")
            if answered(current, base):
                recorded[side] = (baseline(base), current)
    focal_signs = answers.get("focal_signs")
    return NeuroExam(
        power=power or None,
        sensation=sensations["sensation"] or None,
        arm_sensation=sensations["arm_sensation"] or None,
        saddle_anaesthesia=answers.get("saddle_anaesthesia") or None,
        bowel_bladder=answers.get("bowel_bladder") or None,
        focal_signs=focal_signs if isinstance(focal_signs, bool) else None,
    )


def derive_neuro(answers: dict[str, Any]) -> DerivedNeuro:
    """The contract's neuro section (`.neuro`) and why each value was derived (`.because`)."""
    from triage.clinical.neuro_exam import derive_neuro as derive

    return derive(neuro_exam_from_answers(answers))


def section_from_answers(section: str, answers: dict[str, Any] | None) -> dict[str, Any]:
    """One contract section from a step's stored answers (only the keys that were answered)."""
    answers = answers or {}
    if section == "neuro":
        return dict(derive_neuro(answers).neuro)
    if section not in QUESTION_SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    # Answers hold more than the contract (e.g. the side of radicular pain): keep its keys only.
    return {key: answers[key] for key in FIELD_NAMES[section] if key in answers}


def build_findings(
    *,
    procedure_at: datetime | None,
    levels: list[str] | None,
    sections: dict[str, dict[str, Any] | None],
    at: datetime,
) -> dict[str, Any]:
    """The contract findings for one round, as of the moment `at`.

    A section left unanswered is left out, so the engine reports it as not assessed.
    """
    findings: dict[str, Any] = {}
    procedure: dict[str, Any] = {}
    if procedure_at is not None:
        procedure["hours_since"] = min(hours_between(procedure_at, at), MAX_HOURS_SINCE)
    if levels:
        procedure["levels"] = list(levels)
    if procedure:
        findings["procedure"] = procedure
    for section in QUESTION_SECTIONS:
        answers = sections.get(section)
        if answers:
            contract_section = section_from_answers(section, answers)
            if contract_section:
                findings[section] = contract_section
    return findings
