"""The signed-in user, loaded with the names of their roles in the same query.

Every page asks which roles the user holds (the guard, the navigation, the second factor), so
the user's row and their groups come back together: one query per request, not two.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet

from triage.models import User


def with_role_names(users: QuerySet[User]) -> QuerySet[User]:
    """`users`, each with `role_names`: the names of their groups (read by `roles.roles_of`)."""
    names = Group.objects.filter(user=OuterRef("pk")).values("name")
    return users.annotate(role_names=ArraySubquery(names))


class RolesBackend(ModelBackend):
    """Django's password backend, whose signed-in user carries their roles."""

    def get_user(self, user_id: Any) -> User | None:
        user = with_role_names(User._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
