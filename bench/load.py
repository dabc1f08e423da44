"""`make load`: locust, headless, 40 users for LOAD_TIME (default 2m) against gunicorn on
127.0.0.1; prints the 95th percentile and exits non-zero on any failed request.

The server runs with production settings (TRIAGE_ENV unset: DEBUG off, hashed and compressed
static files, the production password hashing, session and security settings) except the ones
that need TLS, since locust speaks plain HTTP to 127.0.0.1: SECURE_SSL_REDIRECT, SECURE_COOKIES
and HSTS are off, as the README allows on one's own machine. A random SECRET_KEY is made per
run. The database is the embedded PostgreSQL in `.pgdata-load/`, migrated and given the demo
users and encounters (`demo_data`, which runs only in development settings) before the run.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

from server import BIN, LOGS, ROOT, demo_production_env, serving

USERS = os.environ.get("LOAD_USERS", "40")
SPAWN_RATE = "10"


def main() -> int:
    production = demo_production_env("load")
    LOGS.mkdir(exist_ok=True)
    prefix = LOGS / "load"
    duration = os.environ.get("LOAD_TIME") or "2m"
    with serving(production, "load") as url:
        command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            USERS,
            "--spawn-rate",
            SPAWN_RATE,
            "--run-time",
            duration,
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
        ]
        print(f"locust: {USERS} users for {duration} against {url}", flush=True)
        code = subprocess.run(command, cwd=ROOT).returncode
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    print(
        f"\nload: {total['Request Count']} requests, {failures} failures, "
        f"{float(total['Requests/s']):.1f} requests/s, median {total['50%']} ms, "
        f"p95 {total['95%']} ms, p99 {total['99%']} ms"
    )
    return 1 if failures or code else 0


if __name__ == "__main__":
    sys.exit(main())
