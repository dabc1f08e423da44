"""The ward board: every open encounter of a ward (submitted, not discharged) with what a nurse
in charge needs at a glance, emergencies and overdue observations first.

One query for the whole board, however many patients: each encounter comes with its last three
submitted rounds (their number, time and the few keys of their stored assessment a row shows:
`Round.board_summary`, which the database keeps beside the assessment) and whether it is signed
off. Presentation only: due times come from
`presenters.observations_due_in_words`, the clinical rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import DateTimeField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe

from triage.clinical.explain import ESCALATION_TITLES
from triage.clinical.snapshots import ESCALATION_RANK, stored_escalation
from triage.compiled_sql import MOMENT_MARKER, Compiled
from triage.content_digest import digest
from triage.escalation_record import with_escalation_acknowledger
from triage.kept_html import kept_pieces
from triage.models import Encounter, Round, SignOff, Ward
from triage.presenters import change_in_words, observations_due_in_words

TREND_ROUNDS = 3
# The board lists patients assessed in the last week; patients not discharged whose latest
# assessment is older (records kept from before discharge was recorded, a discharge never
# entered) are counted below the board and listed on request, never dropped silently.
RECENT = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class RecentRound:
    """A submitted round as the board reads it: its number, time and the keys of its stored
    assessment that a row shows (its `board_summary`: `escalation` if stored, `red_flags` with
    code and title only, `pathways` with code only, `news2`, `news2_detail` with `sub_scores`
    only)."""

    number: int
    submitted_at: datetime
    assessment: dict[str, Any]


@dataclass
class BoardRow:
    encounter: Encounter
    latest: RecentRound  # the latest submitted round
    escalation: str
    escalation_title: str
    red_flags: list[str]
    news2: list[int | None]  # the last three submitted rounds, oldest first
    news2_change: str  # the latest against the one before, in words
    due: dict[str, Any] | None  # `next_observations` of the latest round
    signed: bool
    reassessing: bool  # a reassessment is being answered
    hours_since: int | None

    @property
    def overdue(self) -> bool:
        return bool(self.due and self.due["overdue"])

    @property
    def escalation_not_recorded(self) -> bool:
        return self.encounter.escalation_call == Encounter.EscalationCall.MISSING

    @property
    def order(self) -> tuple:
        """Emergencies first, then overdue observations, then escalations nobody recorded,
        then by escalation, then the soonest due."""
        return (
            self.escalation != "emergency",
            not self.overdue,
            not self.escalation_not_recorded,
            -ESCALATION_RANK.get(self.escalation, 0),
            self.next_due.timestamp() if self.next_due else float("inf"),
        )

    @property
    def next_due(self) -> datetime | None:
        """The sooner of the next observations and the next neuro checks."""
        if self.due is None:
            return None
        times = [self.due["neuro"]["at"]]
        if self.due["vitals"]:
            times.append(self.due["vitals"]["at"])
        return min(times)


def undischarged(ward: Ward) -> QuerySet[Encounter]:
    """The ward's encounters with a submitted assessment and no discharge."""
    return Encounter.objects.filter(ward=ward, submitted_at__isnull=False, discharge__isnull=True)


# Counted up to this many: the board says "100 or more" rather than count a ward's whole past
# (a count that would grow with the records kept) on every refresh.
OLDER_COUNTED_UP_TO = 100


def older(ward: Ward, since: datetime, limit: int = OLDER_COUNTED_UP_TO) -> QuerySet[Encounter]:
    """Up to `limit` of the ward's undischarged encounters last assessed before `since` (any:
    only how many is wanted), their ids only. `limit` is bound when this is defined, so the
    compiled read's bound stays `OLDER_COUNTED_UP_TO` as declared; `older_count` applies the
    bound in force when it counts."""
    found = undischarged(ward).filter(last_submitted_at__lt=since).order_by().only("pk")
    return found[:limit]


# Compiled once per process (`compiled_sql`), as the board's own read: building and planning
# this small count cost three times its running.
OLDER = Compiled(lambda ward_id, since: older(Ward(pk=ward_id), since), [-71, MOMENT_MARKER])


def older_count(ward: Ward, now: datetime | None = None) -> int:
    """How many undischarged encounters of the ward were last assessed before `RECENT`, up to
    `OLDER_COUNTED_UP_TO`."""
    since = (now or timezone.now()) - RECENT
    return min(len(OLDER.read(ward.pk, since)), OLDER_COUNTED_UP_TO)


# No time is later: `last_submitted_at <= EVER` holds for every assessed encounter. Said beside
# `>= since`, it makes the read a range of times, which PostgreSQL expects to hold a few rows of
# the ward; told only `>= since`, the plan kept for every request's `since` (a generic plan,
# `compiled_sql`) expected a third of them and read every encounter the ward ever had (1.5 ms
# more for a ward of 5,000).
EVER = Cast(Value("infinity"), DateTimeField())


