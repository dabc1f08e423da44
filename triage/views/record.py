"""The encounter record: its page, its audit trail in words, and the audit trail as CSV."""

from __future__ import annotations

import csv
import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from triage import audit_words, wizard
from triage.access import (
    AuthenticatedRequest,
    EncounterRead,
    clinical_required,
    encounter_for,
    record_read,
)
from triage.audit_trail import audit_trail, with_round_ids
from triage.csv_cells import csv_safe
from triage.record import WHOLE_RECORD, encounter_page

WITH_ROUND_IDS = EncounterRead(with_round_ids)


@clinical_required
def encounter_detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The whole record (physicians review it here); a draft resumes in the wizard."""
    encounter = encounter_for(request, pk, WHOLE_RECORD)
    if encounter.is_draft:
        draft = encounter.current_round()
        step = wizard.resume_step(draft.last_step, draft.answered_sections)
        return redirect(step.url_name, pk=encounter.pk)
    number = request.GET.get("round", "")
    return encounter_page(
        request, encounter, round_number=int(number) if number.isdecimal() else None
    )


@clinical_required
@require_GET
def audit(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk, WITH_ROUND_IDS)
    record_read(request, encounter)
    actions_done = audit_words.in_words(audit_trail(encounter, reads_by_hour=True))
    return render(request, "review/audit.html", {"encounter": encounter, "actions": actions_done})


@clinical_required
@require_GET
def audit_csv(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk, WITH_ROUND_IDS)
    record_read(request, encounter)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{encounter.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["when", "who", "what", "action", "field", "before", "after", "url"])
    for entry in audit_trail(encounter):
        head = [entry.at.isoformat(), entry.who, entry.what, entry.action]
        for name, before, after in entry.changes or [("", "", "")]:
            writer.writerow([csv_safe(v) for v in (*head, name, before, after, entry.url)])
    return response
