"""The signed-in user, loaded with the names of their roles, their wards and their confirmed
second-factor devices in the same query.

Every page asks which roles the user holds (the guard, the navigation, the second factor), so
the user's row and their groups come back together: one query per request, not two. Its SQL
is compiled once per process (`compiled_sql`): building it was half a signed-in request's time.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject

from triage.compiled_sql import USER_MARKER, Compiled
from triage.models import User, Ward
from triage.two_factor import with_confirmed_devices


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


# `USER_MARKER` (a user id no account has) only marks where the real id goes.
USER_WITH_ROLES = Compiled(
    lambda pk: with_confirmed_devices(with_role_names(User._default_manager.filter(pk=pk))),
    [USER_MARKER],
)


class RolesBackend(ModelBackend):
    """Django's password backend, whose signed-in user carries their roles."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = USER_WITH_ROLES.one(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
