"""`manage.py embedded_db stop|clean|status`: the embedded PostgreSQL of this checkout.

`stop` stops its server (`make stop-db`); `clean` deletes its data folder, refusing while the
server runs or a process still uses it (`make clean-db`); `status` says which. None of them
starts the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage.db.embedded import server


class Command(BaseCommand):
    help = "Stop, delete or report on the embedded PostgreSQL (the one used without DATABASE_URL)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=("stop", "clean", "status"))

    def handle(self, *args, action: str, **options) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "triage.db.embedded":
            raise CommandError(
                "DATABASE_URL is set, so there is no embedded database here to stop or delete."
            )
        pgdata = Path(database["PGDATA"]).expanduser().resolve()
        {"stop": self.stop, "clean": self.clean, "status": self.status}[action](pgdata)

    def stop(self, pgdata: Path) -> None:
        pid = server.stop(pgdata)
        if pid is None:
            self.stdout.write(f"The embedded database in {pgdata} is not running.")
            return
        self.stdout.write(f"Stopped the embedded database in {pgdata} (server process {pid}).")
        if still := server.users(pgdata):
            self.stdout.write(
                f"Processes {', '.join(map(str, still))} still use it and will start it again "
                "on their next request; stop them (Ctrl-C on `make run`) to keep it stopped."
            )

    def clean(self, pgdata: Path) -> None:
        if in_use := self.in_use(pgdata):
            raise CommandError(
                f"Not deleted: the embedded database in {pgdata} is in use ({in_use}). "
                "Stop `make run` (Ctrl-C) and any other command using it, or run "
                "`make stop-db`, then try again."
            )
        if pgdata.exists():
            shutil.rmtree(pgdata)
            self.stdout.write(f"Deleted the embedded database in {pgdata}.")
        else:
            self.stdout.write(f"There is no embedded database in {pgdata}.")

    def status(self, pgdata: Path) -> None:
        self.stdout.write(
            f"The embedded database in {pgdata} is {self.in_use(pgdata) or 'not running'}."
        )

    @staticmethod
    def in_use(pgdata: Path) -> str:
        """In words: the running server and the live processes using it; "" when neither."""
        parts = []
        if (pid := server.running_postmaster(pgdata)) is not None:
            parts.append(f"its server runs as process {pid}")
        if users := server.users(pgdata):
            parts.append(f"used by process {', '.join(map(str, users))}")
        return "; ".join(parts)
