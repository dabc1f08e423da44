"""Home, health and other views that belong to no single workflow."""

from __future__ import annotations

import logging
import sys

from django.contrib import messages
from django.db import DatabaseError, DataError, IntegrityError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from triage import wizard
from triage.access import AuthenticatedRequest, keep_unsent_post, role_required
from triage.clinical.early_warning import REFERENCE as NEWS2_REFERENCE
from triage.clinical.explain import SAFETY_REVIEW, SOURCE_SUPPORTS, SOURCES_NOTE
from triage.request_log import current_request_id
from triage.roles import roles_of

logger = logging.getLogger(__name__)


@role_required()
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role lands on its own dashboard; a user with several roles sees each section."""
    return render(request, "home.html", {"roles": roles_of(request.user)})


@role_required()
@require_GET
def sources(request: AuthenticatedRequest) -> HttpResponse:
    """What each citation number shown beside a recommendation supports."""
    context = {
        "note": SOURCES_NOTE,
        "sources": sorted(SOURCE_SUPPORTS.items()),
        "news2": NEWS2_REFERENCE,
        "safety_review": SAFETY_REVIEW,
    }
    return render(request, "sources.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: database unavailable", exc_info=True)
        # Drop the broken connection so the next request reconnects cleanly.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def moved(request: HttpRequest, to: str, rest: str = "") -> HttpResponse:
    """An old address: to its new place, keeping the method (308) and the query string."""
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponse(status=308)
    response["Location"] = to + rest + (f"?{query}" if query else "")
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """No such address. Under /api/ the answer is JSON like every API answer; elsewhere it is
    Django's page (templates/404.html when there is one)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"(request)": ["no such address in this API"]}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A fault in a request. While the database cannot be reached it is a 503 that says so (a
    JSON one for the API and the health check), not a 500; renders without touching the
    database. Each says the request's id as its reference."""
    error = sys.exc_info()[1]
    reference = {"request_id": current_request_id()}  # shown for IT; no context processors
    if isinstance(error, DatabaseError) and not isinstance(error, DataError | IntegrityError):
        connection.close_if_unusable_or_obsolete()
        if request.path.startswith(("/api/", "/healthz")):
            message = "the database cannot be reached; try again in a minute"
            return JsonResponse(
                {"status": "unavailable", "errors": {"(request)": [message]}}, status=503
            )
        return HttpResponse(loader.get_template("503.html").render(reference), status=503)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": {"(request)": ["the server failed; it is logged"]}}, status=500
        )
    return HttpResponse(loader.get_template("500.html").render(reference), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token no longer matches the session (most often: the session
    timed out and the user signed in again in another tab). A bedside step's answers are kept
    and the step opens again with them, saying why; any other form explains what to do."""
    try:
        match = resolve(request.path)
    except Resolver404:
        match = None
    bedside = (
        match is not None
        and match.namespace == "encounters"
        and match.url_name in wizard.QUESTIONS_BY_SLUG
    )
    if bedside and request.method == "POST":
        keep_unsent_post(request)
        messages.warning(
            request,
            "Your sign-in changed while this page was open (perhaps in another tab), so these "
            "answers were not saved. They are below: check them, then save.",
        )
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(request.path)
        return redirect(request.path)
    return render(request, "403_csrf.html", status=403)
