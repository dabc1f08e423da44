"""The assessment (the engine's output) and its JSON form.

The contract fixes eight keys (``contract``, ``red_flags``, ``pathways``, ``news2``,
``imaging``, ``escalation``, ``not_assessed``, ``incomplete``); everything else
:meth:`Assessment.to_dict` adds is explanation: why each red flag and pathway was raised
(``reason`` in words, ``because`` as machine-readable traces), what to do (``actions``), where
the advice comes from (``sources``, and a ``reference`` where the clinical source is silent)
and a stable ``guidance_key`` for locally written guidance.

Titles, actions and sources are looked up from ``explain.py`` by code, so an assessment object
holds only what was decided and the evidence for it.

Like the findings, these classes are slotted dataclasses but not ``frozen``: each is built
fresh by one ``assess`` call and never shared, and a frozen dataclass's ``__init__`` (one
``object.__setattr__`` per field) took a quarter of the engine's time in
``bench/bench_assess.py``. Their contents are tuples and strings; treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from triage.clinical import explain
from triage.clinical.early_warning import REFERENCE as NEWS2_REFERENCE
from triage.clinical.early_warning import News2

CONTRACT_VERSION = "v2"
PathwayStatus: TypeAlias = Literal["suspected", "confirmed"]
ImagingCode: TypeAlias = Literal["emergency", "urgent", "done"]
EscalationCode: TypeAlias = Literal["emergency", "urgent", "routine"]

# The fixed words of each code, gathered once: to_dict runs on every API call and wizard step.
_Text: TypeAlias = tuple[str, tuple[str, ...], tuple[int, ...], str, str | None]
_RED_FLAG_TEXT: dict[str, _Text] = {
    code: (
        explain.RED_FLAG_TITLES[code],
        explain.RED_FLAG_ACTIONS[code],
        explain.RED_FLAG_SOURCES[code],
        explain.guidance_key("red_flag", code),
        explain.RED_FLAG_REFERENCES.get(code),
    )
    for code in explain.RED_FLAG_CODES
}
_PATHWAY_TEXT: dict[tuple[str, str, str], _Text] = {
    (code, status, variant): (
        explain.PATHWAY_TITLES[code],
        actions,
        explain.PATHWAY_SOURCES[code],
        explain.guidance_key("pathway", code),
        explain.PATHWAY_REFERENCES.get(code),
    )
    for (code, status, variant), actions in explain.PATHWAY_ACTIONS.items()
}
_IMAGING_TEXT: dict[str, _Text] = {
    code: (
        explain.IMAGING_TITLES[code],
        explain.IMAGING_ACTIONS[code],
        explain.IMAGING_SOURCES[code],
        explain.guidance_key("imaging", code),
        None,
    )
    for code in explain.IMAGING_CODES
}


def _template(code: str, text: _Text, status: str | None = None) -> dict[str, object]:
    """The JSON form of one explained code, in key order, with ``reason`` and ``because`` left
    for ``to_dict`` to fill in and ``actions`` and ``sources`` still tuples (never shared
    lists). ``to_dict`` copies it: that keeps the key order and costs less than building the
    dict key by key."""
    title, actions, sources, key, reference = text
    data: dict[str, object] = {"code": code}
    if status is not None:
        data["status"] = status
    data |= {
        "reason": None,
        "title": title,
        "because": None,
        "actions": actions,
        "sources": sources,
        "guidance_key": key,
    }
    if reference is not None:
        data["reference"] = reference
    return data


_RED_FLAG_TEMPLATES = {code: _template(code, text) for code, text in _RED_FLAG_TEXT.items()}
_PATHWAY_TEMPLATES = {
    (code, status, variant): _template(code, text, status)
    for (code, status, variant), text in _PATHWAY_TEXT.items()
}
_IMAGING_TEMPLATES = {code: _template(code, text) for code, text in _IMAGING_TEXT.items()}


@dataclass(slots=True)
class RedFlag:
    """A red flag: an emergency the contract names, with the findings that raised it."""

    code: str
    reason: str
    because: tuple[str, ...]

    @property
    def title(self) -> str:
        return explain.RED_FLAG_TITLES[self.code]

    @property
    def actions(self) -> tuple[str, ...]:
        return explain.RED_FLAG_ACTIONS[self.code]

    @property
    def sources(self) -> tuple[int, ...]:
        return explain.RED_FLAG_SOURCES[self.code]

    @property
    def guidance_key(self) -> str:
        return "red_flag." + self.code

    def to_dict(self) -> dict[str, object]:
        data = _RED_FLAG_TEMPLATES[self.code].copy()  # fresh lists below: see _template
        data["reason"] = self.reason
        data["because"] = [*self.because]
        data["actions"] = [*data["actions"]]  # type: ignore[misc]
        data["sources"] = [*data["sources"]]  # type: ignore[misc]
        return data


@dataclass(slots=True)
class Pathway:
    """A likely cause of the pain, ``suspected`` on clinical grounds or ``confirmed`` by imaging.

    ``variant`` picks the actions that fit what else was found (``explain.PATHWAY_ACTIONS``).
    """

    code: str
    status: PathwayStatus
    reason: str
    because: tuple[str, ...]
    variant: str = ""

    @property
    def title(self) -> str:
        return explain.PATHWAY_TITLES[self.code]

    @property
    def actions(self) -> tuple[str, ...]:
        return _PATHWAY_TEXT[self.code, self.status, self.variant][1]

    @property
    def sources(self) -> tuple[int, ...]:
        return explain.PATHWAY_SOURCES[self.code]

    @property
    def guidance_key(self) -> str:
        return "pathway." + self.code

    def to_dict(self) -> dict[str, object]:
        data = _PATHWAY_TEMPLATES[self.code, self.status, self.variant].copy()
        data["reason"] = self.reason
        data["because"] = [*self.because]
        data["actions"] = [*data["actions"]]  # type: ignore[misc]
        data["sources"] = [*data["sources"]]  # type: ignore[misc]
        return data


@dataclass(slots=True)
class ImagingAdvice:
    """How urgently imaging is needed (``emergency``, ``urgent``) or that it is ``done``."""

    code: ImagingCode
    reason: str
    because: tuple[str, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        return explain.IMAGING_ACTIONS[self.code]

    @property
    def sources(self) -> tuple[int, ...]:
        return explain.IMAGING_SOURCES[self.code]

    @property
    def guidance_key(self) -> str:
        return "imaging." + self.code

    def to_dict(self) -> dict[str, object]:
        data = _IMAGING_TEMPLATES[self.code].copy()
        data["reason"] = self.reason
        data["because"] = [*self.because]
        data["actions"] = [*data["actions"]]  # type: ignore[misc]
        data["sources"] = [*data["sources"]]  # type: ignore[misc]
        return data


@dataclass(slots=True)
class Escalation:
    """How fast a clinician must see the patient, said first on every screen.

    ``headline`` is the one line ("Emergency: call the spinal team now"); ``actions`` the few
    that matter first (for an emergency, the first action of each red flag).
    """

    code: EscalationCode
    headline: str
    reason: str
    actions: tuple[str, ...]
    because: tuple[str, ...]

    @property
    def guidance_key(self) -> str:
        return "escalation." + self.code

    def to_dict(self) -> dict[str, object]:
        data = _ESCALATION_TEMPLATES[self.code].copy()
        data["headline"] = self.headline
        data["reason"] = self.reason
        data["because"] = [*self.because]
        data["actions"] = [*self.actions]
        data["sources"] = [*data["sources"]]  # type: ignore[misc]
        return data


# As _template, for Escalation.to_dict: its headline, reason, because and actions vary.
_ESCALATION_TEMPLATES: dict[str, dict[str, object]] = {
    code: {
        "code": code,
        "title": explain.ESCALATION_TITLES[code],
        "headline": None,
        "reason": None,
        "because": None,
        "actions": None,
        "sources": explain.ESCALATION_SOURCES[code],
        "guidance_key": explain.guidance_key("escalation", code),
    }
    for code in explain.ESCALATION_CODES
}


@dataclass(slots=True)
class DerivedSigns:
    """Signs derived from the findings (contract: *Derived signs*); ``None`` when the
    observation they need was not recorded, which the rules read as false."""

    tachypnoea: bool | None
    bradypnoea: bool | None
    hypoxia: bool | None
    new_oxygen_requirement: bool | None
    tachycardia: bool | None
    shock: bool | None
    fever: bool | None
    altered_consciousness: bool | None
    scan_done: bool
    mri_done: bool

    def to_dict(self) -> dict[str, bool | None]:
        return {
            "tachypnoea": self.tachypnoea,
            "bradypnoea": self.bradypnoea,
            "hypoxia": self.hypoxia,
            "new_oxygen_requirement": self.new_oxygen_requirement,
            "tachycardia": self.tachycardia,
            "shock": self.shock,
            "fever": self.fever,
            "altered_consciousness": self.altered_consciousness,
            "scan_done": self.scan_done,
            "mri_done": self.mri_done,
        }


@dataclass(slots=True)
class Assessment:
    """Everything the engine decided about one set of findings; see :meth:`to_dict`."""

    red_flags: tuple[RedFlag, ...]
    pathways: tuple[Pathway, ...]
    news2: News2 | None
    news2_missing: tuple[str, ...]
    imaging: ImagingAdvice
    escalation: Escalation
    not_assessed: tuple[str, ...]
    incomplete: tuple[str, ...]
    missing: dict[str, tuple[str, ...]]
    signs: DerivedSigns
    warnings: tuple[str, ...]

    @property
    def red_flag_codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.red_flags)

    @property
    def pathway_codes(self) -> tuple[str, ...]:
        return tuple(pathway.code for pathway in self.pathways)

    def news2_detail(self) -> dict[str, object]:
        if self.news2 is not None:
            return self.news2.detail_dict()
        return {
            "score": None,
            "band": None,
            "missing": [*self.news2_missing],
            "reason": "NEWS2 not scored yet: record "
            + explain.field_labels("vitals", self.news2_missing),
            "reference": NEWS2_REFERENCE,
        }

    def to_dict(self) -> dict[str, object]:
        """The contract's JSON assessment followed by the explanation keys.

        Every value is a fresh list or dict of JSON types, so callers may ``json.dumps`` or
        mutate the result freely.
        """
        return {
            "contract": CONTRACT_VERSION,
            "red_flags": [flag.to_dict() for flag in self.red_flags],
            "pathways": [pathway.to_dict() for pathway in self.pathways],
            "news2": None if self.news2 is None else self.news2.to_dict(),
            "imaging": self.imaging.code,
            "escalation": self.escalation.code,
            "not_assessed": [*self.not_assessed],
            "incomplete": [*self.incomplete],
            "escalation_detail": self.escalation.to_dict(),
            "imaging_detail": self.imaging.to_dict(),
            "news2_detail": self.news2_detail(),
            # (No comprehension for the usual case, nothing missing: each one is a call.)
            "missing": {section: [*keys] for section, keys in self.missing.items()}
            if self.missing
            else {},
            "derived_signs": self.signs.to_dict(),
            "warnings": [*self.warnings],
            "advice": {
                "guidance_key": explain.GENERAL_KEY,
                "title": explain.GENERAL_ADVICE_TITLE,
                "actions": [*explain.GENERAL_ADVICE],
                "sources": [*explain.GENERAL_SOURCES],
            },
        }
