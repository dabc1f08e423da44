"""Run the project's own commands in a fresh process, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(args: list[str], env: dict[str, str], timeout: int = 120):
    """Run `python ARGS` from the project root with exactly these environment overrides.

    Variables set to "" are removed, so a test can say "SECRET_KEY is missing".
    """
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests only
    for name, value in env.items():
        if value == "":
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


PRODUCTION_ENV = {
    "TRIAGE_ENV": "",
    "SECRET_KEY": "k3Zq9-production-like-secret-7fD2pLx0wQ8vN4mR6tY1uI5oP3aS9dF2gH7jK0lZ",
    "ALLOWED_HOSTS": "triage.example.org",
    "DATABASE_URL": "postgres://triage_app:secret@127.0.0.1:5432/triage",
    "DATABASE_OWNER_URL": "postgres://triage:secret@127.0.0.1:5432/triage",
}


def connect_as(role: dict[str, str], **options):
    """A separate psycopg connection to the test database (or `dbname=` another on the same
    server), logged in as the given role."""
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.update(user=role["USER"], password=role["PASSWORD"] or None)
    return psycopg.connect(**{**params, **options})
