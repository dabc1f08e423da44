import doctest
import http.client
import os
import re
import shlex
import socket
import stat
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
import yaml
from django.db import connection

from tests.foundation.helpers import PRODUCTION_ENV, ROOT
from triage import backups, healthcheck


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def gunicorn_part(command: str) -> str:
    match = re.search(r"gunicorn [^\"\n]*", command)
    assert match, command
    return match.group(0).strip()


def test_compose_has_a_healthy_postgres_with_a_named_volume():
    compose = load_compose()
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    volume, mount = db["volumes"][0].split(":")
    assert volume in compose["volumes"]
    assert mount == "/var/lib/postgresql/data"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_web_is_built_configured_and_waits_for_the_database():
    web = load_compose()["services"]["web"]
    assert web["build"] == "."
    assert web["ports"] == ["8000:8000"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert web["environment"][name] == f"${{{name}:?set {name} in .env}}"


def test_compose_migrates_as_the_owner_and_serves_as_the_application():
    services = load_compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("DATABASE_URL", "DATABASE_OWNER_URL"):
        assert migrate["environment"][name] == f"${{{name}:?set {name} in .env}}"
    for name in ("web", "housekeeping"):
        assert "DATABASE_OWNER_URL" not in services[name]["environment"]
        assert "migrate" not in services[name]["command"]


def test_compose_dockerfile_and_makefile_serve_with_the_same_command():
    makefile = (ROOT / "Makefile").read_text()
    make_cmd = re.search(r"^GUNICORN_CMD := (.+)$", makefile, re.MULTILINE).group(1).strip()
    web = load_compose()["services"]["web"]
    assert gunicorn_part(web["command"]) == make_cmd
    assert gunicorn_part((ROOT / "Dockerfile").read_text()) == make_cmd


def test_dockerfile_installs_the_lock_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile


def test_env_example_documents_every_variable_the_settings_read():
    settings_source = (ROOT / "triage" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|required)\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the settings read no variables?"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_compose_clears_expired_sessions_every_hour():
    housekeeping = load_compose()["services"]["housekeeping"]
    assert housekeeping["build"] == "."
    assert "python manage.py clearsessions" in housekeeping["command"]
    assert "sleep 3600" in housekeeping["command"]
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert housekeeping["environment"][name] == f"${{{name}:?set {name} in .env}}"


def compose_command(command: str) -> list[str]:
    """A compose `command:` string as compose runs it: `$$` is a literal `$`, then split."""
    return shlex.split(command.replace("$$", "$"))


def test_compose_web_healthcheck_passes_under_production_defaults(db, tmp_path):
    """The healthcheck's exact command, against gunicorn with the production settings
    (https redirect on, one allowed host), serving from the test database."""
    test = load_compose()["services"]["web"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    probe = [sys.executable, *test[2:]]
    port = free_port()
    params = connection.get_connection_params()
    query = urlencode({"host": params["host"], "port": params.get("port") or 5432})
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://{params['user']}:{params.get('password') or ''}@"
        f"/{params['dbname']}?{query}",
        "HEALTHCHECK_PORT": str(port),
    }
    # The test database's own login serves; the production example's owner is another server.
    for name in (
        "TRIAGE_ENV",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
        "DATABASE_OWNER_URL",
    ):
        env.pop(name, None)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "triage.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn never listened"
            with socket.socket() as probe_socket:
                if probe_socket.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        result = subprocess.run(
            probe, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # Only /healthz is exempt: every page still redirects plain HTTP to https.
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        page.request("GET", "/accounts/login/", headers={"Host": "triage.example.org"})
        response = page.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == "https://triage.example.org/accounts/login/"
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_the_healthcheck_reports_a_server_that_does_not_answer():
    env = {**os.environ, "HEALTHCHECK_PORT": str(free_port()), "ALLOWED_HOSTS": "a.example"}
    test = load_compose()["services"]["web"]["healthcheck"]["test"]
    result = subprocess.run(
        [sys.executable, *test[2:]], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stdout.startswith("unhealthy: no answer from port")


def test_the_healthcheck_host_comes_from_allowed_hosts():
    assert doctest.testmod(healthcheck).attempted == 3
    assert doctest.testmod(healthcheck).failed == 0


def test_compose_backs_up_nightly_with_the_servers_pg_dump_and_keeps_two_weeks():
    compose = load_compose()
    backup = compose["services"]["backup"]
    assert backup["image"] == compose["services"]["db"]["image"]  # pg_dump matches the server
    assert backup["depends_on"]["db"]["condition"] == "service_healthy"
    volume, mount = backup["volumes"][0].split(":")
    assert volume in compose["volumes"] and mount == "/backups"
    assert (
        backup["environment"]["PGPASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    )
    assert backup["environment"]["BACKUP_KEEP_DAYS"] == "${BACKUP_KEEP_DAYS:-14}"
    assert "sleep 86400" in backup["command"]


@pytest.mark.django_db(transaction=True)
def test_the_compose_backup_loop_writes_a_private_restorable_dump_and_prunes_old_ones(
    tmp_path, nurse
):
    """One turn of the backup service's loop, run by sh as in its container, against the test
    database (with the matching pg_dump), its folder in a temporary one."""
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "triage-2020-01-01T000000Z.dump"
    old.write_bytes(b"an old backup")
    os.utime(old, (time.time() - 20 * 86400,) * 2)
    recent = folder / "triage-recent.dump"
    recent.write_bytes(b"a backup from yesterday")
    os.utime(recent, (time.time() - 86400,) * 2)

    args = compose_command(load_compose()["services"]["backup"]["command"])
    assert args[:2] == ["sh", "-c"]
    one_turn = args[2].replace("/backups", str(folder)).replace("sleep 86400", "break")
    client = backups.client_for(connection.settings_dict)
    env = {**client.env, "BACKUP_KEEP_DAYS": "14"}
    if client.bin_dir:
        env["PATH"] = f"{client.bin_dir}:{env['PATH']}"
    result = subprocess.run(
        ["sh", "-c", one_turn], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr

    made = sorted(set(folder.glob("triage-2*.dump")) - {old})
    assert not old.exists() and recent.exists()
    assert len(made) == 1 and not (folder / ".partial").exists()
    assert stat.S_IMODE(made[0].stat().st_mode) == 0o600
    listing = client.run("pg_restore", "--list", str(made[0])).stdout
    assert "TABLE DATA public triage_user" in listing


def test_gunicorn_writes_no_access_log_of_its_own():
    """Its access lines hold query strings; the app writes one line per request itself, with
    its id and no query string (triage/request_log.py)."""
    makefile = (ROOT / "Makefile").read_text()
    make_cmd = re.search(r"^GUNICORN_CMD := (.+)$", makefile, re.MULTILINE).group(1).strip()
    assert make_cmd.startswith("gunicorn ")
    assert "access-log" not in make_cmd
