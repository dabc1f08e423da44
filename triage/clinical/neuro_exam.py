"""Derive the contract's neuro findings from the bedside examination.

The wizard records MRC power (0-5) per myotome and side (the legs, L2-S1, always; the arms,
C5-T1, after a treated level at or above T1), sensation per leg and per arm, saddle
anaesthesia, bowel/bladder function and new focal (stroke) signs, each against the patient's
baseline where known. The contract wants a few words (``motor``, ``sensory``, ``upper_limb``,
``bowel_bladder``, ``focal_signs``); this module turns the detail into those words and says
why, so the clinician can check the derivation.

Rules (worse wins: worsening_deficit > new_deficit > stable_deficit > normal):

* a value below a baseline that was itself abnormal: ``worsening_deficit``;
* a value below a normal baseline, or abnormal with the baseline unknown: ``new_deficit``
  (an unknown baseline cannot prove the deficit old, so it counts as new);
* abnormal but not below its baseline: ``stable_deficit``;
* otherwise ``normal``.

``motor`` and ``sensory`` are the legs' (new saddle anaesthesia, a cauda equina sign, makes
``sensory`` at least ``new_deficit``); ``upper_limb`` is the worst of arm power and arm
sensation. Bowel and bladder are the examiner's own answer in the contract's four words; a
catheter put in since the procedure means they cannot be assessed, so the key is left out
(and the neuro exam reads as incomplete).

>>> exam = NeuroExam(
...     power={("L4", "left"): (5, 3), ("L5", "left"): (4, 4), ("S1", "right"): (None, 5)},
...     sensation={"left": ("normal", "normal"), "right": ("reduced", "reduced")},
...     bowel_bladder="stable_dysfunction",
...     focal_signs=False,
... )
>>> derived = derive_neuro(exam)
>>> derived.neuro
{'motor': 'new_deficit', 'sensory': 'stable_deficit', 'bowel_bladder': 'stable_dysfunction', \
'focal_signs': False}
>>> for line in derived.because:
...     print(line)
left L4 power 3/5, baseline 5/5: new deficit
left L5 power 4/5, baseline 4/5: unchanged deficit
right leg sensation reduced, baseline reduced: unchanged deficit
bowel/bladder problem present before and unchanged
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from triage.clinical.findings import FindingsError

LegMyotome: TypeAlias = Literal["L2", "L3", "L4", "L5", "S1"]
ArmMyotome: TypeAlias = Literal["C5", "C6", "C7", "C8", "T1"]
Myotome: TypeAlias = LegMyotome | ArmMyotome
Side: TypeAlias = Literal["left", "right"]
SensationGrade: TypeAlias = Literal["normal", "reduced", "absent"]
SaddleAnaesthesia: TypeAlias = Literal["no", "new", "pre_existing_unchanged"]
BowelBladderDetail: TypeAlias = Literal[
    "normal",
    "stable_dysfunction",
    "new_dysfunction",
    "worsening_dysfunction",
    "new_catheter",
    "pre_existing_unchanged",  # the first wizard's word for stable_dysfunction (old drafts)
]
NeuroStatus: TypeAlias = Literal["normal", "stable_deficit", "new_deficit", "worsening_deficit"]

MYOTOMES: tuple[LegMyotome, ...] = ("L2", "L3", "L4", "L5", "S1")
ARM_MYOTOMES: tuple[ArmMyotome, ...] = ("C5", "C6", "C7", "C8", "T1")
_ALL_MYOTOMES: tuple[Myotome, ...] = (*ARM_MYOTOMES, *MYOTOMES)
SIDES: tuple[Side, ...] = ("left", "right")
SENSATION_GRADES: tuple[SensationGrade, ...] = ("absent", "reduced", "normal")
SADDLE_VALUES: tuple[SaddleAnaesthesia, ...] = ("no", "new", "pre_existing_unchanged")
BOWEL_BLADDER_VALUES: tuple[BowelBladderDetail, ...] = (
    "normal",
    "stable_dysfunction",
    "new_dysfunction",
    "worsening_dysfunction",
    "new_catheter",
    "pre_existing_unchanged",
)
_BOWEL_BLADDER_CONTRACT: dict[str, str | None] = {
    "normal": "normal",
    "stable_dysfunction": "stable_dysfunction",
    "new_dysfunction": "new_dysfunction",
    "worsening_dysfunction": "worsening_dysfunction",
    "new_catheter": None,
    "pre_existing_unchanged": "stable_dysfunction",
}
_BOWEL_BLADDER_WHY: dict[str, str] = {
    "stable_dysfunction": "bowel/bladder problem present before and unchanged",
    "new_dysfunction": "bowel/bladder dysfunction is new",
    "worsening_dysfunction": "bowel/bladder dysfunction is worse than before",
    "new_catheter": "catheter inserted since the procedure: bowel and bladder function cannot "
    "be assessed, so it is left out (the neuro exam stays incomplete)",
    "pre_existing_unchanged": "bowel/bladder problem present before and unchanged",
}
# Higher is worse; the derived value is the worst over all recorded items.
_RANK: dict[NeuroStatus, int] = {
    "normal": 0,
    "stable_deficit": 1,
    "new_deficit": 2,
    "worsening_deficit": 3,
}
_WORDS: dict[NeuroStatus, str] = {
    "stable_deficit": "unchanged deficit",
    "new_deficit": "new deficit",
    "worsening_deficit": "worsening deficit",
}
_SENSATION_ORDER: dict[str, int] = {grade: n for n, grade in enumerate(SENSATION_GRADES)}

Power: TypeAlias = Mapping[tuple[Myotome, Side], tuple[int | None, int]]
Sensation: TypeAlias = Mapping[Side, tuple[SensationGrade | None, SensationGrade]]


@dataclass(frozen=True, slots=True)
class NeuroExam:
    """Bedside neurological examination; every part optional. Validated on creation.

    ``power`` maps (myotome, side) to (baseline MRC or None if unknown, current MRC), for
    the legs' myotomes and the arms'; ``sensation`` (legs) and ``arm_sensation`` map side to
    (baseline grade or None if unknown, current grade).
    """

    power: Power | None = None
    sensation: Sensation | None = None
    arm_sensation: Sensation | None = None
    saddle_anaesthesia: SaddleAnaesthesia | None = None
    bowel_bladder: BowelBladderDetail | None = None
    focal_signs: bool | None = None

    def __post_init__(self) -> None:
        errors = _validate(self)
        if errors:
            raise FindingsError(errors)


def _is_mrc(value: object) -> bool:
    return type(value) is int and 0 <= value <= 5


def _validate(exam: NeuroExam) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, pair in (exam.power or {}).items():
        if not (isinstance(key, tuple) and len(key) == 2):
            errors[f"power[{key!r}]"] = ["key must be (myotome, side)"]
            continue
        myotome, side = key
        problems = []
        if myotome not in _ALL_MYOTOMES:
            problems.append("myotome must be one of: " + ", ".join(_ALL_MYOTOMES))
        if side not in SIDES:
            problems.append("side must be left or right")
        if not (isinstance(pair, tuple) and len(pair) == 2):
            problems.append("must be (baseline, current)")
        else:
            baseline, current = pair
            if baseline is not None and not _is_mrc(baseline):
                problems.append("baseline must be an MRC grade 0-5 or None (unknown)")
            if not _is_mrc(current):
                problems.append("current must be an MRC grade 0-5")
        if problems:
            errors[f"power.{myotome}.{side}"] = problems
    for name in ("sensation", "arm_sensation"):
        for side, pair in (getattr(exam, name) or {}).items():
            problems = _sensation_problems(side, pair)
            if problems:
                errors[f"{name}.{side}"] = problems
    if exam.focal_signs is not None and type(exam.focal_signs) is not bool:
        errors["focal_signs"] = ["must be true or false"]
    if exam.saddle_anaesthesia is not None and exam.saddle_anaesthesia not in SADDLE_VALUES:
        errors["saddle_anaesthesia"] = ["must be one of: " + ", ".join(SADDLE_VALUES)]
    if exam.bowel_bladder is not None and exam.bowel_bladder not in BOWEL_BLADDER_VALUES:
        errors["bowel_bladder"] = ["must be one of: " + ", ".join(BOWEL_BLADDER_VALUES)]
    return errors


def _sensation_problems(side: object, pair: object) -> list[str]:
    problems = []
    if side not in SIDES:
        problems.append("side must be left or right")
    if not (isinstance(pair, tuple) and len(pair) == 2):
        problems.append("must be (baseline, current)")
    else:
        baseline, current = pair
        if baseline is not None and baseline not in _SENSATION_ORDER:
            problems.append("baseline must be one of: normal, reduced, absent, or None")
        if current not in _SENSATION_ORDER:
            problems.append("current must be one of: normal, reduced, absent")
    return problems


def classify(baseline: int | None, current: int, normal: int) -> NeuroStatus:
    """Classify one graded item against its baseline (higher grade = better).

    >>> classify(5, 3, 5), classify(4, 3, 5), classify(None, 4, 5), classify(4, 4, 5)
    ('new_deficit', 'worsening_deficit', 'new_deficit', 'stable_deficit')
    >>> classify(3, 4, 5), classify(None, 5, 5)
    ('stable_deficit', 'normal')
    """
    if current >= normal:
        return "normal"
    if baseline is None or (current < baseline and baseline >= normal):
        return "new_deficit"
    if current < baseline:
        return "worsening_deficit"
    # Equal to, or better than, an abnormal baseline: a known deficit, not a new one.
    return "stable_deficit"


def _worst(values: list[NeuroStatus]) -> NeuroStatus:
    return max(values, key=_RANK.__getitem__)


@dataclass(frozen=True, slots=True)
class DerivedNeuro:
    """``neuro``: the contract's neuro section (only derivable keys); ``because``: why."""

    neuro: dict[str, object]
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {**self.neuro, "because": list(self.because)}


