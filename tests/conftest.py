from __future__ import annotations

import threading
import time

import pytest
from django.core.signals import request_finished, request_started

from tests.factories import UserFactory, WardFactory
from triage.roles import Role

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords made in tests are hashed quickly. Production keeps Django's default hasher (a
    million rounds of PBKDF2: half a second a password here, and most tests make two or three
    users); passwords hashed that way are still checked, as the hashers after the first are."""
    from django.conf import settings
    from django.test import override_settings

    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[fast, *settings.PASSWORD_HASHERS]):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The test database is created and migrated by the owner role, as in production."""
    from django.db import connection

    from triage.db import roles

    roles.log_in_as(connection, roles.OWNER)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker):
    """The tests then run as the application's role, with only its privileges. The owner
    drops the test database at the end, cleanly even if a live-server thread still holds a
    connection (a browser request in flight when its test ended)."""
    from django.db import connection

    from triage.db import roles

    with django_db_blocker.unblock():
        roles.log_in_as(connection, roles.APPLICATION)
    yield
    with django_db_blocker.unblock():
        roles.log_in_as(connection, roles.OWNER)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Use the system Chromium, quietly: no downloads, no calls home."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-gpu",
            "--no-first-run",
        ],
    }


@pytest.fixture
def ward(db):
    return WardFactory(name="Spinal ward")


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Orthopaedic ward")


@pytest.fixture
def nurse(ward):
    return UserFactory(username="nurse1", roles=(Role.NURSE,), wards=(ward,))


@pytest.fixture
def physician(ward):
    return UserFactory(username="physician1", roles=(Role.PHYSICIAN,), wards=(ward,))


@pytest.fixture
def guidance_admin(db):
    return UserFactory(username="guidance1", roles=(Role.GUIDANCE_ADMIN,))


@pytest.fixture
def stranger(other_ward):
    """A nurse of another ward: sees nothing of ours."""
    return UserFactory(username="stranger1", roles=(Role.NURSE,), wards=(other_ward,))


@pytest.fixture
def published_guidance(db):
    """The published guidance version: v2 as shipped by its migration, over v1 (both reloaded
    the same way when a transactional test has emptied the database)."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction

    from triage.models import GuidanceVersion

    version = GuidanceVersion.objects.filter(status=GuidanceVersion.Status.PUBLISHED).first()
    if version is None:
        with transaction.atomic():  # as the migrations run
            import_module("triage.migrations.0007_guidance_v1").load_v1(apps, None)
            import_module("triage.migrations.0012_guidance_v2").publish_v2(apps, None)
        version = GuidanceVersion.objects.get(status=GuidanceVersion.Status.PUBLISHED)
    return version


@pytest.fixture(autouse=True)
def browser_requests_end_before_the_data_goes(request):
    """A browser test's last requests (an autosave, a beacon as the page closes, a reload after
    Back) finish before the test's data is deleted: deleting it under a request in flight
    deadlocks. Set up before the browser's page, so torn down after it closes; requests the
    transactional database, so torn down before it is emptied. Requests are counted, not the
    server's threads: a thread outlives its request while the browser keeps the connection."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and REQUESTS_IN_FLIGHT.count:
        time.sleep(0.02)


class RequestsInFlight:
    """How many requests the live server is answering right now (Django's request signals)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        request_started.connect(self.started, dispatch_uid="tests.requests_in_flight.started")
        request_finished.connect(self.finished, dispatch_uid="tests.requests_in_flight.finished")

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count = max(0, self.count - 1)


REQUESTS_IN_FLIGHT = RequestsInFlight()


@pytest.fixture
def json_log():
    """Every log line written while the test runs, as production writes them (one JSON object
    a line, through the configured console handler and its request-id filter), with every
    logger at DEBUG but django.db.backends: its DEBUG lines are SQL statements with their
    parameters, so the settings pin it at INFO whatever LOG_LEVEL says (a test checks the
    pin). Call it for the lines so far, parsed."""
    import io
    import json
    import logging

    from triage.request_log import JsonLineFormatter, RequestIdFilter

    root = logging.getLogger()
    handler = next(
        h for h in root.handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )
    names = [
        name
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and "django.db.backends" not in name
    ]
    loggers = [root, *(logging.getLogger(name) for name in names)]
    levels = [(logger, logger.level) for logger in loggers]
    stream = io.StringIO()
    old_stream, old_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonLineFormatter())
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(old_formatter)
        for logger, level in levels:
            logger.setLevel(level)
