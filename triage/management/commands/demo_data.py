"""Create the demo users and ward. Development only; safe to run again and again."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from triage.demo import create_demo_encounters
from triage.models import User, Ward
from triage.roles import Role

DEMO_PASSWORD = "triage-demo"  # noqa: S105 - documented demo credential, dev only
DEMO_WARD = "Spinal ward"
DEMO_USERS = (
    # username, roles, superuser
    ("nurse", (Role.NURSE,), False),
    ("physician", (Role.PHYSICIAN,), False),
    ("admin", (Role.GUIDANCE_ADMIN,), True),
)


class Command(BaseCommand):
    help = "Create the demo ward and the nurse, physician and admin users (dev only)."

    def handle(self, *args, **options) -> None:
        if not settings.IS_DEV:
            raise CommandError(
                "demo_data only runs in development (TRIAGE_ENV=dev): it creates users with a "
                "published password."
            )
        with transaction.atomic():
            ward, _ = Ward.objects.get_or_create(name=DEMO_WARD)
            users = {
                username: self._ensure_user(username, roles, superuser, ward)
                for username, roles, superuser in DEMO_USERS
            }
            created = create_demo_encounters(ward=ward, nurse=users["nurse"])
        self.stdout.write(
            f"Demo users ready on {DEMO_WARD!r}: nurse, physician, admin "
            f"(password {DEMO_PASSWORD!r}); {created} demo encounters added."
        )

    def _ensure_user(self, username: str, roles, superuser: bool, ward: Ward) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": superuser, "is_superuser": superuser}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))
        user.wards.add(ward)
        return user
