"""The ward board for the nurses and physicians of a ward; it refreshes itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, clinical_required
from triage.ward_board import (
    OLDER_COUNTED_UP_TO,
    RECENT,
    SHOWN_AT_MOST,
    SHOWN_HEADER,
    Scope,
    board_rows,
    instant,
    older_count,
    rows_html,
    shown_rows,
)


@clinical_required
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    scope = Scope.of(request, request.user.ward_list())
    ward, everyone = scope.ward, scope.everyone
    now = timezone.now()
    rows = board_rows(ward, now, everyone=everyone) if ward else []
    refreshing = bool(request.htmx) and not request.htmx.boosted
    # A refresh sends only the rows that changed since the board the page shows.
    shown = shown_rows(request.headers.get(SHOWN_HEADER, "")) if refreshing else None
    context = {
        "wards": scope.wards,
        "ward": ward,
        "everyone": everyone,
        "recent_days": RECENT.days,
        "rows": rows,
        "rows_html": rows_html(rows, shown),
        "older": older_count(ward, now) if ward and not everyone else 0,
        "older_counted_up_to": OLDER_COUNTED_UP_TO,
        "rows_header": SHOWN_HEADER,
        "rows_at_most": SHOWN_AT_MOST,
        "now": now,  # the page writes how long until or since each due time against it
        "now_instant": instant(now),
    }
    template = "ward/board.html"
    if refreshing:
        template += "#board"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", SHOWN_HEADER))
    return response