def _explain(status: NeuroStatus, text: str, baseline_text: str) -> str:
    if status == "new_deficit" and baseline_text == "unknown":
        return f"{text}, baseline unknown: counted as new deficit"
    return f"{text}, baseline {baseline_text}: {_WORDS[status]}"


def _power(exam: NeuroExam, myotomes: tuple[Myotome, ...], because: list[str]) -> list[NeuroStatus]:
    """Classify each recorded myotome of one region, explaining each abnormal one."""
    recorded = [(key, pair) for key, pair in (exam.power or {}).items() if key[0] in myotomes]
    recorded.sort(key=lambda item: (SIDES.index(item[0][1]), myotomes.index(item[0][0])))
    statuses: list[NeuroStatus] = []
    for (myotome, side), (baseline, current) in recorded:
        status = classify(baseline, current, 5)
        statuses.append(status)
        if status != "normal":
            baseline_text = "unknown" if baseline is None else f"{baseline}/5"
            because.append(_explain(status, f"{side} {myotome} power {current}/5", baseline_text))
    return statuses


def _sensation(sensation: Sensation | None, limb: str, because: list[str]) -> list[NeuroStatus]:
    """Classify each recorded side of one region's sensation, explaining each abnormal one."""
    statuses: list[NeuroStatus] = []
    for side in SIDES:
        if not sensation or side not in sensation:
            continue
        baseline, current = sensation[side]
        status = classify(
            None if baseline is None else _SENSATION_ORDER[baseline],
            _SENSATION_ORDER[current],
            _SENSATION_ORDER["normal"],
        )
        statuses.append(status)
        if status != "normal":
            baseline_text = "unknown" if baseline is None else baseline
            because.append(_explain(status, f"{side} {limb} sensation {current}", baseline_text))
    return statuses


