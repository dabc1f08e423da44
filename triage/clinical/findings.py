"""Typed findings (the assessment's input) and their strict validation.

Findings arrive as decoded JSON from three places (the bedside wizard, the JSON API and the
command line), so everything here is strict: a wrong type or an unknown key is refused with a
message naming the field, never coerced or ignored. A silently ignored ``"chest_pain": "true"``
would read as "not assessed" and could hide a red flag.

Every section and every key is optional: a missing key means "not assessed", never "normal".
Absent keys are stored as ``None``; an empty section ``{}`` is stored as a section whose fields
are all ``None`` (so :meth:`Findings.to_dict` gives back exactly what was parsed).

Sections are slotted dataclasses holding only immutable values (tuples for lists). They are
not ``frozen``, for speed (see ``assessment.py``): treat them as read-only and use
``dataclasses.replace`` to derive changed findings.

Error paths: ``section.field``, ``section.list[index]`` for list items, and ``(root)`` when the
top-level value itself is wrong (not an object, not JSON).

>>> f = parse_findings({"vitals": {"spo2": 97, "on_oxygen": False}})
>>> f.vitals.spo2, f.vitals.spo2_scale, f.vitals.effective_spo2_scale
(97, None, 1)
>>> try:
...     parse_findings({"vitals": {"spo2": 104, "on_oxygen": "false"}})
... except FindingsError as err:
...     print(err.errors)
{'vitals.spo2': ['must be between 50 and 100'], 'vitals.on_oxygen': ['must be true or false']}
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

ROOT = "(root)"

LEVELS: tuple[str, ...] = (
    tuple(f"C{n}" for n in range(1, 8))
    + tuple(f"T{n}" for n in range(1, 13))
    + tuple(f"L{n}" for n in range(1, 6))
    + ("S1",)
)
# A treated level at or above T1 can injure the nerves of the arms (the brachial plexus, C5-T1),
# so the arms must be examined too.
UPPER_LIMB_LEVELS: frozenset[str] = frozenset((*(f"C{n}" for n in range(1, 8)), "T1"))
PAIN_COURSES = (
    "improving",
    "unchanged",
    "worse_since_procedure",
    "sudden_increase_after_improvement",
    "new_back_pain",
)
NEURO_STATUSES = ("normal", "stable_deficit", "new_deficit", "worsening_deficit")
BOWEL_BLADDER_STATUSES = (
    "normal",
    "stable_dysfunction",
    "new_dysfunction",
    "worsening_dysfunction",
)
CONSCIOUSNESS_LEVELS = ("A", "C", "V", "P", "U")
OXYGEN_REASONS = ("routine", "long_term", "low_saturation")
IMAGING_STATUSES = ("not_done", "requested", "done")
MODALITIES = ("ct", "mri", "ct_and_mri")
IMAGING_FINDINGS = (
    "no_leak",
    "foraminal_leak",
    "epidural_leak",
    "paravertebral_venous_leak",
    "intradiscal_leak",
    "pulmonary_cement_embolism",
    "cardiac_cement_embolism",
    "cerebral_cement_embolism",
    "new_adjacent_fracture",
    "cord_compression",
    "infection",
)
SECTIONS = ("procedure", "symptoms", "neuro", "vitals", "imaging")
# The sections whose absence is reported in ``not_assessed``, in contract order.
ASSESSED_SECTIONS = SECTIONS
# The sections a patient's questions are asked in (one wizard step each), in contract order.
QUESTION_SECTIONS = ("symptoms", "neuro", "vitals", "imaging")
# The sections reported in ``incomplete`` when a key reassurance needs is missing.
COMPLETABLE_SECTIONS = ("symptoms", "neuro", "vitals")

PainCourse: TypeAlias = Literal[
    "improving",
    "unchanged",
    "worse_since_procedure",
    "sudden_increase_after_improvement",
    "new_back_pain",
]
NeuroStatus: TypeAlias = Literal["normal", "stable_deficit", "new_deficit", "worsening_deficit"]
BowelBladder: TypeAlias = Literal[
    "normal", "stable_dysfunction", "new_dysfunction", "worsening_dysfunction"
]
Consciousness: TypeAlias = Literal["A", "C", "V", "P", "U"]
OxygenReason: TypeAlias = Literal["routine", "long_term", "low_saturation"]
ImagingStatus: TypeAlias = Literal["not_done", "requested", "done"]
Modality: TypeAlias = Literal["ct", "mri", "ct_and_mri"]
ImagingFinding: TypeAlias = Literal[
    "no_leak",
    "foraminal_leak",
    "epidural_leak",
    "paravertebral_venous_leak",
    "intradiscal_leak",
    "pulmonary_cement_embolism",
    "cardiac_cement_embolism",
    "cerebral_cement_embolism",
    "new_adjacent_fracture",
    "cord_compression",
    "infection",
]
Number: TypeAlias = int | float


class FindingsError(ValueError):
    """Findings that cannot be assessed; ``errors`` maps each field path to its messages.

    Every problem is collected before raising, so a clinician fixes the form in one pass.

    >>> err = FindingsError({"vitals.spo2": ["must be between 50 and 100"]})
    >>> err.lines()
    ['vitals.spo2: must be between 50 and 100']
    """

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        """One ``path: message`` line per problem, in the order they were found."""
        return [
            f"{path}: {message}" for path, messages in self.errors.items() for message in messages
        ]


@dataclass(slots=True)
class Procedure:
    """The vertebroplasty: hours since it (0-8760) and the treated levels."""

    hours_since: Number | None = None
    levels: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self.hours_since is None and self.levels is None


@dataclass(slots=True)
class Symptoms:
    """What the patient reports now; ``None`` means not asked."""

    pain_score: int | None = None
    pain_course: PainCourse | None = None
    radicular_pain: bool | None = None
    chest_pain: bool | None = None
    dyspnoea: bool | None = None
    uncontrolled_despite_analgesia: bool | None = None

    def is_empty(self) -> bool:
        return (
            self.pain_score is None
            and self.pain_course is None
            and self.radicular_pain is None
            and self.chest_pain is None
            and self.dyspnoea is None
            and self.uncontrolled_despite_analgesia is None
        )


@dataclass(slots=True)
class Neuro:
    """Neurological examination, in the contract's words (see ``neuro_exam``): lower-limb
    power and sensation, upper limbs, bowel and bladder, and new focal (stroke) signs."""

    motor: NeuroStatus | None = None
    sensory: NeuroStatus | None = None
    upper_limb: NeuroStatus | None = None
    bowel_bladder: BowelBladder | None = None
    focal_signs: bool | None = None

    def is_empty(self) -> bool:
        return (
            self.motor is None
            and self.sensory is None
            and self.upper_limb is None
            and self.bowel_bladder is None
            and self.focal_signs is None
        )


@dataclass(slots=True)
class Vitals:
    """The observations NEWS2 scores; ``spo2_scale`` ``None`` means scale 1."""

    respiratory_rate: int | None = None
    spo2: int | None = None
    spo2_scale: Literal[1, 2] | None = None
    on_oxygen: bool | None = None
    systolic_bp: int | None = None
    heart_rate: int | None = None
    consciousness: Consciousness | None = None
    temperature: Number | None = None
    oxygen_reason: OxygenReason | None = None

    @property
    def effective_spo2_scale(self) -> Literal[1, 2]:
        """The SpO2 scale to score with: scale 1 unless scale 2 was chosen explicitly."""
        return 2 if self.spo2_scale == 2 else 1

    def is_empty(self) -> bool:
        # spo2_scale alone is a scoring setting, not an observation: a section holding only
        # it records no vital sign, so it must not count as "vitals assessed". (oxygen_reason
        # is only allowed beside on_oxygen, so it is never alone.)
        return (
            self.respiratory_rate is None
            and self.spo2 is None
            and self.on_oxygen is None
            and self.systolic_bp is None
            and self.heart_rate is None
            and self.consciousness is None
            and self.temperature is None
        )


@dataclass(slots=True)
class Imaging:
    """Cross-sectional imaging: status, modality and, once done, its findings."""

    status: ImagingStatus | None = None
    modality: Modality | None = None
    findings: tuple[ImagingFinding, ...] | None = None
    after_current_symptoms: bool | None = None

    @property
    def done(self) -> bool:
        return self.status == "done"

    @property
    def excludes(self) -> bool:
        """Whether the scan can rule anything out: done after the current symptoms began.

        An older scan (or one not known to be newer) keeps its findings but excludes nothing.
        """
        return self.status == "done" and self.after_current_symptoms is True

    @property
    def mri_excludes(self) -> bool:
        """A scan that excludes (see ``excludes``) and included an MRI."""
        return self.excludes and self.modality in ("mri", "ct_and_mri")

    def has(self, code: ImagingFinding) -> bool:
        return self.findings is not None and code in self.findings

    def is_empty(self) -> bool:
        return (
            self.status is None
            and self.modality is None
            and self.findings is None
            and self.after_current_symptoms is None
        )


Section: TypeAlias = Procedure | Symptoms | Neuro | Vitals | Imaging


@dataclass(slots=True)
class Findings:
    """Validated findings; build with :func:`parse_findings` (or directly in tests)."""

    procedure: Procedure | None = None
    symptoms: Symptoms | None = None
    neuro: Neuro | None = None
    vitals: Vitals | None = None
    imaging: Imaging | None = None

    def to_dict(self) -> dict[str, dict[str, object]]:
        """The JSON form, with only the keys that were given: ``parse_findings`` round-trips.

        >>> parse_findings({"neuro": {}, "imaging": {"status": "requested"}}).to_dict()
        {'neuro': {}, 'imaging': {'status': 'requested'}}
        """
        data: dict[str, dict[str, object]] = {}
        for name in SECTIONS:
            section = getattr(self, name)
            if section is None:
                continue
            values: dict[str, object] = {}
            for field_name in FIELD_NAMES[name]:
                value = getattr(section, field_name)
                if value is not None:
                    values[field_name] = list(value) if isinstance(value, tuple) else value
            data[name] = values
        return data


SYMPTOM_FIELDS = (
    "pain_score",
    "pain_course",
    "radicular_pain",
    "chest_pain",
    "dyspnoea",
    "uncontrolled_despite_analgesia",
)
NEURO_FIELDS = ("motor", "sensory", "upper_limb", "bowel_bladder", "focal_signs")
# What a complete neuro section holds; upper_limb too when the arms are at risk
# (``needs_upper_limb``).
NEURO_REQUIRED = ("motor", "sensory", "bowel_bladder", "focal_signs")
NEWS2_PARAMETERS = (
    "respiratory_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "heart_rate",
    "consciousness",
    "temperature",
)
# The keys of each section, in contract order.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "procedure": ("hours_since", "levels"),
    "symptoms": SYMPTOM_FIELDS,
    "neuro": NEURO_FIELDS,
    "vitals": (
        "respiratory_rate",
        "spo2",
        "spo2_scale",
        "on_oxygen",
        "systolic_bp",
        "heart_rate",
        "consciousness",
        "temperature",
        "oxygen_reason",
    ),
    "imaging": ("status", "modality", "findings", "after_current_symptoms"),
}


def needs_upper_limb(levels: tuple[str, ...] | None) -> bool:
    """Whether a complete neuro exam must include the arms: a treated level C1-T1, or levels
    not recorded (the arms cannot then be left out safely).

    >>> needs_upper_limb(("C6",)), needs_upper_limb(("T1", "T2")), needs_upper_limb(("T2",))
    (True, True, False)
    >>> needs_upper_limb(None)
    True
    """
    if levels is None:
        return True
    return not UPPER_LIMB_LEVELS.isdisjoint(levels)


# --- JSON decoding -------------------------------------------------------------------------


class _JsonObject(dict[str, object]):
    """A decoded JSON object that remembers keys given twice (``json`` keeps only the last).

    ``{"chest_pain": true, "chest_pain": false}`` is ambiguous; refusing it is safer than
    guessing which answer the clinician meant.
    """

    __slots__ = ("duplicate_keys",)
    duplicate_keys: tuple[str, ...]


def _object_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    dupes: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in dupes:
            dupes.append(key)
        seen.add(key)
    marked = _JsonObject(pairs)
    marked.duplicate_keys = tuple(dupes)
    return marked


def load_json(text: str | bytes) -> object:
    """Decode JSON text for :func:`parse_findings`, refusing text that is not JSON.

    Keys given twice in one object are remembered and refused later by ``parse_findings``.

    >>> load_json('{"vitals": {}}')
    {'vitals': {}}
    >>> try:
    ...     load_json("")
    ... except FindingsError as err:
    ...     print(err.lines())
    ['(root): not valid JSON: Expecting value at line 1 column 1']
    """
    try:
        return json.loads(text, object_pairs_hook=_object_pairs, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise FindingsError(
            {ROOT: [f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]}
        ) from None
    except _NumberTooLong:
        raise FindingsError(
            {ROOT: [f"a number has more than {MAX_INT_DIGITS} digits; no finding needs one"]}
        ) from None
    except (UnicodeDecodeError, RecursionError) as exc:
        raise FindingsError({ROOT: [f"not valid JSON: {exc.__class__.__name__}"]}) from None


# No finding is a number of more than a few digits; a longer one is refused before it is read.
MAX_INT_DIGITS = 12


class _NumberTooLong(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _NumberTooLong(text[:20])
    return int(text)


# --- Field checks ----------------------------------------------------------------------------
#
# A check takes (value, path, errors), records any problem under ``path`` and returns the value
# to store (lists become tuples) or ``_INVALID``. They are built once at import time so that
# parsing a findings object does no string formatting on the happy path.

_INVALID = object()
_Errors: TypeAlias = dict[str, list[str]]
_Check: TypeAlias = Callable[[object, str, _Errors], object]


def _add(errors: _Errors, path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _integer(low: int, high: int) -> _Check:
    out_of_range = f"must be between {low} and {high}"

    def check(value: object, path: str, errors: _Errors) -> object:
        if type(value) is not int:
            _add(errors, path, "must be an integer")
            return _INVALID
        if not low <= value <= high:
            _add(errors, path, out_of_range)
            return _INVALID
        return value

    return check


def _number(low: float, high: float, low_text: str, high_text: str) -> _Check:
    out_of_range = f"must be between {low_text} and {high_text}"

    def check(value: object, path: str, errors: _Errors) -> object:
        if type(value) is not int and type(value) is not float:
            _add(errors, path, "must be a number")
            return _INVALID
        if not math.isfinite(value):
            _add(errors, path, "must be a finite number")
            return _INVALID
        if not low <= value <= high:
            _add(errors, path, out_of_range)
            return _INVALID
        return value

    return check


def _boolean(value: object, path: str, errors: _Errors) -> object:
    if type(value) is not bool:
        _add(errors, path, "must be true or false")
        return _INVALID
    return value


def _choice(choices: tuple[str, ...]) -> _Check:
    allowed = frozenset(choices)
    message = "must be one of: " + ", ".join(choices)

    def check(value: object, path: str, errors: _Errors) -> object:
        if type(value) is not str or value not in allowed:
            _add(errors, path, message)
            return _INVALID
        return value

    return check


def _spo2_scale(value: object, path: str, errors: _Errors) -> object:
    if type(value) is not int or value not in (1, 2):
        _add(errors, path, "must be 1 or 2")
        return _INVALID
    return value


def _unique_list(allowed: frozenset[str], item_check: _Check, empty: str) -> _Check:
    """A list of distinct items; ``empty`` is the message for ``[]``.

    ``allowed`` holds the strings ``item_check`` accepts, so that a known item seen for the
    first time is taken without formatting its path; any other goes through ``item_check``.
    """

    def check(value: object, path: str, errors: _Errors) -> object:
        if type(value) is not list:
            _add(errors, path, "must be a list")
            return _INVALID
        if not value:
            _add(errors, path, empty)
            return _INVALID
        seen: set[object] = set()
        ok = True
        for index, item in enumerate(value):
            if type(item) is str and item in allowed and item not in seen:
                seen.add(item)
                continue
            item_path = f"{path}[{index}]"
            if item_check(item, item_path, errors) is _INVALID:
                ok = False
            elif item in seen:
                _add(errors, item_path, "duplicate value")
                ok = False
            else:
                seen.add(item)
        return tuple(value) if ok else _INVALID

    return check


_NORMAL_SCAN_HINT = '(use ["no_leak"] for a normal scan)'

# Listing 25 levels in every message would drown the form; the pattern is clearer.
_LEVEL_MESSAGE = "must be a vertebral level: C1-C7, T1-T12, L1-L5 or S1"
_LEVEL_SET = frozenset(LEVELS)


def _level_check(value: object, path: str, errors: _Errors) -> object:
    if type(value) is not str or value not in _LEVEL_SET:
        _add(errors, path, _LEVEL_MESSAGE)
        return _INVALID
    return value


# Each field: (type, values, check). A value of exactly that type (type() rather than
# isinstance(): bool is an int subclass, and True is no pain score) that is one of the valid
# values listed is plainly valid, and _parse_section takes it inline; anything else goes
# through the check, which decides and knows the exact message. Parsing runs on every API
# call and wizard step, and the inline test saves a function call per field. Numbers (any
# float in a range) and lists (items, repeats) have no such list and always go through their
# check. Both come from the same arguments below, and the inline test accepts only what the
# check would accept.
_Spec: TypeAlias = tuple[type | None, frozenset[object], _Check]


def _int_field(low: int, high: int) -> _Spec:
    return (int, frozenset(range(low, high + 1)), _integer(low, high))


def _choice_field(choices: tuple[str, ...]) -> _Spec:
    return (str, frozenset(choices), _choice(choices))


def _checked_field(check: _Check) -> _Spec:
    return (None, frozenset(), check)


_BOOL_FIELD: _Spec = (bool, frozenset((True, False)), _boolean)

_SPECS: dict[str, dict[str, _Spec]] = {
    "procedure": {
        "hours_since": _checked_field(_number(0, 8760, "0", "8760")),
        "levels": _checked_field(
            _unique_list(_LEVEL_SET, _level_check, "must name at least one level")
        ),
    },
    "symptoms": {
        "pain_score": _int_field(0, 10),
        "pain_course": _choice_field(PAIN_COURSES),
        "radicular_pain": _BOOL_FIELD,
        "chest_pain": _BOOL_FIELD,
        "dyspnoea": _BOOL_FIELD,
        "uncontrolled_despite_analgesia": _BOOL_FIELD,
    },
    "neuro": {
        "motor": _choice_field(NEURO_STATUSES),
        "sensory": _choice_field(NEURO_STATUSES),
        "upper_limb": _choice_field(NEURO_STATUSES),
        "bowel_bladder": _choice_field(BOWEL_BLADDER_STATUSES),
        "focal_signs": _BOOL_FIELD,
    },
    "vitals": {
        "respiratory_rate": _int_field(0, 80),
        "spo2": _int_field(50, 100),
        "spo2_scale": (int, frozenset((1, 2)), _spo2_scale),
        "on_oxygen": _BOOL_FIELD,
        "systolic_bp": _int_field(40, 300),
        "heart_rate": _int_field(20, 250),
        "consciousness": _choice_field(CONSCIOUSNESS_LEVELS),
        "temperature": _checked_field(_number(30.0, 45.0, "30.0", "45.0")),
        "oxygen_reason": _choice_field(OXYGEN_REASONS),
    },
    "imaging": {
        "status": _choice_field(IMAGING_STATUSES),
        "modality": _choice_field(MODALITIES),
        "findings": _checked_field(
            _unique_list(
                frozenset(IMAGING_FINDINGS),
                _choice(IMAGING_FINDINGS),
                f"must not be empty {_NORMAL_SCAN_HINT}",
            )
        ),
        "after_current_symptoms": _BOOL_FIELD,
    },
}
_SECTION_TYPES: dict[str, type[Section]] = {
    "procedure": Procedure,
    "symptoms": Symptoms,
    "neuro": Neuro,
    "vitals": Vitals,
    "imaging": Imaging,
}
# Each spec with its field's name last. The names written above are interned strings and
# keys decoded from JSON are not: setting an attribute by an equal but distinct string misses
# the type's attribute cache and costs about twice as much.
_FIELDS: dict[str, dict[str, tuple[type | None, frozenset[object], _Check, str]]] = {
    section: {key: (*spec, key) for key, spec in specs.items()} for section, specs in _SPECS.items()
}
_SECTION_NAMES: dict[str, str] = {name: name for name in _SPECS}  # interned, as above
# Field paths built once, so the happy path formats no strings.
_PATHS: dict[str, dict[str, str]] = {
    section: {key: f"{section}.{key}" for key in fields} for section, fields in _SPECS.items()
}


def _check_duplicate_keys(data: dict[str, object], prefix: str, errors: _Errors) -> None:
    for key in getattr(data, "duplicate_keys", ()):
        _add(errors, f"{prefix}{key}", "duplicate key")


def _parse_section(name: str, data: object, errors: _Errors) -> Section | None:
    if type(data) is not dict:
        if not isinstance(data, dict):
            _add(errors, name, "must be an object")
            return None
        _check_duplicate_keys(data, name + ".", errors)
    fields = _FIELDS[name]
    # Every field starts as None ("not assessed") and is set once its value is known good;
    # setting attributes costs less than gathering keyword arguments for the constructor.
    section = _SECTION_TYPES[name]()
    for key, value in data.items():
        try:
            value_type, valid, check, field = fields[key]
        except KeyError:
            _add(errors, f"{name}.{key}", "unknown field")
            continue
        if type(value) is value_type and value in valid:
            setattr(section, field, value)
            continue
        checked = check(value, _PATHS[name][field], errors)
        if checked is not _INVALID:
            setattr(section, field, checked)
    if name == "imaging":
        _check_imaging_consistency(section, data, errors)  # type: ignore[arg-type]
    elif name == "vitals" and "oxygen_reason" in data:
        _check_oxygen_reason(section, data, errors)  # type: ignore[arg-type]
    return section


# The two checks below read the parsed section (a field is None unless its value was valid,
# since no field accepts null) beside the keys that were given.


def _check_imaging_consistency(imaging: Imaging, given: dict[str, object], errors: _Errors) -> None:
    """Refuse imaging sections that contradict themselves.

    A scan marked done but with no result would otherwise read as a scan that found nothing,
    so a done scan must say what it showed and what it was. A modality is allowed with any
    status (a scan can be requested as an MRI); the rules read it only for a done scan.
    """
    if "status" in given and imaging.status is None:
        return  # the status itself is invalid; judging the rest against it would mislead
    status = imaging.status
    findings = imaging.findings
    if status == "done":
        if "modality" not in given:
            _add(errors, "imaging.modality", 'required when status is "done"')
        if "findings" not in given:
            _add(errors, "imaging.findings", f'required when status is "done" {_NORMAL_SCAN_HINT}')
    else:
        if "findings" in given:
            _add(errors, "imaging.findings", 'not allowed unless status is "done"')
        if "after_current_symptoms" in given:
            _add(errors, "imaging.after_current_symptoms", 'not allowed unless status is "done"')
    if isinstance(findings, tuple) and "no_leak" in findings and len(findings) > 1:
        _add(errors, "imaging.findings", '"no_leak" cannot be combined with other findings')


def _check_oxygen_reason(vitals: Vitals, given: dict[str, object], errors: _Errors) -> None:
    """The reason for oxygen belongs only beside ``on_oxygen: true``.

    A reason with the patient on air (or with no oxygen answer) contradicts itself or hides a
    missing answer; the form that sent it is wrong, so it is refused rather than guessed.
    """
    if "on_oxygen" in given and vitals.on_oxygen is None:
        return  # on_oxygen itself is invalid and already reported
    if vitals.on_oxygen is not True:
        _add(errors, "vitals.oxygen_reason", "allowed only when on_oxygen is true")


def parse_findings(data: object) -> Findings:
    """Validate decoded JSON findings; raise :class:`FindingsError` listing every problem.

    >>> try:
    ...     parse_findings({"symptoms": {"pain_score": 7.0, "chest_pain": "true", "mood": 1}})
    ... except FindingsError as err:
    ...     print("\\n".join(err.lines()))
    symptoms.pain_score: must be an integer
    symptoms.chest_pain: must be true or false
    symptoms.mood: unknown field
    """
    if not isinstance(data, dict):
        raise FindingsError({ROOT: ["must be an object"]})
    errors: _Errors = {}
    if type(data) is not dict:
        _check_duplicate_keys(data, "", errors)
    findings = Findings()
    for key, value in data.items():
        name = _SECTION_NAMES.get(key)
        if name is None:
            _add(errors, key, "unknown field")
            continue
        setattr(findings, name, _parse_section(name, value, errors))
    if errors:
        raise FindingsError(errors)
    return findings
