"""The physicians' review queue: the encounters to review, most urgent first, paged by keyset.

The queue is paged by keyset, never OFFSET: rows are ordered by (queue_rank, last_submitted_at,
id), all descending, and the next page starts strictly after the last row shown, expressed as
one SQL row comparison `(queue_rank, last_submitted_at, id) < (%s, %s, %s)` (Django's own tuple
lookup, the one composite primary keys use). PostgreSQL answers it from the partial index
`encounter_review_queue` by scanning backwards from the cursor, so page 500 costs what page 1
does, and rows inserted while someone pages neither repeat nor push others off a page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, cast

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

# Django's tuple lookups have no stubs in django-stubs yet.
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]
    Tuple,
    TupleLessThan,
)

from triage.clinical.explain import PATHWAY_TITLES, RED_FLAG_TITLES
from triage.compiled_sql import Read, ReadRows
from triage.content_digest import digest
from triage.escalation_record import with_escalation_acknowledger
from triage.models import Encounter, Override, Round

PAGE_SIZE = 25

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """The sort keys of the last row of a page; the next page starts after it.

    >>> at = datetime(2026, 11, 25, 8, 30, 0, 123456, tzinfo=UTC)
    >>> cursor = Cursor(2, at, uuid.UUID(int=7))
    >>> cursor.encode()
    '2.1795595400123456.00000000000000000000000000000007'
    >>> Cursor.decode(cursor.encode()) == cursor
    True
    >>> Cursor.decode("2.x.y") is None
    True
    """

    rank: int
    at: datetime
    pk: uuid.UUID

    @classmethod
    def after(cls, encounter: Encounter) -> Cursor:
        # An encounter in the queue has been submitted (`review_queue`), so it has the time.
        return cls(encounter.queue_rank, cast(datetime, encounter.last_submitted_at), encounter.pk)

    def encode(self) -> str:
        return f"{self.rank}.{(self.at - EPOCH) // MICROSECOND}.{self.pk.hex}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        try:
            rank, micros, pk = text.split(".")
            return cls(int(rank), EPOCH + int(micros) * MICROSECOND, uuid.UUID(hex=pk))
        except (ValueError, OverflowError):
            return None


QUEUE_ORDER = ("-queue_rank", "-last_submitted_at", "-id")
QUEUE_ROW_FIELDS = (
    "patient_identifier",
    "procedure_at",
    "queue_rank",
    "escalation",
    "last_submitted_at",
    "red_flag_codes",
    "pathway_codes",
    "latest_news2",
    "escalation_call",
    "ward__name",
)


def review_queue(wards) -> QuerySet[Encounter]:
    """Submitted encounters of `wards` in queue order: unsigned emergencies, then unsigned
    urgent, then unsigned routine, then signed (`Encounter.QueueRank`); the most recently
    submitted first within each."""
    return Encounter.objects.filter(ward__in=wards, last_submitted_at__isnull=False).order_by(
        *QUEUE_ORDER
    )


def after_cursor(queryset: QuerySet[Encounter], cursor: Cursor) -> QuerySet[Encounter]:
    """The rows that sort after `cursor`: one row comparison, answered from the queue index."""
    keys = Tuple(F("queue_rank"), F("last_submitted_at"), F("id"))
    return queryset.filter(TupleLessThan(keys, (cursor.rank, cursor.at, cursor.pk)))


def page_rows(queryset: QuerySet[Encounter], after: Cursor | None, size: int):
    """The query of one page (plus one row, to know whether another page follows): the rows
    after `after`, with everything a row of the queue shows."""
    if after is not None:
        queryset = after_cursor(queryset, after)
    # The page's keys come from the index first, and only those rows are joined and
    # annotated: otherwise PostgreSQL may plan the annotations for every row of the queue.
    keys = queryset.values("pk")[: size + 1]
    last_submitter = (
        Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.SUBMITTED)
        .order_by("-number")
        .values("submitted_by__username")[:1]
    )
    return (
        with_escalation_acknowledger(Encounter.objects.filter(pk__in=keys))
        .only(*QUEUE_ROW_FIELDS)
        .select_related("ward")
        .annotate(
            has_override=Exists(Override.objects.filter(round__encounter=OuterRef("pk"))),
            nurse=Subquery(last_submitter),
            signed_by=F("sign_off__signed_by__username"),
            signed_at=F("sign_off__signed_at"),
        )
        .order_by(*QUEUE_ORDER)
    )


def queue_page(
    queryset: QuerySet[Encounter], after: Cursor | None, size: int | None = None
) -> tuple[list[Encounter], Cursor | None]:
    """One page of the queue after `after` (one query), and the cursor of the next page."""
    size = size or PAGE_SIZE
    return split_page(list(page_rows(queryset, after, size)), size)


def split_page(rows: list[Encounter], size: int) -> tuple[list[Encounter], Cursor | None]:
    """A page's rows read with one more (`page_rows`): the page, and the next page's cursor
    if that row was there."""
    return rows[:size], Cursor.after(rows[size - 1]) if len(rows) > size else None


def filter_queue(
    queryset: QuerySet[Encounter],
    data: Mapping[str, Any],
    submitted: tuple[datetime | None, datetime | None] = (None, None),
) -> QuerySet[Encounter]:
    """The queue narrowed by the filter form's answers and a submitted-at range [start, end)."""
    if data["q"].strip():
        queryset = queryset.filter(patient_identifier__istartswith=data["q"].strip())
    if data["ward"]:
        queryset = queryset.filter(ward=data["ward"])
    if data["red_flag"]:
        queryset = queryset.filter(red_flag_codes__contains=[data["red_flag"]])
    if data["pathway"]:
        queryset = queryset.filter(pathway_codes__contains=[data["pathway"]])
    if data["escalation"]:
        queryset = queryset.filter(escalation_is(data["escalation"]))
    if data["status"] == "signed":
        queryset = queryset.filter(queue_rank=Encounter.QueueRank.SIGNED_OR_DRAFT)
    elif data["status"] == "unsigned":
        queryset = queryset.filter(queue_rank__gt=Encounter.QueueRank.SIGNED_OR_DRAFT)
    start, end = submitted
    if start:
        queryset = queryset.filter(last_submitted_at__gte=start)
    if end:
        queryset = queryset.filter(last_submitted_at__lt=end)
    return queryset


