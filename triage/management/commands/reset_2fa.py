"""`manage.py reset_2fa USERNAME`: remove a user's second-factor devices (a lost phone, used-up
recovery codes) so that they set up an authenticator app again at their next sign-in. The
reset is recorded (source "command")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from triage.actions.two_factor import reset
from triage.models import TwoFactorReset, User


class Command(BaseCommand):
    help = (
        "Reset a user's two-factor authentication: they set up an authenticator app again at "
        "their next sign-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        record = reset(user=user, by=None, source=TwoFactorReset.Source.COMMAND)
        self.stdout.write(
            f"Two-factor authentication reset for {username} ({record.devices_removed} "
            "device(s) removed): they set up an authenticator app again at their next sign-in."
        )
