"""The embedded PostgreSQL is shared by the checkout's processes and never left orphaned."""

import os
import signal
import subprocess
import sys
import time

import psutil

from tests.foundation.helpers import ROOT

CONNECT_AND_WAIT = (
    "import django, os, sys, time; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings';"
    "django.setup(); from django.db import connection; connection.ensure_connection();"
    "print('connected', flush=True); time.sleep(60)"
)


def servers_for(pgdata: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and pgdata in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_a_terminated_last_user_stops_the_embedded_server(tmp_path):
    pgdata = str(tmp_path / "pgdata")
    env = {**os.environ, "TRIAGE_ENV": "dev", "TRIAGE_PGDATA": pgdata}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with subprocess.Popen(
        [sys.executable, "-c", CONNECT_AND_WAIT], cwd=ROOT, env=env, stdout=subprocess.PIPE
    ) as process:
        try:
            assert process.stdout.readline().strip() == b"connected"
            assert servers_for(pgdata), "the embedded server should be running"
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        finally:
            process.kill()
    deadline = time.monotonic() + 20
    while servers_for(pgdata) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert servers_for(pgdata) == []
