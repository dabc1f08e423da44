import re

import yaml

from tests.foundation.helpers import ROOT


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
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert web["environment"][name] == f"${{{name}:?set {name} in .env}}"
    assert "migrate" in web["command"]


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


def test_gunicorn_writes_no_access_log_of_its_own():
    """Its access lines hold query strings; the app writes one line per request itself, with
    its id and no query string (triage/request_log.py)."""
    makefile = (ROOT / "Makefile").read_text()
    make_cmd = re.search(r"^GUNICORN_CMD := (.+)$", makefile, re.MULTILINE).group(1).strip()
    assert make_cmd.startswith("gunicorn ")
    assert "access-log" not in make_cmd
