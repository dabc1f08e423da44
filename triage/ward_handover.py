"""The ward's handover: the SBAR of every patient on the ward's board, in the board's order.

Each patient's part (heading, SBAR and chart) is kept per process ("handovers" cache) under a
digest of all it is written from, worked out from the board's own read: the patient, their
encounter, escalation record and sign-off as read, the numbers of their submitted rounds (which
are never changed or deleted, so name what those hold) and what changes with the time alone
(the hours since the procedure and when observations are due, in words). A patient whose
handover has not changed costs no further query and is neither built nor rendered again; the
others' rounds are read in one query, each guidance version's entries once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString

from triage import handover
from triage.content_digest import digest
from triage.kept_html import kept_pieces
from triage.models import GuidanceEntry, Round
from triage.ward_board import BoardRow

TEMPLATE = "ward/handover.html#patient"


def submitted_numbers(row: BoardRow) -> list[int]:
    return getattr(row.encounter, "submitted_numbers")  # noqa: B009 - an annotation


def _instant(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def patient_key(row: BoardRow, number: int, now: datetime, zone_name: str | None = None) -> str:
    """The key of the patient's part of the handover, `number` on the page (its ids), at
    `now`, its times written in the time zone `zone_name` (the current one unless given): a
    digest of everything it is written from (see the module), each as a plain value (an id
    as its text, a moment as its instant), which a digest writes out fastest."""
    encounter = row.encounter
    sign_off = getattr(encounter, "sign_off", None)
    return "ward-sbar:" + digest(
        (
            number,
            str(encounter.pk),
            encounter.patient_identifier,
            encounter.ward.name,
            _instant(encounter.procedure_at),
            encounter.levels,
            encounter.escalation_call,
            getattr(encounter, "escalation_acknowledged_by", None),
            (sign_off.signed_by.get_username(), _instant(sign_off.signed_at)) if sign_off else None,
            submitted_numbers(row),
            handover.time_since_procedure(encounter.procedure_at, now),
            handover.observations_rows(encounter, row.due),
            zone_name or timezone.get_current_timezone_name(),
        )
    )


def build_all(rows: list[BoardRow], now: datetime) -> list[handover.Handover]:
    """The handovers of the rows' patients at `now`, each from the submitted rounds its row
    names, read in one query."""
    rounds: dict[Any, list[Round]] = defaultdict(list)
    for round in (
        Round.objects.filter(
            encounter__in=[row.encounter for row in rows], status=Round.Status.SUBMITTED
        )
        .select_related("guidance_version")
        .order_by("number")
    ):
        rounds[round.encounter_id].append(round)
    guidance: dict[Any, dict[str, GuidanceEntry]] = {}  # read once per version, not per patient
    built = []
    for row in rows:
        encounter = row.encounter
        named = set(submitted_numbers(row))  # not one submitted after the board was read
        kept = [round for round in rounds[encounter.pk] if round.number in named]
        sign_off = getattr(encounter, "sign_off", None)
        built.append(handover.build(encounter, kept, sign_off, now, guidance))
    return built


def patients_html(rows: list[BoardRow], now: datetime) -> list[SafeString]:
    """Each row's patient's part of the handover as HTML, in order (see the module)."""
    zone_name = timezone.get_current_timezone_name()
    keys = [patient_key(row, number, now, zone_name) for number, row in enumerate(rows, start=1)]

    def render(missing: list[int]) -> list[str]:
        template = get_template(TEMPLATE)
        handovers = build_all([rows[index] for index in missing], now)
        return [
            template.render({"handover": sbar, "number": str(index + 1)})
            for index, sbar in zip(missing, handovers, strict=True)
        ]

    return kept_pieces("handovers", keys, render)
