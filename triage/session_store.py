"""Sessions in the database, as Django keeps them, each with its user's id in a column of its
own, so that a signed-in request reads its session and its user in one statement.

Every signed-in request reads its session, then its user (with their roles, wards and
confirmed second-factor devices: `auth_backend.signed_in_users`): one read does both, joined on
the session's user column, and the backend (`auth_backend.RolesBackend`) takes that user. A
session without one (not signed in, or saved before the column) is then read alone, and its
user, if any, by id. Django still checks the session against the user it gets (`auth.get_user`: the
user id in the session's data, and its password hash).

Django wraps each save in a transaction (BEGIN, UPDATE, COMMIT: three round trips), which only
the first save needs: it inserts, and must tell a clash of keys from other errors. Saving an
existing session is a single UPDATE, atomic by itself; when it finds no row (the session was
ended meanwhile, e.g. by signing out in another tab) it says so as Django's store does.

Both reads' SQL is compiled once per process (`compiled_sql`), not once per request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import F
from django.utils import timezone

from triage.auth_backend import signed_in_users
from triage.compiled_sql import Compiled
from triage.models import BrowserSession, User

# Mark where the session's key and the time now go (no session has either).
MARKERS = ["\x00session key", datetime(1900, 1, 1, tzinfo=UTC)]

LIVE_SESSION = Compiled(
    lambda key, now: BrowserSession.objects.filter(session_key=key, expire_date__gt=now),
    MARKERS,
)

# The session's user, as the backend reads a user, with the session's own columns.
SESSION_USER = Compiled(
    lambda key, now: signed_in_users(
        User._default_manager.filter(
            browser_sessions__session_key=key, browser_sessions__expire_date__gt=now
        )
    ).annotate(
        session_data=F("browser_sessions__session_data"),
        session_expire_date=F("browser_sessions__expire_date"),
    ),
    MARKERS,
)


class SessionStore(DatabaseSessionStore):
    # The session's user, read with it (None until it is read, or when it has none).
    user_read: User | None = None

    @classmethod
    def get_model_class(cls) -> type[BrowserSession]:
        return BrowserSession

    def _get_session_from_db(self) -> BrowserSession | None:
        if not self.session_key:
            return None
        now = timezone.now()
        user = SESSION_USER.one(self.session_key, now)
        if user is not None:
            self.user_read = user
            return BrowserSession(  # the session's columns are not the user's to keep
                session_key=self.session_key,
                session_data=user.__dict__.pop("session_data"),
                expire_date=user.__dict__.pop("session_expire_date"),
                user_id=user.pk,
            )
        session = LIVE_SESSION.one(self.session_key, now)
        if session is None:
            self._session_key = None
        return session

    def create_model_instance(self, data: dict[str, Any]) -> BrowserSession:
        session = cast(BrowserSession, super().create_model_instance(data))
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        using = router.db_for_write(self.model, instance=obj)
        updated = (
            self.model._default_manager.using(using)
            .filter(pk=obj.pk)
            .update(session_data=obj.session_data, expire_date=obj.expire_date, user_id=obj.user_id)
        )
        if not updated:
            raise UpdateError


def _user_id(value: Any) -> int | None:
    """The user id the session's data holds, read as Django and the backend read it."""
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None
