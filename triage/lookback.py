"""The look-back: the stored assessments that the current rules would now answer differently.

Every submitted round keeps the assessment it showed, made by the rules of its day; nothing
stored is ever recomputed. After a rules change a team still needs to know which patients the
old rules reassured but the new ones would escalate. This re-runs the current rules over each
round's stored findings (in the current vocabulary: `triage.clinical.snapshots`) and lists the
rounds whose red flags, pathways (code and status) or escalation would now differ.

Most dangerous first: by how many levels more urgent the new escalation is than the stored one,
then by the new escalation, then the newest submission. A round whose stored findings the
current rules cannot assess is listed before all of them, with the reason: its danger is not
known, so someone must read it. Read-only: this module writes nothing (the run itself is
recorded by `triage.actions.lookback.run`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import F, Func, JSONField, QuerySet, Value
from django.db.models.fields.json import KT
from django.urls import reverse

from triage.clinical import CONTRACT_VERSION, FindingsError, assess_json
from triage.clinical.explain import PATHWAY_TITLES, RED_FLAG_TITLES, join_words
from triage.clinical.snapshots import (
    ESCALATION_RANK,
    contract_of,
    stored_escalation,
    upgrade_findings,
)
from triage.csv_cells import csv_safe
from triage.models import Encounter, Round, User, Ward

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ESCALATION_WORDS: dict[str, str] = {
    code: label.lower() for code, label in Encounter.Escalation.choices
}
SECTION_WORDS = {"symptoms": "symptoms", "neuro": "neuro exam", "vitals": "vital signs"}
ROUND_FIELDS = (
    "number",
    "submitted_at",
    "findings",
    "rules_version",
    "encounter",
    "encounter__patient_identifier",
    "encounter__ward",
    "encounter__ward__name",
    "submitted_by",
    "submitted_by__username",
)


def _lower_first(title: str) -> str:
    """A title inside a sentence, but an initialism stays as it is.

    >>> _lower_first("Altered consciousness"), _lower_first("NEWS2 high")
    ('altered consciousness', 'NEWS2 high')
    """
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def red_flag_title(code: str) -> str:
    return RED_FLAG_TITLES.get(code, code.replace("_", " ").capitalize())


def pathway_title(code: str) -> str:
    return PATHWAY_TITLES.get(code, code.replace("_", " ").capitalize())


class _JsonPath(Func):
    """The items a JSON path selects, as one JSON array (PostgreSQL's jsonb_path_query_array)."""

    function = "jsonb_path_query_array"
    template = "%(function)s(%(expressions)s::jsonpath)"
    output_field = JSONField()


# What the comparison reads of a stored assessment, taken out by the database: a stored
# assessment also holds every reason, action and source, many times the size of these.
STORED_OUTCOME = {
    "stored_escalation": KT("assessment__escalation"),
    "stored_red_flags": _JsonPath(F("assessment"), Value("$.red_flags[*].code")),
    "stored_pathway_codes": _JsonPath(F("assessment"), Value("$.pathways[*].code")),
    "stored_pathway_statuses": _JsonPath(F("assessment"), Value("$.pathways[*].status")),
}


class StoredOutcome(TypedDict):
    """What `STORED_OUTCOME` adds to each round."""

    stored_escalation: str | None
    stored_red_flags: list[str]
    stored_pathway_codes: list[str]
    stored_pathway_statuses: list[str]


def stored_snapshot(round: WithAnnotations[Round, StoredOutcome]) -> dict[str, Any]:
    """The part of the round's stored assessment the look-back compares, in its own shape
    (so `triage.clinical.snapshots` reads it as it reads a whole one)."""
    snapshot: dict[str, Any] = {
        "contract": round.rules_version,
        "red_flags": [{"code": code} for code in round.stored_red_flags],
        # A pathway stored without a status (never written so) is left without one, for
        # `compare` to report rather than be paired with another's status.
        "pathways": [
            {"code": code, "status": status} if status is not None else {"code": code}
            for code, status in zip_longest(
                round.stored_pathway_codes, round.stored_pathway_statuses
            )
        ],
    }
    if round.stored_escalation is not None:
        snapshot["escalation"] = round.stored_escalation
    return snapshot


@dataclass(frozen=True)
class Outcome:
    """What an assessment decided, as far as the look-back compares it."""

    red_flags: tuple[str, ...]  # codes, in the assessment's order
    pathways: tuple[tuple[str, str], ...]  # (code, status)
    escalation: str
    incomplete: tuple[str, ...] = ()  # sections; shown, not compared (v1 had no such key)

    @classmethod
    def of(cls, assessment: Mapping[str, Any]) -> Outcome:
        """Raises KeyError or ValueError for an assessment not in the contract's shape."""
        escalation = stored_escalation(assessment)
        if escalation not in ESCALATION_RANK:
            raise ValueError(f"unknown escalation {escalation!r}")
        return cls(
            red_flags=tuple(flag["code"] for flag in assessment.get("red_flags") or ()),
            pathways=tuple((p["code"], p["status"]) for p in assessment.get("pathways") or ()),
            escalation=escalation,
            incomplete=tuple(assessment.get("incomplete") or ()),
        )

    def same_as(self, other: Outcome) -> bool:
        return (
            set(self.red_flags) == set(other.red_flags)
            and set(self.pathways) == set(other.pathways)
            and self.escalation == other.escalation
        )

    @property
    def rank(self) -> int:
        return ESCALATION_RANK[self.escalation]

    def headline(self) -> list[str]:
        """What it is about, in words: its red flags, else its pathways."""
        if self.red_flags:
            return [_lower_first(red_flag_title(code)) for code in self.red_flags]
        return [_lower_first(pathway_title(code)) for code, _ in self.pathways]


@dataclass(frozen=True)
class Change:
    """One submitted round that the current rules would answer differently (`now`), or could
    not assess at all (`now` is None and `problem` says why; `was` is None too when the stored
    assessment itself cannot be read)."""

    round: Round
    was: Outcome | None
    now: Outcome | None
    problem: str = ""
    assessed_under: str = ""  # the rules version of the stored snapshot

    @property
    def encounter(self) -> Encounter:
        return self.round.encounter

    @property
    def round_title(self) -> str:
        number = self.round.number
        return "First assessment" if number == 1 else f"Reassessment {number}"

    @property
    def record_url(self) -> str:
        url = reverse("encounters:detail", kwargs={"pk": self.round.encounter_id})
        return f"{url}?round={self.round.number}"

    @property
    def steps_more_urgent(self) -> int:
        """How many escalation levels more urgent the current rules are (negative: calmer)."""
        return self.now.rank - self.was.rank if self.now and self.was else 0

    def danger(self) -> tuple[int, int, int]:
        """Sort key, most dangerous first. Ties keep their order (sorting is stable), so rows
        sorted newest first beforehand stay newest first within each level."""
        if self.now is None:
            return (0, 0, 0)
        return (1, -self.steps_more_urgent, -self.now.rank)

    @property
    def was_label(self) -> str:
        return ESCALATION_WORDS[self.was.escalation].capitalize() if self.was else "Unknown"

    @property
    def now_label(self) -> str:
        return ESCALATION_WORDS[self.now.escalation].capitalize() if self.now else ""

    @cached_property
    def summary(self) -> str:
        """One sentence, e.g. "Was routine with transient post-procedural pain → now
        emergency: altered consciousness"."""
        if self.now is None or self.was is None:
            return "The current rules could not assess the stored answers: " + self.problem
        was = f"Was {ESCALATION_WORDS[self.was.escalation]}"
        if items := self.was.headline():
            was += " with " + join_words(list(items))
        now = self.now.headline() or [
            f"{SECTION_WORDS.get(section, section)} incomplete" for section in self.now.incomplete
        ]
        return (
            f"{was} → now {ESCALATION_WORDS[self.now.escalation]}"
            f"{': ' + join_words(list(now)) if now else ''}"
        )

    @cached_property
    def red_flags_added(self) -> list[str]:
        if self.now is None or self.was is None:
            return []
        return [red_flag_title(c) for c in self.now.red_flags if c not in self.was.red_flags]

    @cached_property
    def red_flags_removed(self) -> list[str]:
        if self.now is None or self.was is None:
            return []
        return [red_flag_title(c) for c in self.was.red_flags if c not in self.now.red_flags]

    def _pathways(self) -> tuple[dict[str, str], dict[str, str]]:
        if self.now is None or self.was is None:
            return {}, {}
        return dict(self.was.pathways), dict(self.now.pathways)

    @cached_property
    def pathways_added(self) -> list[str]:
        was, now = self._pathways()
        return [f"{pathway_title(c)} ({s})" for c, s in now.items() if c not in was]

    @cached_property
    def pathways_removed(self) -> list[str]:
        was, now = self._pathways()
        return [f"{pathway_title(c)} (was {s})" for c, s in was.items() if c not in now]

    @cached_property
    def pathways_changed(self) -> list[str]:
        was, now = self._pathways()
        return [
            f"{pathway_title(c)}: was {was[c]}, now {s}"
            for c, s in now.items()
            if c in was and was[c] != s
        ]

    @cached_property
    def details(self) -> list[str]:
        """Each difference in plain words."""
        if self.now is None or self.was is None:
            return []
        lines = [f"New red flag: {title}" for title in self.red_flags_added]
        lines += [f"Red flag no longer raised: {title}" for title in self.red_flags_removed]
        lines += [f"New pathway: {title}" for title in self.pathways_added]
        lines += [f"Pathway no longer listed: {title}" for title in self.pathways_removed]
        lines += [f"Pathway changed: {text}" for text in self.pathways_changed]
        if self.now.escalation != self.was.escalation:
            lines.append(f"Escalation: was {self.was_label.lower()}, now {self.now_label.lower()}")
        if self.now.incomplete:
            sections = join_words([SECTION_WORDS.get(s, s) for s in self.now.incomplete])
            lines.append(f"Not complete for the current rules: {sections}")
        return lines


@dataclass(frozen=True)
class Lookback:
    rules_version: str
    rounds_checked: int
    changes: list[Change]  # most dangerous first

    @property
    def problems(self) -> list[Change]:
        return [change for change in self.changes if change.now is None]

    @property
    def differences(self) -> list[Change]:
        return [change for change in self.changes if change.now is not None]


def compare(round: Round, stored: Mapping[str, Any]) -> Change | None:
    """The round's change under the current rules, or None if it would come out the same.
    `stored` is its stored assessment (or the part of it `stored_snapshot` reads)."""
    version = contract_of(stored)
    try:
        was = Outcome.of(stored)
    except (KeyError, ValueError) as error:
        return Change(round, None, None, f"the stored assessment cannot be read ({error})", version)
    try:
        # Submitted: its findings are stored.
        findings = upgrade_findings(cast("dict[str, Any]", round.findings), version)
        now = Outcome.of(assess_json(findings).to_dict())
    except FindingsError as error:
        return Change(round, was, None, "; ".join(error.lines()), version)
    except (TypeError, ValueError) as error:  # not findings at all, or an unknown contract
        return Change(round, was, None, str(error), version)
    return None if now.same_as(was) else Change(round, was, now, "", version)


def submitted_rounds(
    wards: Iterable[Ward] | None,
) -> QuerySet[WithAnnotations[Round, StoredOutcome]]:
    """Every submitted round of `wards` (of every ward if None), with what a row shows and
    the part of the stored assessment compared (`stored_snapshot`): one query."""
    rounds = cast(
        "QuerySet[WithAnnotations[Round, StoredOutcome]]",
        Round.objects.filter(status=Round.Status.SUBMITTED)
        .select_related("encounter__ward", "submitted_by")
        .only(*ROUND_FIELDS)
        .annotate(**STORED_OUTCOME)
        .order_by("-submitted_at", "-pk"),
    )
    if wards is not None:
        rounds = rounds.filter(encounter__ward__in=wards)
    return rounds


def look_back(wards: Iterable[Ward] | None) -> Lookback:
    """Re-run the current rules over the stored findings of every submitted round of `wards`
    (every ward if None) and list the rounds that would come out differently."""
    checked = 0
    changes = []
    # Newest first from the query; the stable sort by danger keeps that within a level.
    for round in submitted_rounds(wards).iterator(chunk_size=2000):
        checked += 1
        if (change := compare(round, stored_snapshot(round))) is not None:
            changes.append(change)
    changes.sort(key=Change.danger)
    return Lookback(rules_version=CONTRACT_VERSION, rounds_checked=checked, changes=changes)


CSV_HEADER = (
    "patient",
    "ward",
    "assessment",
    "submitted_at",
    "submitted_by",
    "assessed_under_rules",
    "current_rules",
    "escalation_then",
    "escalation_now",
    "change",
    "red_flags_added",
    "red_flags_removed",
    "pathways_added",
    "pathways_removed",
    "pathways_changed",
    "not_reassessed_because",
    "record",
    "encounter_id",
    "round_number",
    "red_flag_codes_then",
    "red_flag_codes_now",
    "pathways_then",
    "pathways_now",
)


def csv_rows(result: Lookback) -> Iterator[list[str]]:
    """The look-back as CSV rows (header first), every cell safe for a spreadsheet; codes
    follow the words, for whoever matches them up with other records."""

    def codes(outcome: Outcome | None, pathways: bool) -> str:
        if outcome is None:
            return ""
        if pathways:
            return " ".join(f"{code}:{status}" for code, status in outcome.pathways)
        return " ".join(outcome.red_flags)

    yield list(CSV_HEADER)
    for change in result.changes:
        round = change.round
        # Submitted: it says when, and by whom.
        submitted_at = cast(datetime, round.submitted_at)
        submitted_by = cast(User, round.submitted_by)
        cells = [
            round.encounter.patient_identifier,
            round.encounter.ward.name,
            change.round_title,
            submitted_at.isoformat(),
            submitted_by.get_username(),
            change.assessed_under,
            result.rules_version,
            change.was_label,
            change.now_label,
            change.summary if change.now else "",
            "; ".join(change.red_flags_added),
            "; ".join(change.red_flags_removed),
            "; ".join(change.pathways_added),
            "; ".join(change.pathways_removed),
            "; ".join(change.pathways_changed),
            change.problem,
            change.record_url,
            str(round.encounter_id),
            str(round.number),
            codes(change.was, pathways=False),
            codes(change.now, pathways=False),
            codes(change.was, pathways=True),
            codes(change.now, pathways=True),
        ]
        yield [csv_safe(cell) for cell in cells]
