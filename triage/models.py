from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from triage.roles import Role, has_role


class Ward(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A clinician or guideline owner. Nurses work on one ward; physicians may cover several."""

    wards = models.ManyToManyField(Ward, blank=True, related_name="staff")

    def has_role(self, role: Role) -> bool:
        return has_role(self, role)

    @property
    def home_ward(self) -> Ward | None:
        """The ward to prefill on a new encounter: the user's only ward, if they have one."""
        wards = list(self.wards.all()[:2])
        return wards[0] if len(wards) == 1 else None