def derive_neuro(exam: NeuroExam) -> DerivedNeuro:
    """Derive the contract's neuro section from a bedside examination (only the keys the
    examination recorded)."""
    neuro: dict[str, object] = {}
    because: list[str] = []

    motor = _power(exam, MYOTOMES, because)
    if motor:
        neuro["motor"] = _worst(motor)
        if neuro["motor"] == "normal":
            because.append(f"leg power 5/5 in all {len(motor)} recorded myotomes")

    sensory = _sensation(exam.sensation, "leg", because)
    if exam.saddle_anaesthesia == "new":
        sensory.append("new_deficit")
        because.append("saddle anaesthesia is new: a cauda equina sign (at least new deficit)")
    elif exam.saddle_anaesthesia == "pre_existing_unchanged":
        sensory.append("stable_deficit")
        because.append("saddle anaesthesia pre-existing and unchanged: unchanged deficit")
    if sensory:
        neuro["sensory"] = _worst(sensory)
        if neuro["sensory"] == "normal":
            because.append("leg sensation normal on both recorded sides")
    # Saddle anaesthesia "no" alone says nothing about limb sensation, so sensory stays absent.

    arms = _power(exam, ARM_MYOTOMES, because) + _sensation(exam.arm_sensation, "arm", because)
    if arms:
        neuro["upper_limb"] = _worst(arms)
        if neuro["upper_limb"] == "normal":
            because.append("arm power and sensation normal wherever recorded")

    if exam.bowel_bladder is not None:
        value = _BOWEL_BLADDER_CONTRACT[exam.bowel_bladder]
        if value is not None:
            neuro["bowel_bladder"] = value
        if exam.bowel_bladder in _BOWEL_BLADDER_WHY:
            because.append(_BOWEL_BLADDER_WHY[exam.bowel_bladder])
    if exam.focal_signs is not None:
        neuro["focal_signs"] = exam.focal_signs
        if exam.focal_signs:
            because.append("new facial droop, speech disturbance or loss of vision")
    return DerivedNeuro(neuro, tuple(because))
