"""`make fuzz`, second half: schemathesis against the served OpenAPI document.

Starts gunicorn on 127.0.0.1 (development settings with DEBUG off, so errors are answered as
in production; the embedded database in `.pgdata-fuzz/`), makes a throwaway nurse with an API
token (`bench/fuzz_user.py`), runs `schemathesis run` with every check and both positive and
negative data, then stops the server. Exits with schemathesis' status: non-zero on any server
error, schema violation or other failed check.
"""

from __future__ import annotations

import os
import subprocess
import sys

from server import BIN, ROOT, manage, serving

EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "300")


def main() -> int:
    env = {
        **os.environ,
        "TRIAGE_ENV": "dev",
        "DEBUG": "false",
        "TRIAGE_PGDATA": str(ROOT / ".pgdata-fuzz"),
    }
    env.pop("DATABASE_URL", None)
    manage("migrate", "--noinput", env=env)
    token = subprocess.run(
        [str(BIN / "python"), "bench/fuzz_user.py"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    with serving(env, "fuzz") as url:
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--mode",
            "all",
            "--max-examples",
            EXAMPLES,
            "--workers",
            "2",
        ]
        print("schemathesis run", f"{url}/api/v1/openapi.json", "(token hidden)", flush=True)
        hooks = {"SCHEMATHESIS_HOOKS": "fuzz_hooks", "PYTHONPATH": str(ROOT / "bench")}
        return subprocess.run(command, cwd=ROOT, env=env | hooks).returncode


if __name__ == "__main__":
    sys.exit(main())
