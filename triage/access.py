"""Who may open what: the one guard every view uses, and the object lookups that check access.

Deny by default. A signed-out user is sent to sign in and brought back (`next`), with what they
posted kept; an htmx request gets the same, as an `HX-Redirect` that loads the sign-in page
whole instead of swapping it into a fragment. A signed-in user without the role gets a 403; an
object on a ward that is not theirs is a 404, so its existence is not revealed.

Before any of that, a user who needs two-factor authentication (`triage.two_factor`) and has
not entered a code in this session is sent to enter one, or to set up an authenticator app
(`SecondFactorMiddleware`, for every view and Django's admin alike).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from triage import two_factor
from triage.actions.review import record_view, record_views
from triage.api_tokens import API_PATH, bearer_token
from triage.compiled_sql import ENCOUNTER_MARKER, NUMBER_MARKER, USER_MARKER, Compiled
from triage.models import Encounter, GuidanceEntry, GuidanceVersion, Round, User, Ward
from triage.roles import Role, has_role, roles_of
from triage.session_lifetime import signed_in_here

CLINICAL_ROLES = frozenset({Role.NURSE, Role.PHYSICIAN})
STASH_KEY = "unsent_posts"
# The stash of forms posted while signed out is bounded: the newest few, each of a bounded size.
STASH_POSTS = 5
STASH_POST_CHARS = 32 * 1024
# Never kept while signed out: a password is a signature, typed again each time.
UNKEPT_FIELDS = frozenset({"csrfmiddlewaretoken", "password"})

REFUSALS = {
    frozenset({Role.PHYSICIAN}): "Only physicians can review and sign encounters.",
    CLINICAL_ROLES: "Only nurses and physicians can open patient records.",
    frozenset({Role.NURSE}): "Reassessing the patient at the bedside is a nurse's task.",
    frozenset({Role.GUIDANCE_ADMIN}): "Only guidance admins can open guidance administration.",
}


class AuthenticatedRequest(HttpRequest):
    """A request that passed the sign-in guard (`role_required`): its user is signed in, never
    anonymous. Like every request here it has been through `HtmxMiddleware`, so it carries
    htmx's details too."""

    user: User
    htmx: HtmxDetails


Args = ParamSpec("Args")
# A view as written (it is only ever called with a signed-in user's request)...
GuardedView = Callable[Concatenate[AuthenticatedRequest, Args], HttpResponse]
# ...and as the URL map calls it, with any request.
View = Callable[Concatenate[HttpRequest, Args], HttpResponse]


def refuse_unless(request: HttpRequest, *roles: Role) -> None:
    """403 unless the user holds one of `roles` (for a view that first finds its object, so
    that another ward's object stays a 404)."""
    allowed = frozenset(roles)
    if not roles_of(request.user) & allowed:
        raise PermissionDenied(REFUSALS.get(allowed, "You cannot open this page."))


def role_required(
    *roles: Role, keeps_unsent_post: bool = False
) -> Callable[[GuardedView[Args]], View[Args]]:
    """Signed-in users holding one of `roles` (any signed-in user when none are named).

    With `keeps_unsent_post`, a form posted after the session ended is kept for the view to
    offer back (`take_stashed_post`) once the user has signed in again.
    """
    allowed = frozenset(roles)

    def decorator(view: GuardedView[Args]) -> View[Args]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Args.args, **kwargs: Args.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_sign_in(request, keep_post=keeps_unsent_post)
            if allowed:
                refuse_unless(request, *allowed)
            # Signed in: the request the view was written for.
            return view(cast(AuthenticatedRequest, request), *args, **kwargs)

        return wrapper

    return decorator


clinical_required = role_required(*CLINICAL_ROLES)
# The wizard's steps: a bedside answer typed as the session ended is offered back, not lost.
bedside_required = role_required(*CLINICAL_ROLES, keeps_unsent_post=True)


def keep_unsent_post(request: HttpRequest) -> None:
    """Keep what was posted to this page (never a password) for `take_stashed_post` to offer
    back to the same user: the newest few pages, each of a bounded size, and only when someone
    signed in on this browser (a stranger's posts are not kept)."""
    user_id = signed_in_here(request)
    posted = {key: values for key, values in request.POST.lists() if key not in UNKEPT_FIELDS}
    if user_id is not None and len(json.dumps(posted)) <= STASH_POST_CHARS:
        stash = request.session.get(STASH_KEY, {})
        stash.pop(request.path, None)
        stash[request.path] = {"by": user_id, "posted": posted}  # the newest last
        request.session[STASH_KEY] = dict(list(stash.items())[-STASH_POSTS:])


