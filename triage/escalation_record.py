"""The escalation record's read side: which encounters show "Escalation not recorded", and who
acknowledged an escalation, for the badge (`templates/_components/escalation_badge.html`) on the
queue, the encounter page and any ward list.

The state is a column of the encounter (`Encounter.escalation_call`, kept by the actions), so a
list of encounters reads it from its own rows; the acknowledging physician's name is one
subquery of the same query (`with_escalation_acknowledger`).
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from triage.models import Encounter, EscalationAcknowledgement, EscalationCall, Round, User
from triage.record_parts import from_row, rows_of

__all__ = [
    "acknowledgement_of",
    "acknowledger_name",
    "calls_of",
    "with_escalation_record",
    "unrecorded",
    "with_escalation_acknowledger",
]


def with_escalation_acknowledger(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Encounters with `escalation_acknowledged_by`: the name of the physician who last
    acknowledged one of their escalations (None if nobody has), in the same query."""
    latest = (
        EscalationAcknowledgement.objects.filter(round__encounter=OuterRef("pk"))
        .order_by("-acknowledged_at")
        .annotate(name=Coalesce(NullIf("by__last_name", Value("")), "by__username"))
        .values("name")[:1]
    )
    return encounters.annotate(escalation_acknowledged_by=Subquery(latest))


def acknowledger_name(user: User) -> str:
    """How the badge names a physician: their surname, or their user name."""
    return user.last_name or user.get_username()


def unrecorded(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """The encounters still showing "Escalation not recorded"."""
    return encounters.filter(escalation_call=Encounter.EscalationCall.MISSING)


CALL_ORDER = ("called_at", "recorded_at", "pk")


def with_escalation_record(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """Rounds with their escalation record in the same query: the calls (`call_rows`, for
    `calls_of`) and the acknowledgement with its physician."""
    calls = EscalationCall.objects.filter(round=OuterRef("pk"))
    return rounds.select_related("escalation_acknowledgement__by").annotate(
        call_rows=rows_of(calls, "recorded_by", order=CALL_ORDER)
    )


def calls_of(round: Round) -> list[EscalationCall]:
    """A round's recorded calls, in the order they were made, with who recorded them (read
    now unless the round came from `with_escalation_record`)."""
    rows = getattr(round, "call_rows", None)
    if rows is None:
        return list(round.escalation_calls.select_related("recorded_by").order_by(*CALL_ORDER))
    return [from_row(EscalationCall, row, "recorded_by") for row in rows]


def acknowledgement_of(round: Round) -> EscalationAcknowledgement | None:
    """A round's acknowledgement, if a physician has made one."""
    return getattr(round, "escalation_acknowledgement", None)
