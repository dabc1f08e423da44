"""Sessions in the database, as Django keeps them, read and saved with one statement each.

Django wraps each save in a transaction (BEGIN, UPDATE, COMMIT: three round trips), which only
the first save needs: it inserts, and must tell a clash of keys from other errors. Saving an
existing session is a single UPDATE, atomic by itself; when it finds no row (the session was
ended meanwhile, e.g. by signing out in another tab) it says so as Django's store does.

Every signed-in request reads its session: that read's SQL is compiled once per process
(`compiled_sql`), not once per request.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from triage.compiled_sql import Compiled

# Marks where the session's key and the time now go (no session has either).
LIVE_SESSION = Compiled(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    ["\x00session key", datetime(1900, 1, 1, tzinfo=UTC)],
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        session = LIVE_SESSION.one(self.session_key, timezone.now()) if self.session_key else None
        if session is None:
            self._session_key = None
        return session

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        using = router.db_for_write(self.model, instance=obj)
        updated = (
            self.model._default_manager.using(using)
            .filter(pk=obj.pk)
            .update(session_data=obj.session_data, expire_date=obj.expire_date)
        )
        if not updated:
            raise UpdateError
