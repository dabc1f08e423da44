import json

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from tests.foundation.helpers import run_python


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


HEALTHZ_WITHOUT_DATABASE = [
    "-c",
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='triage.settings'; django.setup();"
    "from django.test import Client; r = Client().get('/healthz');"
    "print(r.status_code, r.content.decode())",
]


def test_healthz_reports_503_without_traceback_when_the_database_is_down():
    # Port 9 on loopback: nothing listens, so every connection attempt is refused.
    result = run_python(
        HEALTHZ_WITHOUT_DATABASE,
        {"TRIAGE_ENV": "dev", "DEBUG": "false", "DATABASE_URL": "postgres://x@127.0.0.1:9/none"},
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "unavailable"}
    assert "Traceback" not in result.stdout


def _kill_and_reuse(health_checks: bool) -> None:
    """Open a persistent connection, kill it server-side (as a restart would), start a request."""
    from django.db import connections

    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_HEALTH_CHECKS": health_checks}
    wrapper.ensure_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
        wrapper.close_if_unusable_or_obsolete()  # what Django does when a request starts
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_a_database_restart_does_not_fail_the_next_request():
    _kill_and_reuse(health_checks=settings.DATABASES["default"]["CONN_HEALTH_CHECKS"])


@pytest.mark.django_db
def test_without_health_checks_the_killed_connection_would_fail():
    """The control for the test above: it is the health check that heals the connection."""
    with pytest.raises(OperationalError):
        _kill_and_reuse(health_checks=False)


DOWN = {"TRIAGE_ENV": "dev", "DEBUG": "false", "DATABASE_URL": "postgres://x@127.0.0.1:9/none"}
REQUESTS_WHILE_DOWN = [
    "-c",
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='triage.settings'; django.setup();"
    "from django.test import Client; c = Client(raise_request_exception=False);"
    "c.cookies['sessionid'] = 'a-session-from-before';"
    "print(c.get('/healthz').status_code, c.get('/healthz')['Content-Type']);"
    "r = c.get('/encounters/'); print(r.status_code, 'Not available' in r.content.decode());"
    "r = c.post('/api/v1/assess', '{}', content_type='application/json');"
    "print(r.status_code, r['Content-Type'], 'database' in r.content.decode())",
]


def test_while_the_database_is_down_pages_answer_503_in_words_whatever_the_cookies():
    result = run_python(REQUESTS_WHILE_DOWN, DOWN)
    lines = result.stdout.strip().splitlines()
    assert lines == [
        "503 application/json",
        "503 True",
        "503 application/json True",
    ], result.stdout + result.stderr
