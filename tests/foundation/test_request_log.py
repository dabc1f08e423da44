"""One structured line per request, with its id; the id on every log line of the request, in
the X-Request-ID header and on the error pages; never a query string, never SQL."""

from __future__ import annotations

import logging
import re
import uuid

import pytest
from django.test import Client, override_settings

from tests.foundation.helpers import PRODUCTION_ENV, run_python
from triage.request_log import ReadableFormatter
from triage.views import core

GENERATED = re.compile(r"[0-9a-f]{32}")


def reference(response) -> str:
    return f"Reference: <code>{response['X-Request-ID']}</code>"


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_id_and_never_its_query_string(
    client, physician, published_guidance, json_log
):
    client.force_login(physician)
    response = client.get("/review/?status=unsigned&escalation=urgent")
    assert response.status_code == 200
    assert GENERATED.fullmatch(response["X-Request-ID"])
    [line] = [line for line in json_log() if line["logger"] == "triage.request"]
    assert line == {
        "time": line["time"],
        "level": "INFO",
        "logger": "triage.request",
        "message": "request",
        "request_id": response["X-Request-ID"],
        "method": "GET",
        "route": "review/",
        "path": "/review/",
        "status": 200,
        "duration_ms": line["duration_ms"],
        "user_id": physician.pk,
        "role": "physician",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert "unsigned" not in str(json_log())


@pytest.mark.django_db
def test_every_line_of_a_refused_request_carries_its_id_and_not_the_request(
    client, nurse, json_log
):
    client.force_login(nurse)
    before = len(json_log())  # signing in (outside a request) is logged too
    response = client.get("/review/?q=RX4411")  # a nurse may not open the queue
    assert response.status_code == 403
    lines = json_log()[before:]
    refused = [line for line in lines if line["logger"] == "django.request"]
    assert [line["message"] for line in refused] == ["Forbidden (Permission denied): /review/"]
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert "RX4411" not in str(lines)  # django.request attaches the request: never written


@pytest.mark.django_db
def test_an_unknown_address_is_logged_without_it(client, nurse, json_log):
    client.force_login(nurse)
    response = client.get("/encounters/RX4411/")
    assert response.status_code == 404
    lines = json_log()
    [request] = [line for line in lines if line["logger"] == "triage.request"]
    assert (request["route"], request["path"], request["status"]) == (None, None, 404)
    [refused] = [line for line in lines if line["logger"] == "django.request"]
    assert refused["message"] == "Not Found"
    assert refused["request_id"] == response["X-Request-ID"]
    assert "RX4411" not in str(lines)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=frozenset({"10.0.0.9"}))
def test_a_trusted_proxys_request_id_is_kept_when_it_looks_like_one(client):
    def sent(request_id: str, address: str = "10.0.0.9") -> str:
        response = client.get("/healthz", HTTP_X_REQUEST_ID=request_id, REMOTE_ADDR=address)
        return response["X-Request-ID"]

    assert sent("f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d") == "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert sent("lb.7f3a9c21") == "lb.7f3a9c21"
    for insane in ("short", "x" * 65, "id with spaces", "<script>x</script>", "-leading-dash"):
        assert GENERATED.fullmatch(sent(insane)), insane
    # From anyone else, an offered id is never believed.
    assert GENERATED.fullmatch(sent("f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "10.0.0.8"))


@pytest.mark.django_db
def test_the_refusal_pages_show_the_reference(client, nurse, physician, published_guidance):
    client.force_login(nurse)
    forbidden = client.get("/review/")
    assert forbidden.status_code == 403
    assert reference(forbidden) in forbidden.content.decode()
    missing = client.get(f"/encounters/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert reference(missing) in missing.content.decode()

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(physician)
    expired = strict.post("/review/", {"q": "RX1"})
    assert expired.status_code == 403
    assert "This page had expired" in expired.content.decode()
    assert reference(expired) in expired.content.decode()


@pytest.mark.django_db
def test_the_server_error_page_shows_the_reference(nurse, monkeypatch, json_log):
    def fails(user):
        raise RuntimeError("a fault")

    monkeypatch.setattr(core, "roles_of", fails)
    client = Client(raise_request_exception=False)
    client.force_login(nurse)
    response = client.get("/")
    assert response.status_code == 500
    assert reference(response) in response.content.decode()
    [error] = [line for line in json_log() if line["logger"] == "django.request"]
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: a fault" in error["exc_info"]  # a server error keeps its traceback


def test_the_page_shown_while_the_database_is_down_shows_the_reference():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='triage.settings'; "
        "django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False); c.cookies['sessionid'] = 'from-before'; "
        "r = c.get('/encounters/'); ref = 'Reference: <code>' + r['X-Request-ID'] + '</code>'; "
        "print(r.status_code, ref in r.content.decode())"
    )
    down = {"TRIAGE_ENV": "dev", "DEBUG": "false", "DATABASE_URL": "postgres://x@127.0.0.1:9/none"}
    result = run_python(["-c", code], down)
    assert result.stdout.split() == ["503", "True"], result.stdout + result.stderr


SETTINGS_PROBE = (
    "import django, logging, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings'; "
    "django.setup(); from django.conf import settings; "
    "print(settings.LOG_FORMAT, type(logging.getLogger().handlers[0].formatter).__name__, "
    "logging.getLogger('django.db.backends').isEnabledFor(logging.DEBUG), "
    "logging.getLogger('django.server').isEnabledFor(logging.ERROR))"
)


def test_production_writes_json_lines_and_never_sql_or_runservers_access_lines():
    result = run_python(["-c", SETTINGS_PROBE], {**PRODUCTION_ENV, "LOG_LEVEL": "DEBUG"})
    assert result.stdout.split() == ["json", "JsonLineFormatter", "False", "False"], result.stderr
    result = run_python(["-c", SETTINGS_PROBE], {"TRIAGE_ENV": "dev", "LOG_LEVEL": "DEBUG"})
    assert result.stdout.split() == ["text", "ReadableFormatter", "False", "False"], result.stderr
    result = run_python(["-c", SETTINGS_PROBE], {"TRIAGE_ENV": "dev", "LOG_FORMAT": "xml"})
    assert "LOG_FORMAT must be 'json' or 'text'" in result.stderr


def test_the_readable_format_has_the_same_fields():
    record = logging.LogRecord("triage.request", logging.INFO, __file__, 1, "request", (), None)
    fields = {"method": "GET", "route": "review/", "path": "/review/", "status": 200}
    record.__dict__.update(fields, duration_ms=4.2, user_id=3, role="physician", request_id="ab12")
    line = ReadableFormatter().format(record)
    assert line.endswith(
        "INFO triage.request [ab12] request method=GET route=review/ path=/review/ status=200 "
        "duration_ms=4.2 user_id=3 role=physician"
    )
