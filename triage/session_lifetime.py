"""A session ends a fixed time after sign-in, however active it is (`SESSION_MAX_HOURS`), as
well as after the idle timeout: a ward PC left signed in is not signed in for ever.

Activity slides the idle timeout: a signed-in request saves the session (new expiry, new
cookie) when its last save is `SESSION_TOUCH_SECONDS` old, rather than on every request (a
write per page); so a session ends at most that much before the full idle time, never after.

A signed cookie remembers who signed in on this browser, for as long as a session may last:
only a form posted by someone whose session has ended is kept for them to send again after
signing in (`access.keep_unsent_post`), never one posted by a stranger who never signed in."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"
TOUCHED_AT = "touched_at"
SALT = "triage.session_lifetime.signed_in_here"


def cookie_name() -> str:
    return ("__Host-" if settings.SESSION_COOKIE_SECURE else "") + "signed_in_here"


def signed_in_here(request: HttpRequest) -> int | None:
    """The id of the user who last signed in on this browser, while a session could still last."""
    value = request.get_signed_cookie(
        cookie_name(), default=None, salt=SALT, max_age=settings.SESSION_MAX_HOURS * 3600
    )
    return int(value) if value and value.isdigit() else None


def note_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On `user_logged_in`: when this session's sign-in happened (and its last save)."""
    if request is not None and hasattr(request, "session"):
        # Signing in saves the session: the idle timeout starts now, as does the session.
        request.session[SIGNED_IN_AT] = request.session[TOUCHED_AT] = int(time.time())


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:  # signed in by this session (not by an API token)
            signed_in_at = session.setdefault(SIGNED_IN_AT, int(time.time()))
            if time.time() - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out {settings.SESSION_MAX_HOURS} hours after signing in, "
                    "as every session is. Sign in again; unsubmitted assessments are kept.",
                )
            elif time.time() - session.get(TOUCHED_AT, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[TOUCHED_AT] = int(time.time())  # saved: the idle timeout starts again
        response = self.get_response(request)
        user_id = request.session.get(SESSION_KEY)
        if user_id is not None and str(signed_in_here(request)) != str(user_id):
            response.set_signed_cookie(
                cookie_name(),
                str(user_id),
                salt=SALT,
                max_age=settings.SESSION_MAX_HOURS * 3600,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
