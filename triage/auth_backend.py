"""The signed-in user, loaded with the names of their roles, their wards and their confirmed
second-factor devices in the same query, itself the query that reads the request's session.

Every page asks which roles the user holds (the guard, the navigation, the second factor), so
the user's row and their groups come back together, and with the session the request is signed
in by (`session_store`): one query per request, not three. Its SQL is compiled once per
process (`compiled_sql`): building it was half a signed-in request's time.

Django works out the request's user as ever (`auth.get_user`: the session's user id, this
backend, then the session checked against the user's password hash); `AuthenticationMiddleware`
only lets this backend take the user its session was read with, rather than read them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from triage.compiled_sql import USER_MARKER, Compiled
from triage.models import User, Ward
from triage.two_factor import with_confirmed_devices, with_device


def with_role_names(users: QuerySet[User]) -> QuerySet[User]:
    """`users`, each with `role_names`: the names of their groups (read by `roles.roles_of`),
    and `ward_rows`: their wards' ids and names, by name (read by `User.ward_list`)."""
    names = Group.objects.filter(user=OuterRef("pk")).values("name")
    wards = (
        Ward.objects.filter(staff=OuterRef("pk"))
        .order_by("name")
        .values(json=JSONObject(id="pk", name="name"))
    )
    return users.annotate(role_names=ArraySubquery(names), ward_rows=ArraySubquery(wards))


def signed_in_users(users: QuerySet[User]) -> QuerySet[User]:
    """`users` as a request's user is read: with their roles, wards and confirmed devices."""
    return with_confirmed_devices(with_role_names(users))


# `USER_MARKER` (a user id no account has) only marks where the real id goes.
USER_WITH_ROLES = Compiled(
    lambda pk: signed_in_users(User._default_manager.filter(pk=pk)), [USER_MARKER]
)

# The session whose user Django is working out (set by `AuthenticationMiddleware`).
_session_read: ContextVar[Any] = ContextVar("the session whose user is being worked out")


class RolesBackend(ModelBackend):
    """Django's password backend, whose signed-in user carries their roles."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _read_with_session(pk) or USER_WITH_ROLES.one(pk)
        return user if user is not None and self.user_can_authenticate(user) else None


def _read_with_session(pk: Any) -> User | None:
    """The user with this id, if the session being worked out was read with them."""
    user = getattr(_session_read.get(None), "user_read", None)
    return user if user is not None and user.pk == pk else None


@contextmanager
def _reading_user_of(session: Any) -> Iterator[None]:
    token = _session_read.set(session)
    try:
        yield
    finally:
        _session_read.reset(token)


def request_user(request: HttpRequest) -> Any:
    """Django's `auth.get_user`, once per request, which may take the session's own user."""
    if not hasattr(request, "_cached_user"):
        with _reading_user_of(request.session):
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, whose `request.user` may be the user read with the request's session, and
    which says which second factor (if any) verified this session (`two_factor.with_device`,
    as django-otp's middleware does, without its query)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(  # type: ignore[assignment]
            lambda: with_device(request, request_user(request))
        )
