"""The three roles of the product, held as Django auth groups (created by a data migration)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    NURSE = "nurse"
    PHYSICIAN = "physician"
    GUIDANCE_ADMIN = "guidance_admin"

    @property
    def label(self) -> str:
        return {"nurse": "Nurse", "physician": "Physician", "guidance_admin": "Guidance admin"}[
            self.value
        ]


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds, cached on the user object for the request (a signed-in user
    comes with their roles' names, `auth_backend.with_role_names`: no query then)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_triage_roles", None)
    if cached is None:
        names = getattr(user, "role_names", None)
        if names is None:
            names = user.groups.values_list("name", flat=True)
        names = set(names)
        cached = frozenset(role for role in Role if role.value in names)
        user._triage_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)
