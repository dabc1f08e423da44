"""The SBAR handover of one encounter, and of every open encounter of a ward: pages that print
on A4."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from triage import handover
from triage.access import (
    AuthenticatedRequest,
    EncounterRead,
    clinical_required,
    encounter_for,
    record_read,
    record_reads,
)
from triage.escalation_record import with_escalation_acknowledger
from triage.record_parts import rounds_with_overrides, sign_off_and_addenda, with_record_parts
from triage.ward_board import Scope, board_rows
from triage.ward_handover import patients_html

HANDED_OVER = EncounterRead(
    lambda encounters: with_escalation_acknowledger(with_record_parts(encounters))
)


@clinical_required
@require_GET
def encounter_handover(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk, HANDED_OVER)
    if encounter.is_draft:
        raise Http404("This encounter has no submitted assessment to hand over yet.")
    rounds = [round for round, _ in rounds_with_overrides(encounter)]
    sign_off, _ = sign_off_and_addenda(encounter)
    record_read(request, encounter)
    sbar = handover.build(encounter, rounds, sign_off)
    return render(request, "encounters/handover.html", {"handover": sbar})


@clinical_required
@require_GET
def ward_handover(request: AuthenticatedRequest) -> HttpResponse:
    """The handover of every patient on the ward's board in one document, in its order."""
    scope = Scope.of(request, request.user.ward_list())
    ward, now = scope.ward, timezone.now()
    rows = board_rows(ward, now, everyone=scope.everyone, handover=True) if ward else []
    record_reads(request, [row.encounter for row in rows])
    context = {"ward": ward, "patients": patients_html(rows, ward.name, now) if ward else []}
    return render(request, "ward/handover.html", context)
