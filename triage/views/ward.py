"""The ward board for the nurses and physicians of a ward; it refreshes itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, clinical_required
from triage.ward_board import board_rows


@clinical_required
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    wards = list(request.user.wards.order_by("name"))
    chosen = request.GET.get("ward", "")
    ward = next((w for w in wards if str(w.pk) == chosen), wards[0] if wards else None)
    context = {
        "wards": wards,
        "ward": ward,
        "rows": board_rows(ward) if ward else [],
    }
    template = "ward/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return render(request, template, context)