def to_sign_in(request: HttpRequest, *, keep_post: bool = False) -> HttpResponse:
    """To the sign-in page and back here (with `keep_post`, keeping what was posted)."""
    login_url = f"{resolve_url(settings.LOGIN_URL)}?next={quote(request.path)}"
    if keep_post and request.method == "POST":
        keep_unsent_post(request)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(login_url)
    return HttpResponseRedirect(login_url)


# Open before the second factor: signing in and out, and entering or setting up the factor.
BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two-factor",
        "accounts:two-factor-set-up",
        "healthz",
    }
)


class SecondFactorMiddleware:
    """With TRIAGE_REQUIRE_2FA on, a signed-in user who needs two-factor authentication and has
    not entered a code in this session opens no page (and no admin page) but the code's: they
    are sent to enter it, or to set up an authenticator app if they have none, and brought back.
    htmx gets an `HX-Redirect`, a session-signed call to the API a JSON 401. A call signed with
    an API token is not asked (its token was made in a verified session, or by a nurse)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            not two_factor.enforced_for(request.user)
            or two_factor.is_verified(request.user)
            or (match is not None and match.view_name in BEFORE_SECOND_FACTOR)
            or bearer_token(request) is not None
        ):
            return None
        return to_second_factor(request)


def to_second_factor(request: HttpRequest) -> HttpResponse:
    """To entering the code (or setting up the app) and back here."""
    if request.path.startswith(API_PATH):
        message = "enter your two-factor code in the browser first, or send an API token"
        return JsonResponse({"errors": {"(request)": [message]}}, status=401)
    name = "two-factor" if two_factor.has_app(request.user) else "two-factor-set-up"
    url = f"{reverse(f'accounts:{name}')}?next={quote(request.path)}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class AdminSite(admin.AdminSite):
    """Django's admin, open only to staff who entered their second factor (when
    TRIAGE_REQUIRE_2FA is on); `SecondFactorMiddleware` asks them for it first."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and (
            not settings.TRIAGE_REQUIRE_2FA or two_factor.is_verified(request.user)
        )


def take_stashed_post(request: HttpRequest) -> dict[str, list[str]] | None:
    """Input this user posted to this page while signed out, if any (returned once)."""
    stash = request.session.get(STASH_KEY)
    if not stash or request.path not in stash:
        return None
    kept = stash.pop(request.path)
    request.session[STASH_KEY] = stash
    return kept["posted"] if kept["by"] == request.user.pk else None


def on_users_wards(user_id: Any) -> QuerySet[Ward]:
    return Ward.objects.filter(staff=user_id)


class EncounterRead:
    """How a page reads an encounter on one of the user's wards: with its ward and author, and
    what `among` adds (related rows, annotations), in one query compiled once per process."""

    def __init__(
        self, among: Callable[[QuerySet[Encounter]], QuerySet[Encounter]] | None = None
    ) -> None:
        def build(pk: uuid.UUID, user_id: int) -> QuerySet[Encounter]:
            encounters = (
                Encounter.objects.all() if among is None else among(Encounter.objects.all())
            )
            return encounters.select_related("ward", "created_by").filter(
                pk=pk, ward__in=on_users_wards(user_id)
            )

        self.compiled = Compiled(build, [ENCOUNTER_MARKER, USER_MARKER])


ENCOUNTER = EncounterRead()


def encounter_id_or_404(pk: Any) -> uuid.UUID:
    try:
        return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        raise Http404 from None


def encounter_for(
    request: AuthenticatedRequest, pk: Any, read: EncounterRead = ENCOUNTER
) -> Encounter:
    """The encounter if it is on one of the user's wards; otherwise 404 (hides its existence).
    `read` says what the page needs besides, in the same query."""
    encounter = read.compiled.one(encounter_id_or_404(pk), request.user.pk)
    if encounter is None:
        raise Http404("No encounter matches the given query.")
    return encounter


