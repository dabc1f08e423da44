"""Who may open what. Deny by default; each object lookup checks access in one place."""

from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, resolve_url

from triage.models import Encounter
from triage.roles import Role, roles_of

CLINICAL_ROLES = frozenset({Role.NURSE, Role.PHYSICIAN})
STASH_KEY = "unsent_posts"


def clinical_required(view):
    """Signed-in nurses and physicians only.

    A form posted after the session timed out is kept in the (new) session and offered back
    once the user has signed in again, so a timeout at the bedside loses nothing.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        if not roles_of(request.user) & CLINICAL_ROLES:
            raise PermissionDenied("Only nurses and physicians can open patient records.")
        return view(request, *args, **kwargs)

    return wrapper


def _to_login(request: HttpRequest) -> HttpResponse:
    login_url = f"{resolve_url(settings.LOGIN_URL)}?next={quote(request.path)}"
    if request.method == "POST":
        stash = request.session.get(STASH_KEY, {})
        stash[request.path] = {
            key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"
        }
        request.session[STASH_KEY] = stash
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(login_url)


def take_stashed_post(request: HttpRequest) -> dict[str, list[str]] | None:
    """Input posted to this page while signed out, if any (returned once)."""
    stash = request.session.get(STASH_KEY)
    if not stash or request.path not in stash:
        return None
    data = stash.pop(request.path)
    request.session[STASH_KEY] = stash
    return data


def encounter_for(request: HttpRequest, pk: Any) -> Encounter:
    """The encounter if it is on one of the user's wards; otherwise 404 (hides its existence)."""
    try:
        return get_object_or_404(
            Encounter.objects.select_related("ward", "created_by"),
            pk=pk,
            ward__in=request.user.wards.all(),
        )
    except (ValueError, TypeError):
        raise Http404 from None
