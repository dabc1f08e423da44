"""Writes to encounters and rounds: each a keyword-only, atomic function.

Every write goes through here so the rules hold everywhere: optimistic locking on the
encounter, submitted rounds frozen, submission idempotent. The audit trail is written by
database triggers (pghistory), so it cannot be skipped.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

import pghistory
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from triage.assessing import assess_round
from triage.clinical.findings import QUESTION_SECTIONS
from triage.clinical.snapshots import ESCALATION_RANK, stored_escalation
from triage.compiled_sql import ENCOUNTER_MARKER, Compiled, quoted_names
from triage.models import Encounter, GuidanceVersion, Round, SignOff, User, Ward


class Conflict(Exception):
    """Someone else saved this encounter since it was read; nothing was written."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            "Someone else has saved changes to this encounter since you opened it. Your answers "
            "are still on this page and were not saved: check them, then save again."
        )


class AlreadySubmitted(Exception):
    """The round was submitted; its answers can no longer change."""


class Locked(Exception):
    """The encounter is signed off: nothing about it can change (addenda excepted)."""

    def __init__(self) -> None:
        super().__init__(
            "This encounter has been signed off and is locked: nothing in it can change. "
            "A physician can still add an addendum."
        )


# A read the writes below make again and again, compiled once per process (`compiled_sql`): the
# sign-off check (submitting, reassessing, reviewing). The marker (`ENCOUNTER_MARKER`) marks
# where the value goes.
SIGN_OFF = Compiled(
    lambda encounter_id: SignOff.objects.filter(encounter_id=encounter_id).only("pk"),
    [ENCOUNTER_MARKER],
)


def refuse_if_signed(encounter: Encounter) -> None:
    """Raise Locked for a signed encounter (its rows are locked by triggers too; this says so
    politely instead of as a database error)."""
    if SIGN_OFF.one(encounter.pk) is not None:
        raise Locked


@cache
def _claim_sql(expecting: bool) -> str:
    """`claim_next_version`'s UPDATE (with the version it expects, or any), written once from
    the model's names (the ORM took longer to build it than the database to run it). Through
    Django's own cursor, so that the audit trigger records who and which request."""
    table, key, version, updated_at, editor = quoted_names(
        Encounter, "id", "lock_version", "updated_at", "last_editor"
    )
    sets = f"{version} = {version} + 1, {updated_at} = %s, {editor} = %s"
    where = f"{key} = %s" + (f" AND {version} = %s" if expecting else "")
    return f"UPDATE {table} SET {sets} WHERE {where}"  # noqa: S608


def claim_next_version(
    encounter: Encounter, expected_version: int | None, editor: uuid.UUID | None = None
) -> None:
    """Claim the next version of the encounter, or raise Conflict if it moved on. `editor` is
    the page writing it, if a page is (see `seen_version`)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        if expected_version is None:
            cursor.execute(_claim_sql(False), [now, editor, encounter.pk])
        else:
            cursor.execute(_claim_sql(True), [now, editor, encounter.pk, expected_version])
        claimed = cursor.rowcount
    if claimed != 1:
        raise Conflict(
            Encounter.objects.values_list("lock_version", flat=True).get(pk=encounter.pk)
        )
    if expected_version is None:
        encounter.refresh_from_db(fields=["lock_version", "updated_at"])
    else:
        # The row held the expected version and stays locked by this update until the
        # transaction ends: it now holds the next one (no need to read it back).
        encounter.lock_version, encounter.updated_at = expected_version + 1, now
    encounter.last_editor = editor


def seen_version(encounter: Encounter, shown: int, editor: uuid.UUID | None) -> int:
    """The encounter version a page's save is based on: the one it showed, or the current one
    if this page wrote the current one itself (its own autosaves move the version on while the
    nurse types). So only a change from elsewhere is a conflict, another tab of the same nurse
    included. `encounter` as read by this request, before its own write."""
    if editor is not None and encounter.last_editor == editor:
        return max(shown, encounter.lock_version)
    return shown


@transaction.atomic
def start_encounter(
    *,
    by: User,
    ward: Ward,
    patient_identifier: str,
    procedure_at: datetime,
    levels: list[str],
    client_token: uuid.UUID | None,
) -> Encounter:
    """Create the encounter and its first round; the same client token returns the same one."""
    if client_token is not None:
        existing = Encounter.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    with pghistory.context(action="encounter.start"):
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
                encounter = Encounter.objects.create(
                    ward=ward,
                    patient_identifier=patient_identifier,
                    procedure_at=procedure_at,
                    levels=levels,
                    created_by=by,
                    client_token=client_token,
                )
        except IntegrityError:
            # A double tap: the other request made it first with the same token.
            if client_token is None:
                raise
            return Encounter.objects.get(client_token=client_token)
        Round.objects.create(encounter=encounter, number=1, created_by=by, last_step="patient")
    return encounter


@transaction.atomic
def update_patient(
    *,
    encounter: Encounter,
    by: User,
    expected_version: int | None,
    editor: uuid.UUID | None = None,
    **fields: Any,
) -> Encounter:
    if not encounter.is_draft:
        raise AlreadySubmitted("Patient details cannot change after submission.")
    claim_next_version(encounter, expected_version, editor)
    with pghistory.context(action="encounter.update_patient"):
        for name, value in fields.items():
            setattr(encounter, name, value)
        encounter.save(update_fields=[*fields, "updated_at"])
    return encounter


def save_step(
    *,
    round: Round,
    section: str,
    answers: dict[str, Any],
    step: str,
    by: User,
    expected_version: int | None,
    editor: uuid.UUID | None = None,
) -> Round:
    """Store one step's valid answers; the unsaved input of that step is no longer needed.
    `editor` is the page saving them, if a page is (see `seen_version`).

    One statement (`_save_step_sql`), atomic by itself: it locks the round, claims the
    encounter's next version (the one expected, if one is) while the round is a draft and the
    encounter not signed off, and writes the answers only if that claim was made. Nothing is
    written otherwise, and a second read says why (`_refusal`). This is posted as a nurse
    answers: one round trip instead of a transaction's five."""
    if section not in QUESTION_SECTIONS:  # a step's answers, never another column
        raise ValueError(f"no step's answers are kept in {section!r}")
    now = timezone.now()
    adapt = connection.ops.adapt_json_value
    params: list[Any] = [round.pk, now, editor, Round.Status.DRAFT.value]
    if expected_version is not None:
        params.append(expected_version)
    params += [adapt(answers, None), step, step, now, round.pk]
    with pghistory.context(action=f"round.save_{section}"), connection.cursor() as cursor:
        cursor.execute(_save_step_sql(section, expected_version is not None), params)
        row = cursor.fetchone()
    if row is None:
        raise _refusal(round.pk)
    version, *stored = row
    for name, value in zip(SAVED_COLUMNS, stored, strict=True):
        setattr(round, name, None if value is None else json.loads(value))  # jsonb, as text
    round.last_step, round.updated_at = step, now
    encounter = round.encounter
    encounter.lock_version, encounter.updated_at, encounter.last_editor = version, now, editor
    return round


