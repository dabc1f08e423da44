"""The ward board for the nurses and physicians of a ward; it refreshes itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, clinical_required
from triage.ward_board import board_rows, chosen_ward


@clinical_required
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    wards = list(request.user.wards.order_by("name"))
    ward = chosen_ward(request, wards)
    context = {
        "wards": wards,
        "ward": ward,
        "rows": board_rows(ward) if ward else [],
    }
    template = "ward/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return render(request, template, context)
