"""The review queue's patient search, kept on the server: never in an address.

A patient identifier in a URL is written into access logs, browser history and the Referer
header of the next page. So the queue's search box is posted, and what was typed is kept in
the database (`QueueSearch`) under a short random token; the queue's addresses (its pages, the
Back button, htmx swaps) carry only the token. A search lasts SEARCH_MINUTES from when it was
made and answers only the user who made it; expired searches are deleted as new ones are made.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from triage.models import QueueSearch, User

SEARCH_MINUTES = 30
# secrets.token_urlsafe(16): 22 characters of the URL-safe base64 alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def stash(*, user: User, text: str, now: datetime) -> str:
    """Keep `text`, searched by `user` at `now`, and return its new token."""
    QueueSearch.objects.filter(expires_at__lte=now).delete()
    token = secrets.token_urlsafe(16)
    QueueSearch.objects.create(
        token=token, user=user, text=text, expires_at=now + timedelta(minutes=SEARCH_MINUTES)
    )
    return token


def recall(*, user: User, token: str, now: datetime) -> str | None:
    """What `user` searched under `token`, or None when the token is not theirs, has expired,
    or is not a token at all."""
    if not TOKEN.fullmatch(token):
        return None
    return (
        QueueSearch.objects.filter(token=token, user=user, expires_at__gt=now)
        .values_list("text", flat=True)
        .first()
    )
