"""A session ends a fixed time after sign-in, however active it is (`SESSION_MAX_HOURS`), as
well as after the idle timeout: a ward PC left signed in is not signed in for ever."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"


def note_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On `user_logged_in`: when this session's sign-in happened."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


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
        return self.get_response(request)
