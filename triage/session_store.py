"""Sessions in the database, as Django keeps them, with one statement for a save (activity
saves the session once a minute to slide the idle timeout: `session_lifetime`).

Django wraps each save in a transaction (BEGIN, UPDATE, COMMIT: three round trips), which only
the first save needs: it inserts, and must tell a clash of keys from other errors. Saving an
existing session is a single UPDATE, atomic by itself; when it finds no row (the session was
ended meanwhile, e.g. by signing out in another tab) it says so as Django's store does.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router


class SessionStore(DatabaseSessionStore):
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
