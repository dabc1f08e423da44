"""The ward board: every open encounter of a ward (submitted, not discharged) with what a nurse
in charge needs at a glance, emergencies and overdue observations first.

One query for the whole board, however many patients: each encounter comes with its last three
submitted rounds (their number, time and stored assessment, as JSON) and its sign-off.
Presentation only: due times come from `presenters.next_observations`, the clinical rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage.clinical.explain import ESCALATION_TITLES
from triage.clinical.snapshots import ESCALATION_RANK, stored_escalation
from triage.escalation_record import with_escalation_acknowledger
from triage.models import Encounter, Round, Ward
from triage.presenters import change_in_words, next_observations

TREND_ROUNDS = 3
# The board lists patients assessed in the last week; patients not discharged whose latest
# assessment is older (records kept from before discharge was recorded, a discharge never
# entered) are counted below the board and listed on request, never dropped silently.
RECENT = timedelta(days=7)


@dataclass
class BoardRow:
    encounter: Encounter
    latest: Round  # the latest submitted round (number, time, assessment only)
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


def older_count(ward: Ward, now: datetime | None = None) -> int:
    """How many undischarged encounters of the ward were last assessed before `RECENT`."""
    since = (now or timezone.now()) - RECENT
    return undischarged(ward).filter(last_submitted_at__lt=since).count()


def open_encounters(ward: Ward, since: datetime | None = None) -> QuerySet[Encounter]:
    """The ward's submitted, undischarged encounters (last assessed from `since`, if given)
    with their recent rounds and who acknowledged their escalation (one query)."""
    recent = (
        Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.SUBMITTED)
        .order_by("-number")
        .values(
            json=JSONObject(number="number", submitted_at="submitted_at", assessment="assessment")
        )[:TREND_ROUNDS]
    )
    drafts = Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.DRAFT)
    encounters = (
        undischarged(ward)
        if since is None
        else undischarged(ward).filter(last_submitted_at__gte=since)
    )
    encounters = encounters.select_related("ward", "sign_off__signed_by", "discharge").annotate(
        recent_rounds=ArraySubquery(recent), reassessing=Exists(drafts)
    )
    return with_escalation_acknowledger(encounters)


def _round(row: dict[str, Any]) -> Round:
    return Round(
        number=row["number"],
        status=Round.Status.SUBMITTED,
        submitted_at=parse_datetime(row["submitted_at"]),
        assessment=row["assessment"],
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
    ward: Ward, now: datetime | None = None, *, everyone: bool = False
) -> list[BoardRow]:
    """The board's rows in its order: the patients last assessed within `RECENT` (or, with
    `everyone`, every undischarged one)."""
    now = now or timezone.now()
    rows = []
    for encounter in open_encounters(ward, None if everyone else now - RECENT):
        recent = getattr(encounter, "recent_rounds")  # noqa: B009 - an annotation
        rounds = [_round(row) for row in reversed(recent)]  # oldest first
        latest = rounds[-1]
        assessment = latest.assessment or {}
        escalation = stored_escalation(assessment)
        news2 = [(r.assessment or {}).get("news2", {}).get("score") for r in rounds]
        signed = getattr(encounter, "sign_off", None) is not None
        since = encounter.procedure_at
        latest.encounter = encounter
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
                due=next_observations(encounter, latest, now),
                signed=signed,
                reassessing=getattr(encounter, "reassessing"),  # noqa: B009 - an annotation
                hours_since=int((now - since).total_seconds() // 3600) if since else None,
            )
        )
    return sorted(rows, key=lambda row: row.order)
