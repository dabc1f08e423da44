"""The audit trail of an encounter, read from the append-only event tables: every recorded
change to the encounter, its rounds, sign-off, addenda and overrides, and every physician's read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from pghistory.models import Events

from triage.models import Encounter, EncounterView, Round, User

OBJECT_NAMES = {
    "triage.Encounter": "Encounter",
    "triage.Round": "Assessment",
    "triage.SignOff": "Sign-off",
    "triage.Addendum": "Addendum",
    "triage.Override": "Override",
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
    changes: list[tuple[str, str, str]]  # field, before, after
    group: str = ""  # the recorded action (request) this change belongs to
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column: (before, after)


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


def audit_trail(encounter: Encounter) -> list[AuditEntry]:
    """Every recorded change to the encounter, its rounds, sign-off, addenda and overrides
    (from the append-only event tables), and every time a physician read it; oldest first.
    An encounter read `with_round_ids` saves a query."""
    round_ids = getattr(encounter, "round_ids", None)
    if round_ids is None:
        round_ids = list(encounter.rounds.values_list("pk", flat=True))
    events = list(Events.objects.references(encounter))
    rounds = [Round(pk=pk) for pk in round_ids]  # only their keys are needed
    events += Events.objects.references(rounds).across(
        "triage.OverrideEvent",
        "triage.EscalationCallEvent",
        "triage.EscalationAcknowledgementEvent",
    )
    views = list(EncounterView.objects.filter(encounter=encounter).select_related("user"))
    contexts = [event.pgh_context or {} for event in events]
    names = {view.user_id: view.user.get_username() for view in views}
    others = {c.get("user") for c in contexts} - {None} - names.keys()
    if others:
        names |= {user.pk: user.get_username() for user in User.objects.filter(pk__in=others)}
    entries = []
    for event, context in zip(events, contexts, strict=True):
        what = OBJECT_NAMES.get(event.pgh_obj_model, event.pgh_obj_model)
        if event.pgh_obj_model == "triage.Round":
            what += f" {event.pgh_data.get('number')}"
        diff = _event_diff(event)
        user_id = context.get("user")  # none for the system (a migration, a script)
        entries.append(
            AuditEntry(
                at=event.pgh_created_at,
                who=names.get(user_id, "system") if user_id is not None else "system",
                what=f"{what}: {event.pgh_label}",
                action=context.get("action", ""),
                url=context.get("url", ""),
                changes=[(name, _text(old), _text(new)) for name, (old, new) in diff.items()],
                group=str(event.pgh_context_id or f"event-{event.pgh_id}"),
                diff=diff,
            )
        )
    entries += [
        AuditEntry(view.viewed_at, names[view.user_id], "Record viewed", "", view.path, [])
        for view in views
    ]
    return sorted(entries, key=lambda entry: entry.at)
