"""The assessment (the engine's output) and its JSON form.

The contract fixes six keys (``contract``, ``red_flags``, ``pathways``, ``news2``, ``imaging``,
``not_assessed``); everything else :meth:`Assessment.to_dict` adds is explanation: why each
red flag and pathway was raised (``reason``, ``because``), what to do (``actions``), where the
advice comes from (``sources``) and a stable ``guidance_key`` for locally written guidance.

Titles, actions and sources are looked up from ``explain.py`` by code, so an assessment object
holds only what was decided and the evidence for it.

Like the findings, these classes are slotted dataclasses but not ``frozen``: each is built
fresh by one ``assess`` call and never shared, and a frozen dataclass's ``__init__`` (one
``object.__setattr__`` per field) took a quarter of the engine's time in
``bench/bench_assess.py`` (about 18,000 instead of 24,000 assessments per second, below the
20,000 target). Their contents are tuples and strings; treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from triage.clinical import explain
from triage.clinical.early_warning import REFERENCE as NEWS2_REFERENCE
from triage.clinical.early_warning import News2

CONTRACT_VERSION = "v1"
PathwayStatus: TypeAlias = Literal["suspected", "confirmed"]
ImagingCode: TypeAlias = Literal["emergency", "urgent", "done"]


# The fixed words of each code, gathered once: to_dict runs on every API call and wizard step.
_RED_FLAG_TEXT: dict[str, tuple[str, tuple[str, ...], tuple[int, ...], str]] = {
    code: (
        explain.RED_FLAG_TITLES[code],
        explain.RED_FLAG_ACTIONS[code],
        explain.RED_FLAG_SOURCES[code],
        explain.guidance_key("red_flag", code),
    )
    for code in explain.RED_FLAG_CODES
}
_PATHWAY_TEXT: dict[tuple[str, str], tuple[str, tuple[str, ...], tuple[int, ...], str]] = {
    (code, status): (
        explain.PATHWAY_TITLES[code],
        actions,
        explain.PATHWAY_SOURCES[code],
        explain.guidance_key("pathway", code),
    )
    for (code, status), actions in explain.PATHWAY_ACTIONS.items()
}
_IMAGING_TEXT: dict[str, tuple[tuple[str, ...], tuple[int, ...], str]] = {
    code: (
        explain.IMAGING_ACTIONS[code],
        explain.IMAGING_SOURCES[code],
        explain.guidance_key("imaging", code),
    )
    for code in explain.IMAGING_CODES
}


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
        title, actions, sources, key = _RED_FLAG_TEXT[self.code]
        data: dict[str, object] = {
            "code": self.code,
            "reason": self.reason,
            "title": title,
            "because": list(self.because),
            "actions": list(actions),
            "sources": list(sources),
            "guidance_key": key,
        }
        if self.code == "news2_high":
            data["reference"] = NEWS2_REFERENCE
        return data


@dataclass(slots=True)
class Pathway:
    """A likely cause of the pain, ``suspected`` on clinical grounds or ``confirmed`` by imaging."""

    code: str
    status: PathwayStatus
    reason: str
    because: tuple[str, ...]

    @property
    def title(self) -> str:
        return explain.PATHWAY_TITLES[self.code]

    @property
    def actions(self) -> tuple[str, ...]:
        return explain.PATHWAY_ACTIONS[(self.code, self.status)]

    @property
    def sources(self) -> tuple[int, ...]:
        return explain.PATHWAY_SOURCES[self.code]

    @property
    def guidance_key(self) -> str:
        return "pathway." + self.code

    def to_dict(self) -> dict[str, object]:
        title, actions, sources, key = _PATHWAY_TEXT[self.code, self.status]
        return {
            "code": self.code,
            "status": self.status,
            "title": title,
            "reason": self.reason,
            "because": list(self.because),
            "actions": list(actions),
            "sources": list(sources),
            "guidance_key": key,
        }


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
        actions, sources, key = _IMAGING_TEXT[self.code]
        return {
            "code": self.code,
            "reason": self.reason,
            "because": list(self.because),
            "actions": list(actions),
            "sources": list(sources),
            "guidance_key": key,
        }


@dataclass(slots=True)
class DerivedSigns:
    """Signs derived from the vitals; ``None`` when the observation was not recorded."""

    tachypnoea: bool | None
    hypoxia: bool | None
    tachycardia: bool | None

    def to_dict(self) -> dict[str, bool | None]:
        return {
            "tachypnoea": self.tachypnoea,
            "hypoxia": self.hypoxia,
            "tachycardia": self.tachycardia,
        }


@dataclass(slots=True)
class Assessment:
    """Everything the engine decided about one set of findings; see :meth:`to_dict`."""

    red_flags: tuple[RedFlag, ...]
    pathways: tuple[Pathway, ...]
    news2: News2 | None
    news2_missing: tuple[str, ...]
    imaging: ImagingAdvice
    not_assessed: tuple[str, ...]
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
            "missing": list(self.news2_missing),
            "reason": "NEWS2 not scored: missing " + ", ".join(self.news2_missing),
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
            "not_assessed": list(self.not_assessed),
            "imaging_detail": self.imaging.to_dict(),
            "news2_detail": self.news2_detail(),
            "derived_signs": self.signs.to_dict(),
            "warnings": list(self.warnings),
            "advice": {
                "guidance_key": explain.GENERAL_KEY,
                "title": explain.GENERAL_ADVICE_TITLE,
                "actions": list(explain.GENERAL_ADVICE),
                "sources": list(explain.GENERAL_SOURCES),
            },
        }
