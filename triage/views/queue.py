"""The physicians' review queue page (its filters answer with the results fragment under htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, role_required
from triage.forms.review import QueueFilterForm
from triage.queue import (
    Cursor,
    QueueRow,
    filter_queue,
    queue_page,
    queue_row,
    review_queue,
)
from triage.roles import Role


@role_required(Role.PHYSICIAN)
@require_GET
def queue(request: AuthenticatedRequest) -> HttpResponse:
    wards = request.user.wards.all()
    filters = {key: value for key, value in request.GET.items() if key != "after"}
    form = QueueFilterForm(filters or None, wards=wards)
    after = None
    if "after" in request.GET:
        after = Cursor.decode(request.GET["after"])
        if after is None:
            messages.warning(request, "That page link is not valid; this is the first page.")
    rows: list[QueueRow] = []
    next_cursor = None
    if not form.is_bound or form.is_valid():
        queryset = review_queue(wards)
        if form.is_bound:
            queryset = filter_queue(queryset, form.cleaned_data, form.submitted_range())
        page, next_cursor = queue_page(queryset, after)
        now = timezone.now()
        rows = [queue_row(encounter, now) for encounter in page]
    params = request.GET.copy()
    params.pop("after", None)
    first_query = params.urlencode()
    if next_cursor is not None:
        params["after"] = next_cursor.encode()
    partial = request.htmx and not request.htmx.boosted
    template = "review/queue.html" + ("#results" if partial else "")
    return render(
        request,
        template,
        {
            "form": form,
            "rows": rows,
            "filtered": any(filters.values()),
            "is_first_page": after is None,
            "first_query": first_query,
            "next_query": params.urlencode() if next_cursor is not None else None,
        },
        # htmx swaps only successful responses: the error summary is in the fragment.
        status=400 if form.errors and not partial else 200,
    )
