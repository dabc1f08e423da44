"""`manage.py restore FILE [--database NAME] [--yes]`: replace the database with a backup.

Asks first, in words, unless the target database is empty or --yes is given. With --database,
restores into another database on the same server (an empty one made for a restore drill)
instead. Everything is replaced in one transaction: a failed restore changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage import backups


class Command(BaseCommand):
    help = "Replace the database (or another, empty one with --database) with a backup."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a backup made by `manage.py backup` or pg_dump -Fc")
        parser.add_argument("--database", help="restore into this database on the same server")
        parser.add_argument("--yes", action="store_true", help="do not ask first")

    def handle(self, *args, file: str, database: str | None, yes: bool, **options) -> None:
        config = settings.DATABASES["default"]
        target = database or config["NAME"]
        try:
            what = backups.describe(config, Path(file))
            if not yes and not backups.is_empty(config, name=target):
                self.stdout.write(
                    f"This replaces everything now in database {target} with the backup {what}."
                )
                if input("Type yes to restore it: ").strip().lower() != "yes":
                    raise CommandError("Nothing was restored.")
            backups.restore(config, Path(file), name=target)
        except backups.BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        self.stdout.write(
            f"Restored {what} into database {target}. Restart the app (or `make run`) so every "
            "process starts from the restored data."
        )