# The wizard reads it on every step, save and banner.
CURRENT_ROUND = Compiled(
    lambda pk, user_id: (
        Round.objects.select_related("encounter__ward", "encounter__created_by")
        .filter(encounter_id=pk, encounter__ward__in=on_users_wards(user_id))
        .order_by("-number")
    ),
    [ENCOUNTER_MARKER, USER_MARKER],
)


def current_round_for(request: AuthenticatedRequest, pk: Any) -> Round:
    """The latest round (being answered, or the last submitted) of an encounter on one of the
    user's wards, read with its encounter in one query; otherwise 404, as `encounter_for`."""
    round = CURRENT_ROUND.one(encounter_id_or_404(pk), request.user.pk)
    if round is None:
        raise Http404("No encounter matches the given query.")
    return round


def submitted_encounter_for(request: AuthenticatedRequest, pk: Any) -> Encounter:
    """An encounter on one of the user's wards with a submitted assessment; otherwise 404
    (a draft has nothing to review yet)."""
    encounter = encounter_for(request, pk)
    if encounter.is_draft:
        raise Http404("This encounter has no submitted assessment yet.")
    return encounter


class SubmittedRoundRead:
    """How a page reads a submitted round with its encounter (its ward and author), on one of
    the user's wards, and what `among` adds (related rows, annotations): in one query compiled
    once per process."""

    def __init__(self, among: Callable[[QuerySet[Round]], QuerySet[Round]] | None = None) -> None:
        def build(pk: uuid.UUID, number: int, user_id: int) -> QuerySet[Round]:
            rounds = Round.objects.all() if among is None else among(Round.objects.all())
            return rounds.select_related("encounter__ward", "encounter__created_by").filter(
                encounter_id=pk,
                number=number,
                status=Round.Status.SUBMITTED,
                encounter__ward__in=on_users_wards(user_id),
            )

        self.compiled = Compiled(build, [ENCOUNTER_MARKER, NUMBER_MARKER, USER_MARKER])

    def of(self, request: AuthenticatedRequest, pk: Any, number: int) -> Round:
        """The round, if its encounter is on one of the user's wards; otherwise 404 (as
        `encounter_for`: another ward's encounter is not said to exist)."""
        round = self.compiled.one(encounter_id_or_404(pk), number, request.user.pk)
        if round is None:
            raise Http404("No assessment matches the given query.")
        return round


SUBMITTED_ROUND = SubmittedRoundRead()


def submitted_round_for(request: AuthenticatedRequest, pk: Any, number: int) -> Round:
    """A submitted round of an encounter on one of the user's wards; otherwise 404."""
    return SUBMITTED_ROUND.of(request, pk, number)


VERSION_RELATED = ("created_by", "published_by", "based_on")


def guidance_version_for(pk: int) -> GuidanceVersion:
    """Any guidance version (guidance admins see them all); otherwise 404."""
    return get_object_or_404(GuidanceVersion.objects.select_related(*VERSION_RELATED), pk=pk)


# No guidance version has the id -1, no entry this key.
_VERSION_MARKER, _KEY_MARKER = -1, "(no such entry)"
GUIDANCE_ENTRY = Compiled(
    lambda version, key: GuidanceEntry.objects.select_related(
        *(f"version__{name}" for name in VERSION_RELATED)
    ).filter(version=version, key=key),
    [_VERSION_MARKER, _KEY_MARKER],
)


def guidance_entry_for(pk: int, key: str) -> GuidanceEntry | None:
    """An entry of any guidance version, with its version read as `guidance_version_for` reads
    it, in one query; None when the version has no such entry (or there is no such version).
    A key PostgreSQL cannot hold (a NUL character, typed into the address) names no entry."""
    if "\x00" in key:
        return None
    return GUIDANCE_ENTRY.one(pk, key)


def record_read(request: AuthenticatedRequest, encounter: Encounter) -> None:
    """A physician's read of a record (page, audit trail, export) goes into its audit trail;
    a nurse's does not."""
    if has_role(request.user, Role.PHYSICIAN):
        record_view(encounter=encounter, by=request.user, path=request.get_full_path())


def record_reads(request: AuthenticatedRequest, encounters: list[Encounter]) -> None:
    """`record_read` of every record one page shows (a ward's handover), in one insert."""
    if encounters and has_role(request.user, Role.PHYSICIAN):
        record_views(encounters=encounters, by=request.user, path=request.get_full_path())
