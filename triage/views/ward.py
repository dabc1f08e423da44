"""The ward board for the nurses and physicians of a ward; it refreshes itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, clinical_required
from triage.ward_board import (
    OLDER_COUNTED_UP_TO,
    RECENT,
    Scope,
    board_rows,
    older_count,
    rows_html,
)


@clinical_required
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    scope = Scope.of(request, request.user.ward_list())
    ward, everyone = scope.ward, scope.everyone
    rows = board_rows(ward, everyone=everyone) if ward else []
    context = {
        "wards": scope.wards,
        "ward": ward,
        "everyone": everyone,
        "recent_days": RECENT.days,
        "rows": rows,
        "rows_html": rows_html(rows),
        "older": older_count(ward) if ward and not everyone else 0,
        "older_counted_up_to": OLDER_COUNTED_UP_TO,
    }
    template = "ward/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return render(request, template, context)