# Encounters signed before escalations were kept (migration 0010 left signed records as they
# were) have none stored. Their rounds' red flags and pathways say it, except in one case: a
# red flag in any round was an emergency; no red flag and transient pain never offered was
# urgent; no red flag but transient pain offered in some round may have been routine or urgent.
NOT_RECORDED = "not_recorded"


def escalation_of(encounter: Encounter) -> str:
    """The encounter's escalation, or NOT_RECORDED (the one case its codes cannot tell).
    Agrees with `escalation_is`.

    >>> escalation_of(Encounter(escalation="urgent"))
    'urgent'
    >>> escalation_of(Encounter(red_flag_codes=["stroke_signs"]))
    'emergency'
    >>> escalation_of(Encounter(pathway_codes=["adjacent_fracture"]))
    'urgent'
    >>> escalation_of(Encounter(pathway_codes=["transient_pain", "adjacent_fracture"]))
    'not_recorded'
    """
    if encounter.escalation:
        return encounter.escalation
    if encounter.red_flag_codes:
        return "emergency"
    if "transient_pain" not in encounter.pathway_codes:
        return "urgent"
    return NOT_RECORDED


def escalation_is(level: str) -> Q:
    """Encounters whose `escalation_of` is `level`, as a filter."""
    unrecorded = Q(escalation="")
    no_red_flag = Q(red_flag_codes=[])
    if level == "emergency":
        return Q(escalation=level) | (unrecorded & ~no_red_flag)
    if level == "urgent":
        return Q(escalation=level) | (
            unrecorded & no_red_flag & ~Q(pathway_codes__contains=["transient_pain"])
        )
    if level == NOT_RECORDED:
        return unrecorded & no_red_flag & Q(pathway_codes__contains=["transient_pain"])
    return Q(escalation=level)


ESCALATION_LABELS = {
    **dict(Encounter.Escalation.choices),
    NOT_RECORDED: "Escalation level unknown",
}


@dataclass(frozen=True)
class QueueRow:
    encounter: Encounter
    hours_since: int | None
    escalation: str
    red_flags: list[str]
    pathways: list[str]

    @property
    def escalation_label(self) -> str:
        return ESCALATION_LABELS[self.escalation]

    @property
    def is_red_flag(self) -> bool:
        """An unsigned emergency: at the top of the queue, in red."""
        return self.encounter.queue_rank == Encounter.QueueRank.EMERGENCY

    @property
    def is_urgent(self) -> bool:
        """Unsigned and urgent: next in the queue, in amber."""
        return self.encounter.queue_rank == Encounter.QueueRank.URGENT


def hours_since(procedure_at: datetime | None, now: datetime) -> int | None:
    """Whole hours from the procedure to `now` (a row's "Since procedure")."""
    if procedure_at is None:
        return None
    return int((now - procedure_at).total_seconds() // 3600)


def queue_row(encounter: Encounter, now: datetime) -> QueueRow:
    return QueueRow(
        encounter=encounter,
        hours_since=hours_since(encounter.procedure_at, now),
        escalation=escalation_of(encounter),
        red_flags=[RED_FLAG_TITLES.get(code, code) for code in encounter.red_flag_codes],
        pathways=[PATHWAY_TITLES.get(code, code) for code in encounter.pathway_codes],
    )


class QueuePage:
    """A page of queue rows as the template shows it: how many (`len`), the rows (iterating)
    and the key of their rendered HTML (`key`): the digest of the rows themselves."""

    def __init__(self, rows: list[QueueRow]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[QueueRow]:
        return iter(self.rows)

    @cached_property
    def key(self) -> str:
        return digest(self.rows)


class ReadQueuePage(ReadRows[Encounter, QueueRow]):
    """As `QueuePage`, the first `size` rows of a compiled read of the queue (the whole queue's
    pages), made into rows only when they are rendered. Keyed by every column read and each
    row's hours since its procedure (all of a row that depends on the time)."""

    def __init__(self, read: Read[Encounter], size: int, now: datetime) -> None:
        super().__init__(read, lambda encounter: queue_row(encounter, now), size)
        self.now = now

    def also(self) -> Any:
        at = self.read.column("procedure_at")[: self.size]
        return [hours_since(a, self.now) for a in at]
