"""Personal API tokens: how a call to `/api/` is signed without a browser session.

A token is `vpt_` followed by 43 random URL-safe characters (256 bits), sent as
`Authorization: Bearer <token>`. Only its SHA-256 digest is stored, so the table cannot be used
to call the API; the token is unguessable, so a plain digest (no salt, no slow hash) is enough
and a lookup is one indexed query. Tokens are made and revoked in `triage.actions.api_tokens`.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from triage.auth_backend import with_role_names
from triage.compiled_sql import Compiled
from triage.models import ApiToken, User

PREFIX = "vpt_"
USE_NOTED_EVERY = timedelta(minutes=1)
API_PATH = "/api/"


def digest_of(raw: str) -> str:
    """
    >>> digest_of("vpt_example")[:16]
    'f00087fb409c6951'
    """
    return hashlib.sha256(raw.encode()).hexdigest()


def live_tokens(digest: str, now: datetime) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(digest=digest, revoked_at__isnull=True, expires_at__gt=now)


# The user with their roles, as a session's user comes, and when the token was last used (one
# query), compiled once per process (`compiled_sql`); the markers (no token has that digest, none
# expires in 1900) mark where the request's values go.
TOKEN_USER = Compiled(
    lambda digest, now: (
        with_role_names(
            User.objects.filter(api_tokens__in=live_tokens(digest, now), is_active=True)
        )
        .annotate(token_last_used_at=Max("api_tokens__last_used_at"))
        .order_by("pk")
    ),
    ["\x00token digest", datetime(1900, 1, 1, tzinfo=UTC)],
)


def user_for(raw: str) -> User | None:
    """The active user whose live (unrevoked, unexpired) token this is, or None."""
    now = timezone.now()
    digest = digest_of(raw)
    user = TOKEN_USER.one(digest, now)
    if user is None:
        return None
    # When it was last used, to the minute (the tokens page shows minutes): written at most
    # once a minute, not on every call (a write, with its commit, per call). The read says
    # whether a minute has passed; the write checks again, so two calls at once write once.
    last_used = getattr(user, "token_last_used_at")  # noqa: B009 - an annotation
    if last_used is None or last_used <= now - USE_NOTED_EVERY:
        live_tokens(digest, now).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_NOTED_EVERY)
        ).update(last_used_at=now)
    return user


def bearer_token(request: HttpRequest) -> str | None:
    """The token an `/api/` request is signed with, if it names one (HTML pages never are)."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if request.path.startswith(API_PATH) and scheme.lower() == "bearer":
        return raw.strip()
    return None


class ApiTokenMiddleware:
    """Signs an `/api/` request with its bearer token, in place of any session.

    A request that names a token is never served on a cookie instead: a wrong, revoked or
    expired token gets 401 with the reason, so a script fails loudly rather than as someone else.
    Bearer tokens are ignored outside `/api/`: the HTML pages keep sessions and CSRF.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token(request)
        if raw is not None:
            user = user_for(raw)
            if user is None:
                message = "the API token is not valid: unknown, revoked or expired"
                response = JsonResponse({"errors": {"(request)": [message]}}, status=401)
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            request.user = user
        return self.get_response(request)
