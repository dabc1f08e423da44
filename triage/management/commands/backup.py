"""`manage.py backup [--folder backups]`: a pg_dump (custom format) of the database.

The file is named by the UTC time it was taken and readable by its owner only; `make backup`
runs this. Restore it with `manage.py restore FILE` (`make restore FILE=...`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) into a folder, named by the time."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--folder", default="backups", help="where to write it (backups/)")

    def handle(self, *args, folder: str, **options) -> None:
        try:
            path = backups.dump(settings.DATABASES["default"], Path(folder))
        except backups.BackupError as error:
            raise CommandError(f"No backup made: {error}") from None
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
