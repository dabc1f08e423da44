"""Derive the contract's neuro findings from the bedside examination.

The wizard records MRC power (0-5) per myotome and side, sensation per side, saddle
anaesthesia and bowel/bladder function, each against the patient's baseline where known. The
contract wants three words (``motor``, ``sensory``, ``bowel_bladder``); this module turns the
detail into those words and says why, so the clinician can check the derivation.

Rules (worse wins: worsening_deficit > new_deficit > stable_deficit > normal):

* a value below a baseline that was itself abnormal: ``worsening_deficit``;
* a value below a normal baseline, or abnormal with the baseline unknown: ``new_deficit``
  (an unknown baseline cannot prove the deficit old, so it counts as new);
* abnormal but not below its baseline: ``stable_deficit``;
* otherwise ``normal``.

New saddle anaesthesia is a cauda equina sign and makes ``sensory`` at least ``new_deficit``.
Only new bowel/bladder dysfunction is ``new_dysfunction``: the contract has no word for an
old, unchanged one, so it maps to ``normal`` (the ``because`` list still records it).

>>> exam = NeuroExam(
...     power={("L4", "left"): (5, 3), ("L5", "left"): (4, 4), ("S1", "right"): (None, 5)},
...     sensation={"left": ("normal", "normal"), "right": ("reduced", "reduced")},
...     bowel_bladder="pre_existing_unchanged",
... )
>>> derived = derive_neuro(exam)
>>> derived.neuro
{'motor': 'new_deficit', 'sensory': 'stable_deficit', 'bowel_bladder': 'normal'}
>>> for line in derived.because:
...     print(line)
left L4 power 3/5, baseline 5/5: new deficit
left L5 power 4/5, baseline 4/5: unchanged deficit
right sensation reduced, baseline reduced: unchanged deficit
bowel/bladder dysfunction pre-existing and unchanged: recorded as normal (only new dysfunction \
is a red flag)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from triage.clinical.findings import FindingsError

Myotome: TypeAlias = Literal["L2", "L3", "L4", "L5", "S1"]
Side: TypeAlias = Literal["left", "right"]
SensationGrade: TypeAlias = Literal["normal", "reduced", "absent"]
SaddleAnaesthesia: TypeAlias = Literal["no", "new", "pre_existing_unchanged"]
BowelBladderDetail: TypeAlias = Literal["normal", "new_dysfunction", "pre_existing_unchanged"]
NeuroStatus: TypeAlias = Literal["normal", "stable_deficit", "new_deficit", "worsening_deficit"]

MYOTOMES: tuple[Myotome, ...] = ("L2", "L3", "L4", "L5", "S1")
SIDES: tuple[Side, ...] = ("left", "right")
SENSATION_GRADES: tuple[SensationGrade, ...] = ("absent", "reduced", "normal")
SADDLE_VALUES: tuple[SaddleAnaesthesia, ...] = ("no", "new", "pre_existing_unchanged")
BOWEL_BLADDER_VALUES: tuple[BowelBladderDetail, ...] = (
    "normal",
    "new_dysfunction",
    "pre_existing_unchanged",
)
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

    ``power`` maps (myotome, side) to (baseline MRC or None if unknown, current MRC);
    ``sensation`` maps side to (baseline grade or None if unknown, current grade).
    """

    power: Power | None = None
    sensation: Sensation | None = None
    saddle_anaesthesia: SaddleAnaesthesia | None = None
    bowel_bladder: BowelBladderDetail | None = None

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
        if myotome not in MYOTOMES:
            problems.append("myotome must be one of: " + ", ".join(MYOTOMES))
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
    for side, pair in (exam.sensation or {}).items():
        path = f"sensation.{side}"
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
        if problems:
            errors[path] = problems
    if exam.saddle_anaesthesia is not None and exam.saddle_anaesthesia not in SADDLE_VALUES:
        errors["saddle_anaesthesia"] = ["must be one of: " + ", ".join(SADDLE_VALUES)]
    if exam.bowel_bladder is not None and exam.bowel_bladder not in BOWEL_BLADDER_VALUES:
        errors["bowel_bladder"] = ["must be one of: " + ", ".join(BOWEL_BLADDER_VALUES)]
    return errors


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

    neuro: dict[str, str]
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {**self.neuro, "because": list(self.because)}


def _explain(status: NeuroStatus, text: str, baseline_text: str) -> str:
    if status == "new_deficit" and baseline_text == "unknown":
        return f"{text}, baseline unknown: counted as new deficit"
    return f"{text}, baseline {baseline_text}: {_WORDS[status]}"


def derive_neuro(exam: NeuroExam) -> DerivedNeuro:
    """Derive ``motor``, ``sensory`` and ``bowel_bladder`` from a bedside examination."""
    neuro: dict[str, str] = {}
    because: list[str] = []

    if exam.power:
        statuses: list[NeuroStatus] = []
        ordered = sorted(
            exam.power.items(),
            key=lambda item: (SIDES.index(item[0][1]), MYOTOMES.index(item[0][0])),
        )
        for (myotome, side), (baseline, current) in ordered:
            status = classify(baseline, current, 5)
            statuses.append(status)
            if status != "normal":
                baseline_text = "unknown" if baseline is None else f"{baseline}/5"
                because.append(
                    _explain(status, f"{side} {myotome} power {current}/5", baseline_text)
                )
        neuro["motor"] = _worst(statuses)
        if neuro["motor"] == "normal":
            because.append(f"power 5/5 in all {len(statuses)} recorded myotomes")

    sensory: list[NeuroStatus] = []
    if exam.sensation:
        for side in SIDES:
            if side not in exam.sensation:
                continue
            baseline, current = exam.sensation[side]
            status = classify(
                None if baseline is None else _SENSATION_ORDER[baseline],
                _SENSATION_ORDER[current],
                _SENSATION_ORDER["normal"],
            )
            sensory.append(status)
            if status != "normal":
                baseline_text = "unknown" if baseline is None else baseline
                because.append(_explain(status, f"{side} sensation {current}", baseline_text))
    if exam.saddle_anaesthesia == "new":
        sensory.append("new_deficit")
        because.append("saddle anaesthesia is new: a cauda equina sign (at least new deficit)")
    elif exam.saddle_anaesthesia == "pre_existing_unchanged":
        sensory.append("stable_deficit")
        because.append("saddle anaesthesia pre-existing and unchanged: unchanged deficit")
    if sensory:
        neuro["sensory"] = _worst(sensory)
        if neuro["sensory"] == "normal":
            because.append("sensation normal on both recorded sides")
    # Saddle anaesthesia "no" alone says nothing about limb sensation, so sensory stays absent.

    if exam.bowel_bladder == "new_dysfunction":
        neuro["bowel_bladder"] = "new_dysfunction"
        because.append("bowel/bladder dysfunction is new")
    elif exam.bowel_bladder == "pre_existing_unchanged":
        neuro["bowel_bladder"] = "normal"
        because.append(
            "bowel/bladder dysfunction pre-existing and unchanged: recorded as normal "
            "(only new dysfunction is a red flag)"
        )
    elif exam.bowel_bladder == "normal":
        neuro["bowel_bladder"] = "normal"
    return DerivedNeuro(neuro, tuple(because))