# What `save_step` reads back of the round it saved: every step's answers (another step may
# have been saved since the page read the round) and the unsaved input of the other steps.
SAVED_COLUMNS = (*QUESTION_SECTIONS, "pending")


@cache
def _save_step_sql(section: str, expecting: bool) -> str:
    """`save_step`'s statement, written once per section from the model's names (the ORM took
    longer to build it than the database to run it). Through Django's own cursor, so that the
    audit triggers record who, which request and which step: both of its changes, the claimed
    version and the answers, are recorded under the one action. Its parameters: the round,
    the time, the editor, the draft status, [the expected version,] the answers, the step
    (twice) and the time, then the round again."""
    rounds, round_key, encounter_id, status, answers, pending, last_step, updated_at = quoted_names(
        Round, "id", "encounter", "status", section, "pending", "last_step", "updated_at"
    )
    encounters, key, version, changed_at, last_editor = quoted_names(
        Encounter, "id", "lock_version", "updated_at", "last_editor"
    )
    sign_offs, signed_encounter = quoted_names(SignOff, "encounter")
    saved = ", ".join(f"{rounds}.{name}" for name in quoted_names(Round, *SAVED_COLUMNS)[1:])
    expected = f" AND {encounters}.{version} = %s" if expecting else ""
    return f"""
        WITH target AS (
            SELECT {encounter_id}, {status} FROM {rounds} WHERE {round_key} = %s FOR UPDATE
        ), claimed AS (
            UPDATE {encounters}
            SET {version} = {encounters}.{version} + 1, {changed_at} = %s, {last_editor} = %s
            FROM target
            WHERE {encounters}.{key} = target.{encounter_id} AND target.{status} = %s
                AND NOT EXISTS (
                    SELECT 1 FROM {sign_offs}
                    WHERE {sign_offs}.{signed_encounter} = {encounters}.{key}
                ){expected}
            RETURNING {encounters}.{version}
        ), saved AS (
            UPDATE {rounds}
            SET {answers} = %s, {pending} = {rounds}.{pending} - %s::text,
                {last_step} = %s, {updated_at} = %s
            FROM claimed
            WHERE {rounds}.{round_key} = %s
            RETURNING {saved}
        )
        SELECT * FROM claimed, saved
    """  # noqa: S608


def _refusal(round_pk: int) -> Exception:
    """Why `save_step` wrote nothing, read after it: the round is gone or submitted, the
    encounter signed off, or (otherwise) saved by someone else since the page read it."""
    state = (
        Round.objects.filter(pk=round_pk)
        .annotate(signed=Exists(SignOff.objects.filter(encounter_id=OuterRef("encounter_id"))))
        .values_list("status", "signed", "encounter__lock_version")
        .first()
    )
    if state is None:
        return Round.DoesNotExist()
    status, signed, version = state
    if status == Round.Status.SUBMITTED:
        return AlreadySubmitted("This assessment has been submitted; start a reassessment.")
    if signed:
        return Locked()
    return Conflict(version)


