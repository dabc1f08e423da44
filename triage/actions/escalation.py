"""The escalation record: who the nurse told of an emergency or urgent assessment, and a
physician's acknowledgement of it.

Recording is never a condition of anything (in an emergency the nurse acts first and writes
later), but until each emergency or urgent assessment has a call recorded, or a physician has
acknowledged it, the encounter shows "Escalation not recorded" (`Encounter.escalation_call`,
kept here and by `submit_round`, so the queue reads it from its own row).

The same rules as the other actions: keyword-only and atomic, the encounter's version moved
on (`claim_next_version`), the audit trail written by database triggers. A call is a record of
something that happened, not a decision on what the page showed: it is recorded even if the
encounter changed since the page was read (it still moves the version on, so a physician
signing a page that does not show it is asked to look again). An acknowledgement is a
physician's decision on what they read, so a stale page is refused (`Conflict`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import pghistory
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from triage.actions.encounters import (
    ESCALATED,
    Conflict,
    Locked,
    claim_next_version,
    refuse_if_signed,
)
from triage.clinical.snapshots import stored_escalation
from triage.models import Encounter, EscalationAcknowledgement, EscalationCall, Round, User
from triage.moments import moment_text

__all__ = [
    "CALL_EARLIEST_BEFORE_SUBMISSION",
    "CLOCK_ALLOWANCE",
    "Conflict",
    "Locked",
    "NotEscalated",
    "acknowledge",
    "call_time_problem",
    "escalation_call_state",
    "needs_escalation_call",
    "record_call",
]

# A call may have been made before the assessment was submitted (the nurse acts first), but not
# hours before: an earlier time is most likely a mistyped date or hour.
CALL_EARLIEST_BEFORE_SUBMISSION = timedelta(hours=2)
# Clocks of a tablet and the server disagree a little: "now" on the tablet is not the future.
CLOCK_ALLOWANCE = timedelta(minutes=2)


class NotEscalated(Exception):
    """The assessment was routine (or is not submitted): there is no escalation to record."""


def needs_escalation_call(round: Round) -> bool:
    """Whether a submitted round's escalation asks for a call to be recorded."""
    if round.status != Round.Status.SUBMITTED or not round.assessment:
        return False
    return stored_escalation(cast("dict[str, Any]", round.assessment)) in ESCALATED


def call_time_problem(called_at: datetime, round: Round, now: datetime) -> str | None:
    """Why `called_at` cannot be the time of a call about `round`, in words; None if it can."""
    if called_at > now + CLOCK_ALLOWANCE:
        return "The time of the call cannot be in the future."
    earliest = cast(datetime, round.submitted_at) - CALL_EARLIEST_BEFORE_SUBMISSION
    if called_at < earliest:
        return (
            "The time of the call is more than 2 hours before the assessment was submitted: "
            f"enter a time after {moment_text(earliest)}."
        )
    return None


@dataclass(frozen=True)
class RoundRecord:
    """What a round's escalation record holds, for `escalation_call_state`."""

    escalated: bool
    has_call: bool
    acknowledged: bool


def escalation_call_state(rounds: list[RoundRecord]) -> str:
    """The encounter's `escalation_call` from its rounds: missing while any emergency or urgent
    round has neither a call nor an acknowledgement; then acknowledged if a physician
    acknowledged one; then recorded; blank when none escalated.

    >>> escalation_call_state([RoundRecord(True, True, False), RoundRecord(True, False, False)])
    'missing'
    >>> escalation_call_state([RoundRecord(True, False, True), RoundRecord(False, False, False)])
    'acknowledged'
    >>> escalation_call_state([RoundRecord(True, True, False)])
    'recorded'
    >>> escalation_call_state([RoundRecord(False, False, False)])
    ''
    """
    escalated = [r for r in rounds if r.escalated]
    if any(not (r.has_call or r.acknowledged) for r in escalated):
        return Encounter.EscalationCall.MISSING.value
    if any(r.acknowledged for r in escalated):
        return Encounter.EscalationCall.ACKNOWLEDGED.value
    if escalated:
        return Encounter.EscalationCall.RECORDED.value
    return Encounter.EscalationCall.NOT_NEEDED.value


def _refresh_state(encounter: Encounter) -> None:
    rounds = encounter.rounds.filter(status=Round.Status.SUBMITTED).annotate(
        has_call=Exists(EscalationCall.objects.filter(round=OuterRef("pk"))),
        acknowledged=Exists(EscalationAcknowledgement.objects.filter(round=OuterRef("pk"))),
    )
    state = escalation_call_state(
        [
            RoundRecord(needs_escalation_call(round), round.has_call, round.acknowledged)
            for round in rounds
        ]
    )
    if state != encounter.escalation_call:
        encounter.escalation_call = state
        encounter.save(update_fields=["escalation_call", "updated_at"])


def _lock(encounter: Encounter) -> Encounter:
    """The encounter's row, locked for this transaction; refused once signed off."""
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    refuse_if_signed(encounter)
    return encounter


@transaction.atomic
def record_call(
    *,
    round: Round,
    by: User,
    informed_role: str,
    informed_name: str,
    method: str,
    called_at: datetime,
    response: str,
    response_detail: str = "",
    submission: uuid.UUID | None = None,
) -> EscalationCall:
    """Record one call about an emergency or urgent round. The same `submission` (one rendering
    of the form, sent twice by a double tap) records it once and returns that one."""
    encounter = _lock(round.encounter)
    if submission is not None:
        earlier = EscalationCall.objects.filter(submission=submission).first()
        if earlier is not None:
            return earlier
    if not needs_escalation_call(round):  # a submitted round never changes
        raise NotEscalated("This assessment was not an emergency or urgent escalation.")
    now = timezone.now()
    problem = call_time_problem(called_at, round, now)
    if problem:
        raise ValueError(problem)
    claim_next_version(encounter, None)
    with pghistory.context(action="round.escalation_call"):
        call = EscalationCall.objects.create(
            round=round,
            informed_role=informed_role,
            informed_name=informed_name,
            method=method,
            called_at=min(called_at, now),  # within the clock allowance: now
            response=response,
            response_detail=response_detail,
            recorded_by=by,
            recorded_at=now,
            submission=submission,
        )
        _refresh_state(encounter)
    return call


@transaction.atomic
def acknowledge(
    *, encounter: Encounter, by: User, expected_version: int | None
) -> list[EscalationAcknowledgement]:
    """A physician acknowledges the escalation of every emergency or urgent assessment of the
    encounter not acknowledged yet (called or not). Nothing left to acknowledge (a second tap)
    changes nothing and returns an empty list."""
    encounter = _lock(encounter)
    waiting = [
        round
        for round in encounter.rounds.filter(
            status=Round.Status.SUBMITTED, escalation_acknowledgement__isnull=True
        )
        if needs_escalation_call(round)
    ]
    if not waiting:
        return []
    claim_next_version(encounter, expected_version)
    with pghistory.context(action="round.escalation_acknowledged"):
        made = [EscalationAcknowledgement.objects.create(round=round, by=by) for round in waiting]
        _refresh_state(encounter)
    return made
