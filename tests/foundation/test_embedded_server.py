"""The embedded PostgreSQL is shared by the checkout's processes, never left orphaned, stopped
and deleted only on purpose, and started again if it stops under a running app."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from tests.foundation.helpers import ROOT

CONNECT_AND_WAIT = (
    "import django, os, sys, time; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings';"
    "django.setup(); from django.db import connection; connection.ensure_connection();"
    "print('connected', flush=True); time.sleep(60)"
)

# One "request" per line read: as Django does when a request starts, drop an unusable
# connection, then query.
QUERY_PER_LINE = """
import django, os, sys
os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings'
django.setup()
from django.db import connection
for line in sys.stdin:
    connection.close_if_unusable_or_obsolete()
    try:
        with connection.cursor() as cursor:
            cursor.execute('SELECT 1')
            print('answered', cursor.fetchone()[0], flush=True)
    except Exception as error:
        print('failed', type(error).__name__, flush=True)
"""


def servers_for(pgdata: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and pgdata in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def postmaster_for(pgdata: str) -> int | None:
    """The server's main process (the one whose command line names the data folder)."""
    return next((process.pid for process in servers_for(pgdata)), None)


def wait_until_no_server(pgdata: str, seconds: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while servers_for(pgdata) and time.monotonic() < deadline:
        time.sleep(0.2)
    return servers_for(pgdata)


def embedded_env(pgdata: str) -> dict[str, str]:
    env = {**os.environ, "TRIAGE_ENV": "dev", "TRIAGE_PGDATA": pgdata}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def make(target: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`make TARGET` as a developer runs it (the install step taken as done)."""
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", target, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["kill", "hangup"])
def test_a_terminated_last_user_stops_the_embedded_server(tmp_path, signum):
    """Stopped by `kill` or a supervisor (SIGTERM), or its terminal closed (SIGHUP)."""
    pgdata = str(tmp_path / "pgdata")
    with subprocess.Popen(
        [sys.executable, "-c", CONNECT_AND_WAIT],
        cwd=ROOT,
        env=embedded_env(pgdata),
        stdout=subprocess.PIPE,
    ) as process:
        try:
            assert process.stdout.readline().strip() == b"connected"
            assert servers_for(pgdata), "the embedded server should be running"
            process.send_signal(signum)
            process.wait(timeout=30)
        finally:
            process.kill()
    assert wait_until_no_server(pgdata) == []


def test_ctrl_c_on_make_run_stops_the_embedded_server(tmp_path):
    """make, runserver's autoreloader and its child all get the terminal's SIGINT, as when a
    developer presses Ctrl-C; the server goes with the last of them."""
    pgdata = str(tmp_path / "pgdata")
    port = free_port()
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PORT={port}"],
        cwd=ROOT,
        env=embedded_env(pgdata),
        stdout=log,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()
            assert time.monotonic() < deadline, "make run never served"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        assert servers_for(pgdata), "make run should have started the embedded server"
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert wait_until_no_server(pgdata) == [], (tmp_path / "make-run.log").read_text()


def test_clean_db_refuses_while_in_use_and_stop_db_stops_the_server(tmp_path):
    pgdata = str(tmp_path / "pgdata")
    env = embedded_env(pgdata)
    with subprocess.Popen(
        [sys.executable, "-c", CONNECT_AND_WAIT], cwd=ROOT, env=env, stdout=subprocess.PIPE
    ) as process:
        try:
            assert process.stdout.readline().strip() == b"connected"
            refused = make("clean-db", env)
            assert refused.returncode != 0
            assert "Not deleted" in refused.stderr and "in use" in refused.stderr
            assert (tmp_path / "pgdata" / "PG_VERSION").exists()

            stopped = make("stop-db", env)
            assert stopped.returncode == 0, stopped.stderr
            assert "Stopped the embedded database" in stopped.stdout
            assert wait_until_no_server(pgdata) == []
            # The process still uses it (it would start it again): still not deleted.
            assert make("clean-db", env).returncode != 0
        finally:
            process.kill()
            process.wait()
    assert "is not running" in make("stop-db", env).stdout
    cleaned = make("clean-db", env)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not (tmp_path / "pgdata").exists()


def test_a_killed_server_is_started_again_by_the_next_connection(tmp_path):
    pgdata = str(tmp_path / "pgdata")
    with subprocess.Popen(
        [sys.executable, "-c", QUERY_PER_LINE],
        cwd=ROOT,
        env=embedded_env(pgdata),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as app:
        try:

            def request() -> str:
                app.stdin.write("request\n")
                app.stdin.flush()
                return app.stdout.readline().strip()

            assert request() == "answered 1"
            first = postmaster_for(pgdata)
            assert first is not None
            os.kill(first, signal.SIGKILL)  # as the OOM killer or a crash would
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(first).wait(timeout=10)
            assert request() == "answered 1"
            second = postmaster_for(pgdata)
            assert second not in (None, first)
            assert request() == "answered 1"
            app.stdin.close()
            app.wait(timeout=30)
        finally:
            app.kill()
    # The process that started it again stops it when it leaves: nothing is orphaned.
    assert wait_until_no_server(pgdata) == []


def test_the_last_to_leave_stops_a_server_another_process_started_again(tmp_path):
    """A joined the server, it was killed, B's connection started it again and B left first:
    A, the last user, stops the server running now, not only the one it first joined."""
    pgdata = str(tmp_path / "pgdata")
    apps = [
        subprocess.Popen(
            [sys.executable, "-c", QUERY_PER_LINE],
            cwd=ROOT,
            env=embedded_env(pgdata),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    first, second = apps

    def request(app) -> str:
        app.stdin.write("request\n")
        app.stdin.flush()
        return app.stdout.readline().strip()

    try:
        assert request(first) == "answered 1"
        assert request(second) == "answered 1"
        killed = postmaster_for(pgdata)
        os.kill(killed, signal.SIGKILL)
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(killed).wait(timeout=10)
        assert request(second) == "answered 1"  # B starts it again
        assert postmaster_for(pgdata) not in (None, killed)
        assert request(first) == "answered 1"  # A uses the new one
        second.stdin.close()
        second.wait(timeout=30)
        assert servers_for(pgdata), "A still uses it"
        first.stdin.close()
        first.wait(timeout=30)
    finally:
        for app in apps:
            app.kill()
            app.wait()
            app.stdin.close()
            app.stdout.close()
    assert wait_until_no_server(pgdata) == []