@cache
def _keep_unsaved_sql() -> str:
    """`keep_unsaved_input`'s UPDATE, written once from the model's names. Through Django's own
    cursor (not a compiled read's), so that the audit trigger records who and which request."""
    table, key, pending, updated_at, status = quoted_names(
        Round, "id", "pending", "updated_at", "status"
    )
    sets = f"{pending} = jsonb_set({pending}, %s, %s), {updated_at} = %s"
    return f"UPDATE {table} SET {sets} WHERE {key} = %s AND {status} = %s"  # noqa: S608


def keep_unsaved_input(*, round: Round, step: str, data: dict[str, list[str]]) -> None:
    """Keep input that is not valid yet, so a dropped connection or logout loses nothing.

    One UPDATE (atomic by itself) sets this step's entry of the round's pending input, beside
    the other steps' as they are at that moment, and only while the round is a draft. Sent
    as written (the ORM took twice as long to build it as the database to run it: this is
    posted as a nurse types)."""
    params: list[Any] = [
        [step],
        connection.ops.adapt_json_value(data, None),
        timezone.now(),
        round.pk,
        Round.Status.DRAFT.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_keep_unsaved_sql(), params)


@dataclass(frozen=True)
class Submission:
    round: Round
    created: bool  # False when this was a repeat (double tap, retry, back button)


@transaction.atomic
def submit_round(*, round: Round, by: User, at: datetime | None = None) -> Submission:
    """Freeze the round: its findings, the full assessment and the guidance version shown.

    Idempotent: submitting a submitted round changes nothing and says so.
    """
    round = Round.objects.select_for_update().select_related("encounter").get(pk=round.pk)
    if round.status == Round.Status.SUBMITTED:
        return Submission(round=round, created=False)
    refuse_if_signed(round.encounter)
    at = at or timezone.now()
    findings, assessment = assess_round(round, at=at)
    encounter = round.encounter
    claim_next_version(encounter, None)
    with pghistory.context(action="round.submit"):
        round.status = Round.Status.SUBMITTED
        round.submitted_at = at
        round.submitted_by = by
        round.findings = findings
        round.assessment = assessment.to_dict()
        round.guidance_version = GuidanceVersion.objects.get(
            status=GuidanceVersion.Status.PUBLISHED
        )
        round.pending = {}
        round.last_step = "result"
        round.save()
        if encounter.submitted_at is None:
            encounter.submitted_at = at
        enter_review_queue(encounter, round)
        encounter.save(update_fields=[*REVIEW_QUEUE_FIELDS, "submitted_at", "updated_at"])
    return Submission(round=round, created=True)


REVIEW_QUEUE_FIELDS = (
    "red_flag_codes",
    "pathway_codes",
    "latest_news2",
    "last_submitted_at",
    "escalation",
    "queue_rank",
    "escalation_call",
)


def enter_review_queue(encounter: Encounter, round: Round) -> None:
    """Put the encounter (back) in the physicians' queue with what its rounds raised. The most
    urgent escalation of any round ranks it until it is signed: an emergency stays at the top
    even if a later round is calmer, because a physician has not yet seen it."""
    assessment = cast("dict[str, Any]", round.assessment)  # just submitted: it is stored
    for field, items in (("red_flag_codes", "red_flags"), ("pathway_codes", "pathways")):
        known = getattr(encounter, field)
        new = [item["code"] for item in assessment[items] if item["code"] not in known]
        setattr(encounter, field, [*known, *new])
    encounter.latest_news2 = (assessment.get("news2") or {}).get("score")
    encounter.last_submitted_at = round.submitted_at
    escalations = [stored_escalation(assessment)]
    if encounter.escalation:
        escalations.append(encounter.escalation)
    encounter.escalation = max(escalations, key=ESCALATION_RANK.__getitem__)
    encounter.queue_rank = ESCALATION_RANK[encounter.escalation]
    if stored_escalation(assessment) in ESCALATED:
        # Until the nurse records who she told (`triage.actions.escalation`).
        encounter.escalation_call = Encounter.EscalationCall.MISSING


# The escalations whose call the nurse is asked to record.
ESCALATED = frozenset({"emergency", "urgent"})


@transaction.atomic
def start_reassessment(*, encounter: Encounter, by: User) -> Round:
    """A new round after a submitted one; an unfinished reassessment is reused, not doubled."""
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    refuse_if_signed(encounter)
    latest = encounter.rounds.order_by("-number").first()
    if latest is not None and latest.status == Round.Status.DRAFT:
        return latest
    claim_next_version(encounter, None)
    with pghistory.context(action="round.reassess"):
        return Round.objects.create(
            encounter=encounter,
            number=(latest.number + 1) if latest else 1,
            created_by=by,
            last_step="patient",
        )
