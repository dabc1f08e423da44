"""The ward's handover: the SBAR of every patient on the ward's board, in the board's order.

Each patient's part (heading, SBAR and chart) is kept per process ("handovers" cache) under a
digest of all it is written from, worked out from the board's own read
(`ward_board.with_handover_parts`): the patient's encounter as read (its columns shown, the
escalation record and who acknowledged it, who signed it off and when), the numbers of its
submitted rounds (which are never changed or deleted, so name what those hold), the ward's
name and what changes with the time alone (the hours since the procedure and when
observations are due, in words). A patient whose handover has not changed costs no further
query and is neither built nor rendered again. The others' whole encounters and submitted
rounds are read in two queries, each guidance version's entries once; a part built from an
encounter that changed after the board was read is shown, never kept under the older key.
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
from triage.escalation_record import with_escalation_acknowledger
from triage.kept_html import Unkept, kept_pieces
from triage.models import Encounter, GuidanceEntry, Round
from triage.ward_board import BoardRow, with_handover_parts

TEMPLATE = "ward/handover.html#patient"


def _instant(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def encounter_part(encounter: Encounter) -> tuple[Any, ...]:
    """What a patient's part is written from of their encounter as read with
    `with_handover_parts`, each as a plain value (an id as its text, a moment as its instant),
    which a digest writes out fastest."""
    return (
        str(encounter.pk),
        encounter.patient_identifier,
        _instant(encounter.procedure_at),
        encounter.levels,
        encounter.escalation_call,
        getattr(encounter, "escalation_acknowledged_by", None),
        getattr(encounter, "signed_off_by"),  # noqa: B009 - an annotation
        _instant(getattr(encounter, "signed_off_at")),  # noqa: B009 - an annotation
        getattr(encounter, "submitted_numbers"),  # noqa: B009 - an annotation
    )


def patient_key(
    row: BoardRow, number: int, now: datetime, ward_name: str, zone_name: str | None = None
) -> str:
    """The key of the patient's part of the handover, `number` on the page (its ids), on the
    ward named `ward_name`, at `now`, its times written in the time zone `zone_name` (the
    current one unless given): a digest of everything it is written from (see the module)."""
    return "ward-sbar:" + digest(
        (
            number,
            encounter_part(row.encounter),
            ward_name,
            handover.time_since_procedure(row.encounter.procedure_at, now),
            handover.observations_rows(row.due),  # an open encounter: due until discharged
            zone_name or timezone.get_current_timezone_name(),
        )
    )


def build_all(
    rows: list[BoardRow], ward_name: str, now: datetime
) -> list[tuple[handover.Handover, bool]]:
    """The handovers of the rows' patients at `now`, each with whether it is written from what
    its row says (else from what changed since the board was read: the encounter, its
    sign-off, a round submitted, the ward renamed, a discharge)."""
    pks = [row.encounter.pk for row in rows]
    whole = with_handover_parts(with_escalation_acknowledger(Encounter.objects.filter(pk__in=pks)))
    encounters = {
        encounter.pk: encounter
        for encounter in whole.select_related("ward", "sign_off__signed_by", "discharge")
    }
    rounds: dict[Any, list[Round]] = defaultdict(list)
    for round in (
        Round.objects.filter(encounter__in=pks, status=Round.Status.SUBMITTED)
        .select_related("guidance_version")
        .order_by("number")
    ):
        rounds[round.encounter_id].append(round)
    guidance: dict[Any, dict[str, GuidanceEntry]] = {}  # read once per version, not per patient
    built = []
    for row in rows:
        encounter = encounters[row.encounter.pk]  # never deleted: its submitted rounds hold it
        named = set(getattr(encounter, "submitted_numbers"))  # noqa: B009 - an annotation
        submitted = [round for round in rounds[encounter.pk] if round.number in named]
        sign_off = getattr(encounter, "sign_off", None)
        sbar = handover.build(encounter, submitted, sign_off, now, guidance)
        as_read = (
            encounter_part(encounter) == encounter_part(row.encounter)
            and encounter.ward.name == ward_name
            and not handover.is_discharged(encounter)
        )
        built.append((sbar, as_read))
    return built


def patients_html(rows: list[BoardRow], ward_name: str, now: datetime) -> list[SafeString]:
    """Each row's patient's part of the handover as HTML, in order (see the module)."""
    zone_name = timezone.get_current_timezone_name()
    keys = [
        patient_key(row, number, now, ward_name, zone_name)
        for number, row in enumerate(rows, start=1)
    ]

    def render(missing: list[int]) -> list[str]:
        template = get_template(TEMPLATE)
        built = build_all([rows[index] for index in missing], ward_name, now)
        pieces = []
        for index, (sbar, as_read) in zip(missing, built, strict=True):
            html = template.render({"handover": sbar, "number": str(index + 1)})
            pieces.append(html if as_read else Unkept(html))
        return pieces

    return kept_pieces("handovers", keys, render)
