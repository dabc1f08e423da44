"""Run the product under gunicorn on 127.0.0.1 for `make fuzz` and `make load`, and stop it.

The command is the Makefile's `GUNICORN_CMD` (what `make serve`, the Dockerfile and compose
run), bound to 127.0.0.1 on a free port instead of 0.0.0.0:8000. Each run keeps its own
embedded database folder (`TRIAGE_PGDATA`), so the development data in `.pgdata/` is never
touched, and writes the server's log under `.bench/`.
"""

from __future__ import annotations

import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
LOGS = ROOT / ".bench"
DEFAULT_COMMAND = (
    "gunicorn triage.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str]) -> str:
    """Run `manage.py args` with `env`; its standard output (fails loudly)."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def demo_production_env(name: str) -> dict[str, str]:
    """The environment of a production server on 127.0.0.1 over the demo data, in its own
    embedded database (`.pgdata-<name>/`, migrated and given the demo data first), with a fresh
    SECRET_KEY and static files collected."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRIAGE_ENV")}
    base["TRIAGE_PGDATA"] = str(ROOT / f".pgdata-{name}")
    dev = base | {"TRIAGE_ENV": "dev"}
    manage("migrate", "--noinput", env=dev)
    manage("demo_data", env=dev)
    production = base | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    manage("collectstatic", "--noinput", "-v", "0", env=production)
    return production


def gunicorn_argv(port: int) -> list[str]:
    argv = shlex.split(os.environ.get("GUNICORN_CMD") or DEFAULT_COMMAND)
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    argv[0] = str(BIN / argv[0])
    return argv


@contextmanager
def serving(env: dict[str, str], name: str) -> Iterator[str]:
    """gunicorn serving the product with `env`; yields its base URL, stops it on the way out."""
    port = free_port()
    LOGS.mkdir(exist_ok=True)
    log = (LOGS / f"{name}-server.log").open("w")
    process = subprocess.Popen(
        gunicorn_argv(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"the server did not start; see {log.name}")
                time.sleep(0.5)
        print(f"gunicorn on {url} (log: {Path(log.name).relative_to(ROOT)})", flush=True)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