def with_handover_parts(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Encounters with what the ward's handover keys each patient by besides their columns
    (`ward_handover`): the numbers of their submitted rounds, oldest first (a submitted round
    is never changed or deleted, so its encounter and number name all it holds), and who
    signed the record off (`signed_off_by`, a user name) and when (`signed_off_at`)."""
    submitted = Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.SUBMITTED)
    sign_off = SignOff.objects.filter(encounter=OuterRef("pk"))
    return encounters.annotate(
        submitted_numbers=ArraySubquery(submitted.order_by("number").values("number")),
        signed_off_by=Subquery(sign_off.values("signed_by__username")),
        signed_off_at=Subquery(sign_off.values("signed_at")),
    )


# The columns a row of the board shows, and what the ward's handover also keys a patient by.
ROW_COLUMNS = ("pk", "patient_identifier", "procedure_at", "escalation_call", "ward")
HANDOVER_COLUMNS = (*ROW_COLUMNS, "levels")


def open_encounters(
    ward: Ward, since: datetime | None = None, *, handover: bool = False
) -> QuerySet[Encounter]:
    """The ward's submitted, undischarged encounters (last assessed from `since`, if given)
    with their recent rounds, whether they are signed off and who acknowledged their
    escalation (one query): only the columns a row shows, and with `handover` what the ward's
    handover keys each patient by (`with_handover_parts`)."""
    recent = (
        Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.SUBMITTED)
        .order_by("-number")
        .values(
            json=JSONObject(
                number="number",
                submitted_at="submitted_at",
                assessment="board_summary",
            )
        )[:TREND_ROUNDS]
    )
    drafts = Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.DRAFT)
    encounters = (
        undischarged(ward)
        if since is None
        else undischarged(ward).filter(last_submitted_at__gte=since, last_submitted_at__lte=EVER)
    )
    if handover:
        encounters = with_handover_parts(encounters.only(*HANDOVER_COLUMNS))
    else:
        encounters = encounters.only(*ROW_COLUMNS)
    encounters = encounters.annotate(
        recent_rounds=ArraySubquery(recent),
        reassessing=Exists(drafts),
        signed=Exists(SignOff.objects.filter(encounter=OuterRef("pk"))),
    )
    return with_escalation_acknowledger(encounters)


# The board's read, compiled once per process (`compiled_sql`): building and compiling this
# query cost more of a board's time than running it. Markers: the ward's id, and the time.
BOARD_SINCE = Compiled(
    lambda ward_id, since: open_encounters(Ward(pk=ward_id), since), [-71, MOMENT_MARKER]
)
BOARD_EVERYONE = Compiled(lambda ward_id: open_encounters(Ward(pk=ward_id)), [-71])
# The same with what the ward's handover keys each patient by (`handover`).
HANDOVER_SINCE = Compiled(
    lambda ward_id, since: open_encounters(Ward(pk=ward_id), since, handover=True),
    [-71, MOMENT_MARKER],
)
HANDOVER_EVERYONE = Compiled(
    lambda ward_id: open_encounters(Ward(pk=ward_id), handover=True), [-71]
)


def _round(row: dict[str, Any]) -> RecentRound:
    assessment: dict[str, Any] = row["assessment"] or {}
    if "red_flags" in assessment:
        assessment["red_flags"] = assessment["red_flags"] or []
    if "pathways" in assessment:
        assessment["pathways"] = [{"code": code} for code in assessment["pathways"]]
    return RecentRound(
        number=row["number"],
        submitted_at=cast(datetime, parse_datetime(row["submitted_at"])),
        assessment=assessment,
    )


@dataclass
class Scope:
    """What a board (or a ward's handover) was asked to show: the user's wards, the one asked
    for (`?ward=`, else their first; none without), and whether every undischarged patient
    (`?all=1`) or only those assessed within `RECENT`."""

    wards: list[Ward]
    ward: Ward | None
    everyone: bool

    @classmethod
    def of(cls, request: HttpRequest, wards: list[Ward]) -> Scope:
        asked = request.GET.get("ward", "")
        ward = next((w for w in wards if str(w.pk) == asked), wards[0] if wards else None)
        return cls(wards, ward, request.GET.get("all") == "1")


def board_rows(
    ward: Ward, now: datetime | None = None, *, everyone: bool = False, handover: bool = False
) -> list[BoardRow]:
    """The board's rows in its order: the patients last assessed within `RECENT` (or, with
    `everyone`, every undischarged one); with `handover`, each encounter with what the ward's
    handover keys the patient by (`with_handover_parts`)."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()  # every row's due times are written in it
    rows = []
    if everyone:
        encounters = (HANDOVER_EVERYONE if handover else BOARD_EVERYONE).all(ward.pk)
    else:
        encounters = (HANDOVER_SINCE if handover else BOARD_SINCE).all(ward.pk, now - RECENT)
    for encounter in encounters:
        recent = getattr(encounter, "recent_rounds")  # noqa: B009 - an annotation
        rounds = [_round(row) for row in reversed(recent)]  # oldest first
        latest = rounds[-1]
        assessment = latest.assessment or {}
        escalation = stored_escalation(assessment)
        news2 = [(r.assessment.get("news2") or {}).get("score") for r in rounds]
        since = encounter.procedure_at
        rows.append(
            BoardRow(
                encounter=encounter,
                latest=latest,
                escalation=escalation,
                escalation_title=ESCALATION_TITLES.get(escalation, escalation),
                red_flags=[
                    flag.get("title") or flag["code"] for flag in assessment.get("red_flags") or []
                ],
                news2=news2,
                news2_change=change_in_words(news2[-2], news2[-1]) if len(news2) > 1 else "",
                due=observations_due_in_words(
                    assessment,
                    number=latest.number,
                    submitted_at=latest.submitted_at,
                    procedure_at=since,
                    now=now,
                    zone=zone,
                ),
                signed=getattr(encounter, "signed"),  # noqa: B009 - an annotation
                reassessing=getattr(encounter, "reassessing"),  # noqa: B009 - an annotation
                hours_since=int((now - since).total_seconds() // 3600) if since else None,
            )
        )
    return sorted(rows, key=lambda row: row.order)


ROW_TEMPLATE = "ward/_board_row.html"


def instant(when: datetime | None) -> int | None:
    """A moment as milliseconds since 1970 (UTC), as a page's script counts time."""
    return None if when is None else int(when.timestamp() * 1000)


def row_context(row: BoardRow) -> dict[str, Any]:
    """Everything one row of the board shows, as plain values: the row template's whole
    context, and so the key of its rendered HTML."""
    due = row.due or {}
    vitals, neuro = due.get("vitals") or {}, due.get("neuro") or {}
    encounter = row.encounter
    return {
        # An id, as text (its link is filled into the address reversed once): written out
        # faster than a UUID in the key.
        "pk": str(encounter.pk),
        "patient": encounter.patient_identifier,
        "reassessing": row.reassessing,
        "hours_since": row.hours_since,
        "escalation": row.escalation,
        "escalation_title": row.escalation_title,
        "red_flags": tuple(row.red_flags),
        "escalation_call": encounter.escalation_call,
        "acknowledged_by": getattr(encounter, "escalation_acknowledged_by", None),
        "news2": tuple(row.news2),
        "news2_change": row.news2_change,
        "overdue": row.overdue,
        "due": bool(due),
        "continuous": bool(due.get("continuous")),
        # Each due time as its time of day (with its day when not today) and its instant, from
        # which the page writes how long until or since it, live (static/js/board.js): a row
        # changes when a due time passes, not with every minute.
        "vitals_overdue": bool(vitals.get("overdue")),
        "vitals_clock": vitals.get("clock", ""),
        "vitals_at": instant(vitals.get("at")),
        "neuro_overdue": bool(neuro.get("overdue")),
        "neuro_clock": neuro.get("clock", ""),
        "neuro_at": instant(neuro.get("at")),
        "signed": row.signed,
    }


# A refreshing board names the rows it shows (`shown_rows`): each by a key cut from the digest of
# everything it shows, long enough that two different rows never share one (64 bits), and at
# most this many (a request header's size is bounded; a larger board is sent whole).
ROW_KEY_LENGTH = 16
SHOWN_AT_MOST = 400
SHOWN_HEADER = "X-Board-Rows"
_ROW_KEY = re.compile(rf"[0-9a-f]{{{ROW_KEY_LENGTH}}}")


def shown_rows(header: str) -> dict[str, int]:
    """The rows a refreshing board shows, from its `SHOWN_HEADER` (their keys, comma separated,
    in order): each key's place in that list. Anything that is not a well-formed list of at
    most `SHOWN_AT_MOST` keys names no row, and the board is sent whole."""
    keys = header.split(",") if header else []
    if len(keys) > SHOWN_AT_MOST or not all(_ROW_KEY.fullmatch(key) for key in keys):
        return {}
    return {key: place for place, key in reversed(list(enumerate(keys)))}  # a key's first


def rows_html(rows: list[BoardRow], shown: dict[str, int] | None = None) -> SafeString:
    """The board's rows as HTML, in order. Each row's HTML is kept per process ("rendered"
    cache) under a digest of everything it shows (`row_context`: the patient, their data, the
    due times and whether each has passed), so a row is rendered again when
    anything on it changes and never serves another patient's. Each row carries the start of
    that digest as its key; a row the refreshing board already shows under the same key
    (`shown`) is sent as a pointer to its place there, which the page fills with the row it
    has (static/js/board.js)."""
    contexts = [row_context(row) for row in rows]
    digests = [digest(context) for context in contexts]
    shown = shown or {}
    places = [shown.get(whole[:ROW_KEY_LENGTH]) for whole in digests]
    changed = [index for index, place in enumerate(places) if place is None]
    keys = ["ward-row:" + digests[index] for index in changed]

    def render(missing: list[int]) -> list[str]:
        template = get_template(ROW_TEMPLATE)
        return [
            template.render({**contexts[index], "key": digests[index][:ROW_KEY_LENGTH]})
            for index in (changed[position] for position in missing)
        ]

    pieces = iter(kept_pieces("rendered", keys, render))
    return mark_safe(  # noqa: S308 - kept HTML, and numbers
        "".join(
            next(pieces) if place is None else f'<tr data-board-same="{place}"></tr>'
            for place in places
        )
    )
