"""The physicians' review queue page (its filters answer with the results fragment under htmx).

The filters are posted. Those that name no patient (ward, escalation, red flag, pathway,
sign-off, dates) go into the address; a patient search never does: it is kept on the server
under a token (`triage.queue_search`), and the address carries the token.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseLocation

from triage import queue as queues
from triage import queue_search
from triage.access import AuthenticatedRequest, on_users_wards, role_required
from triage.compiled_sql import ENCOUNTER_MARKER, MOMENT_MARKER, USER_MARKER, Compiled
from triage.forms.review import QueueFilterForm
from triage.models import Encounter
from triage.queue import (
    Cursor,
    QueuePage,
    ReadQueuePage,
    filter_queue,
    page_rows,
    queue_page,
    queue_row,
    review_queue,
)
from triage.roles import Role

SEARCH = QueueFilterForm.SEARCH_FIELD
# Every filter but the search text may be in the address.
ADDRESS_FILTERS = [name for name in QueueFilterForm.base_fields if name != SEARCH]

SEARCH_MOVED = (
    "A patient identifier is no longer read from the page address (addresses are kept in logs "
    "and browser history), so nothing was searched. Type it under Patient identifier and "
    "choose Show encounters."
)
SEARCH_EXPIRED = (
    "This search has ended: a search is kept for "
    f"{queue_search.SEARCH_MINUTES} minutes, and only for the person who made it. Type the "
    "patient identifier again and choose Show encounters."
)


# The marker of a page's cursor's rank in the whole queue's compiled reads (no encounter has
# rank -7); its time and id are `MOMENT_MARKER` and `ENCOUNTER_MARKER`.
_MARK_RANK = -7


@cache
def whole_queue_reads(size: int) -> tuple[Compiled[Encounter], Compiled[Encounter]]:
    """The whole queue's (no filter: the page most opened) first page and a page after a
    row, of `size` rows and one more: their SQL compiled once per process (`compiled_sql`)."""
    first = Compiled(
        lambda user_id: page_rows(review_queue(on_users_wards(user_id)), None, size),
        [USER_MARKER],
    )
    following = Compiled(
        lambda user_id, rank, at, pk: page_rows(
            review_queue(on_users_wards(user_id)), Cursor(rank, at, pk), size
        ),
        [USER_MARKER, _MARK_RANK, MOMENT_MARKER, ENCOUNTER_MARKER],
    )
    return first, following


def whole_queue(
    user_id: int, after: Cursor | None, now: datetime
) -> tuple[ReadQueuePage, Cursor | None]:
    """A page of the user's whole queue after `after`, and the next page's cursor."""
    size = queues.PAGE_SIZE
    first, following = whole_queue_reads(size)
    if after is None:
        read = first.read(user_id)
    else:
        read = following.read(user_id, after.rank, after.at, after.pk)
    following_page = len(read) > size
    return ReadQueuePage(read, size, now), (
        Cursor.after(read.instances(size - 1, size)[0]) if following_page else None
    )


@role_required(Role.PHYSICIAN)
@require_http_methods(["GET", "POST"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        return search(request)
    filters = {name: request.GET[name] for name in ADDRESS_FILTERS if name in request.GET}
    text, notice = searched_text(request)
    wards = request.user.ward_list()
    form = QueueFilterForm({**filters, SEARCH: text} if filters or text else None, wards=wards)
    after = None
    if "after" in request.GET:
        after = Cursor.decode(request.GET["after"])
        if after is None:
            messages.warning(request, "That page link is not valid; this is the first page.")
    now = timezone.now()
    rows: QueuePage | ReadQueuePage = QueuePage([])
    next_cursor = None
    # A search that cannot be run shows no rows: the whole queue would look like its answer.
    if notice is None and not form.is_bound:
        rows, next_cursor = whole_queue(request.user.pk, after, now)
    elif notice is None and form.is_valid():
        queryset = filter_queue(review_queue(wards), form.cleaned_data, form.submitted_range())
        page, next_cursor = queue_page(queryset, after)
        rows = QueuePage([queue_row(encounter, now) for encounter in page])
    params = QueryDict(mutable=True)
    params.update(filters)
    if text:
        params["search"] = request.GET["search"]
    first_query = params.urlencode()
    if next_cursor is not None:
        params["after"] = next_cursor.encode()
    return show(
        request,
        form,
        rows=rows,
        notice=notice,
        is_first_page=after is None,
        first_query=first_query,
        next_query=params.urlencode() if next_cursor is not None else None,
    )


def search(request: AuthenticatedRequest) -> HttpResponse:
    """The posted filters, as the address of their results: the search text is stashed."""
    form = QueueFilterForm(request.POST, wards=request.user.ward_list())
    if not form.is_valid():
        return show(request, form, rows=QueuePage([]), notice=None, is_first_page=True)
    params = QueryDict(mutable=True)
    params.update({name: request.POST[name] for name in ADDRESS_FILTERS if request.POST.get(name)})
    text = form.cleaned_data[SEARCH].strip()
    if text:
        params["search"] = queue_search.stash(user=request.user, text=text, now=timezone.now())
    url = reverse("review:queue") + (f"?{params.urlencode()}" if params else "")
    if request.htmx:
        # htmx fetches the results from the address, swaps them in and adds it to history.
        return HttpResponseLocation(url, target="#queue-results", swap="outerHTML")
    return redirect(url)


def searched_text(request: AuthenticatedRequest) -> tuple[str, str | None]:
    """The search the address's token stands for, and a notice when there is none to run."""
    if SEARCH in request.GET:
        return "", SEARCH_MOVED
    if "search" not in request.GET:
        return "", None
    text = queue_search.recall(user=request.user, token=request.GET["search"], now=timezone.now())
    return (text, None) if text else ("", SEARCH_EXPIRED)


def show(request: AuthenticatedRequest, form: QueueFilterForm, **context: Any) -> HttpResponse:
    """The page, or only its results under htmx (not when htmx restores a page from history:
    the whole page replaces the page then)."""
    htmx = request.htmx
    partial = bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    template = "review/queue.html" + ("#results" if partial else "")
    filtered = form.is_bound and any(form.data.get(name) for name in form.fields)
    context.setdefault("first_query", "")
    context.setdefault("next_query", None)
    return render(
        request,
        template,
        {"form": form, "filtered": filtered, **context},
        # htmx swaps only successful responses: the error summary is in the fragment.
        status=400 if form.errors and not partial else 200,
    )
