"""Backups: a pg_dump of the database in PostgreSQL's custom format, and its restore.

Works for whatever `DATABASES["default"]` names, as that user: the embedded server (over its
socket, with pgserver's own programs, which match its version) or a server named by
DATABASE_URL (with the pg_dump, pg_restore and psql on PATH, which must be of the server's
version or newer). A restore replaces the whole `public` schema in one transaction: if any
statement fails, nothing changes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Connection options that libpq also reads from the environment.
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}
# Before the backup's own statements, in the restore's one transaction: the schema emptied
# (tables of later migrations too), and a wait for locks bounded so a busy app fails it.
RESET_SCHEMA = (
    "SET lock_timeout = '15s'; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"
)


class BackupError(Exception):
    """A backup or restore failed; the message says why in words, with the tool's own."""


@dataclass(frozen=True)
class Client:
    """How to run PostgreSQL's client programs against one database."""

    bin_dir: Path | None  # None: the programs on PATH
    env: dict[str, str]
    label: str

    def program(self, name: str) -> str:
        found = str(self.bin_dir / name) if self.bin_dir else shutil.which(name)
        if not found:
            raise BackupError(f"{name} is not installed (it comes with PostgreSQL's client).")
        return found

    def run(self, name: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        # The program is PostgreSQL's own and every argument a list item: no shell.
        result = subprocess.run(  # noqa: S603
            [self.program(name), *args],
            env=self.env,
            capture_output=True,
            check=False,
            **({"text": True} | kwargs),
        )
        if result.returncode != 0:
            raise BackupError(f"{name} failed on {self.label}: {_text(result.stderr)}")
        return result


def _text(output: str | bytes) -> str:
    text = output.decode(errors="replace") if isinstance(output, bytes) else output
    return text.strip() or "(no message)"


def client_for(database: dict, *, name: str | None = None) -> Client:
    """The client for `database` (a DATABASES entry), or for another database `name` on the
    same server (an empty one for a restore drill)."""
    name = name or database["NAME"]
    # Backups and restores are the owner's work: the application's login may not replace tables.
    login = (database.get("ROLES") or {}).get("owner") or database
    env = {**os.environ, "PGDATABASE": name, "PGUSER": login.get("USER") or ""}
    if login.get("PASSWORD"):
        env["PGPASSWORD"] = login["PASSWORD"]
    if database["ENGINE"] == "triage.db.embedded":
        from triage.db.embedded import server

        env["PGHOST"] = server.socket_dir(database["PGDATA"])  # starts it when needed
        bin_dir: Path | None = server.bin_dir(database["PGDATA"])
        label = f"database {name} of the embedded server in {database['PGDATA']}"
    else:
        env["PGHOST"] = database.get("HOST") or ""
        env["PGPORT"] = str(database.get("PORT") or "")
        bin_dir = None
        label = f"database {name} on {env['PGHOST'] or 'the local socket'}"
    for option, value in (database.get("OPTIONS") or {}).items():
        if option in LIBPQ_OPTIONS:
            env[f"PG{option.upper()}"] = str(value)
    return Client(bin_dir, {k: v for k, v in env.items() if v != ""}, label)


def dump(database: dict, folder: Path) -> Path:
    """Write a backup of `database` into `folder` (made private), named by the UTC time it was
    taken; a partly written file never carries the final name."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    target = folder / f"triage-{stamp}.dump"
    if target.exists():
        raise BackupError(f"{target} already exists; wait a second and try again.")
    partial = folder / f".{target.name}.partial"
    try:
        client_for(database).run("pg_dump", "--format=custom", "--no-password", f"-f{partial}")
        partial.chmod(0o600)  # patient data: readable by its owner only
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def describe(database: dict, backup: Path) -> str:
    """What a backup is, from its own table of contents: which database, when taken. Refuses a
    file that is not a custom-format backup."""
    if not backup.is_file():
        raise BackupError(f"There is no backup file at {backup}.")
    listing = client_for(database).run("pg_restore", "--list", str(backup)).stdout
    taken = re.search(r"^; Archive created at (.+)$", listing, re.MULTILINE)
    source = re.search(r"^;\s+dbname: (.+)$", listing, re.MULTILINE)
    return (
        f"{backup} (database {source.group(1).strip() if source else '?'}, "
        f"taken {taken.group(1).strip() if taken else 'at an unknown time'})"
    )


def is_empty(database: dict, *, name: str | None = None) -> bool:
    """Whether the database holds no tables of its own yet."""
    query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    result = client_for(database, name=name).run("psql", "-XtAc", query)
    return result.stdout.strip() == "0"


def restore(database: dict, backup: Path, *, name: str | None = None) -> None:
    """Replace everything in `database` (or database `name` on the same server) with the
    backup, in one transaction. Owners are not restored (the restoring user owns every
    object); grants are, so the roles they name must exist."""
    describe(database, backup)
    client = client_for(database, name=name)
    with subprocess.Popen(  # noqa: S603 (PostgreSQL's own program, no shell)
        [client.program("pg_restore"), "--no-owner", "-f-", str(backup)],
        env=client.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as sql:
        try:
            client.run(
                "psql",
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={RESET_SCHEMA}",
                "--file=-",
                stdin=sql.stdout,
                text=False,
            )
        finally:
            sql.stdout.close()  # type: ignore[union-attr]
            errors = sql.stderr.read()  # type: ignore[union-attr]
            sql.wait()
    if sql.returncode != 0:
        raise BackupError(f"pg_restore failed on {client.label}: {_text(errors)}")
