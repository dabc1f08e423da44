"""The audit trail of an encounter, read from the append-only event tables: every recorded
change to the encounter, its rounds, sign-off, addenda and overrides, and every physician's read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncHour
from pghistory.models import Events

from triage.models import Encounter, EncounterView, Round, User

OBJECT_NAMES = {
    "triage.Encounter": "Encounter",
    "triage.Round": "Assessment",
    "triage.SignOff": "Sign-off",
    "triage.Addendum": "Addendum",
    "triage.Override": "Override",
    "triage.Discharge": "Discharge",
    "triage.EscalationCall": "Escalation call",
    "triage.EscalationAcknowledgement": "Escalation acknowledgement",
}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    what: str
    action: str
    url: str
    group: str = ""  # the recorded action (request) this change belongs to
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column: (before, after)
    times: int = 1  # reads counted together (`reads_by_hour`)
    until: datetime | None = None  # the last of them

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """Each changed column as stored, written out: name, before, after (the CSV's; the
        page words them from `diff`)."""
        return [(name, _text(old), _text(new)) for name, (old, new) in self.diff.items()]


def _reads(encounter: Encounter, by_hour: bool) -> list[AuditEntry]:
    """The physicians' reads of the record: each one, or one entry per reader and hour with
    how many reads it holds (a record read every few seconds stays one line on the page)."""
    reads = EncounterView.objects.filter(encounter=encounter)
    if not by_hour:
        return [
            AuditEntry(view.viewed_at, view.user.get_username(), "Record viewed", "", view.path)
            for view in reads.select_related("user")
        ]
    hours = (
        reads.annotate(hour=TruncHour("viewed_at"))
        .values("hour", "user__username")
        .annotate(first=Min("viewed_at"), last=Max("viewed_at"), times=Count("pk"))
        .order_by()
    )
    return [
        AuditEntry(
            row["first"],
            row["user__username"],
            "Record viewed",
            "",
            "",
            times=row["times"],
            until=row["last"] if row["times"] > 1 else None,
        )
        for row in hours
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _event_diff(event: Events) -> dict[str, tuple[Any, Any]]:
    if event.pgh_diff:
        return {name: (old, new) for name, (old, new) in event.pgh_diff.items()}
    if event.pgh_label == "insert":
        return {
            name: (None, value)
            for name, value in event.pgh_data.items()
            if value not in (None, "", [], {})
        }
    return {}


def with_round_ids(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Encounters with the ids of their rounds (`round_ids`), for `audit_trail`."""
    rounds = Round.objects.filter(encounter=OuterRef("pk")).order_by("number").values("pk")
    return encounters.annotate(round_ids=ArraySubquery(rounds))


# Who made a change, read with the change: the context keeps the user's key as text.
_USERNAME = Subquery(
    User.objects.annotate(key=Cast("pk", TextField()))
    .filter(key=KeyTextTransform("user", OuterRef("pgh_context")))
    .values("username")
)


def audit_trail(encounter: Encounter, *, reads_by_hour: bool = False) -> list[AuditEntry]:
    """Every recorded change to the encounter, its rounds, sign-off, addenda and overrides
    (from the append-only event tables), and every time a physician read it (or, with
    `reads_by_hour`, how often each read it in each hour); oldest first.
    An encounter read `with_round_ids` saves a query."""
    round_ids = getattr(encounter, "round_ids", None)
    if round_ids is None:
        round_ids = list(encounter.rounds.values_list("pk", flat=True))
    events = Events.objects.references(encounter).annotate(username=_USERNAME)
    if round_ids:  # (`references` of no rows would match every row)
        rounds = [Round(pk=pk) for pk in round_ids]  # only their keys are needed
        events = events.union(
            Events.objects.references(rounds)
            .across(
                "triage.OverrideEvent",
                "triage.EscalationCallEvent",
                "triage.EscalationAcknowledgementEvent",
            )
            .annotate(username=_USERNAME),
            all=True,
        )
    entries = []
    for event in events:
        context = event.pgh_context or {}
        what = OBJECT_NAMES.get(event.pgh_obj_model, event.pgh_obj_model)
        if event.pgh_obj_model == "triage.Round":
            what += f" {event.pgh_data.get('number')}"
        diff = _event_diff(event)
        user_id = context.get("user")  # none for the system (a migration, a script)
        entries.append(
            AuditEntry(
                at=event.pgh_created_at,
                who=event.username or ("system" if user_id is None else "a deleted account"),
                what=f"{what}: {event.pgh_label}",
                action=context.get("action", ""),
                url=context.get("url", ""),
                group=str(event.pgh_context_id or f"event-{event.pgh_id}"),
                diff=diff,
            )
        )
    entries += _reads(encounter, reads_by_hour)
    return sorted(entries, key=lambda entry: entry.at)
