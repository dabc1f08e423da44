"""Browser tests: the system Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection
from psycopg.errors import DeadlockDetected

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests (and
# pytest-django's teardown) make between page actions are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class InFlight:
    """Requests the live server is still answering. A page closed at the end of a test may
    leave one running (an autosave, a banner refresh), or one the browser has yet to send (a
    page's refresh when it is shown again, a beacon as it is left); truncating the tables under
    its open transaction can deadlock, so the tables are emptied only once the server has been
    idle for a moment (`QUIET_SECONDS`)."""

    QUIET_SECONDS = 0.25

    def __init__(self) -> None:
        self.count = 0
        self.last = 0.0  # when a request last started or finished (time.monotonic)
        self.idle = threading.Condition()

    def started(self, **kwargs) -> None:
        with self.idle:
            self.count += 1
            self.last = time.monotonic()

    def finished(self, **kwargs) -> None:
        with self.idle:
            self.count -= 1
            self.last = time.monotonic()
            self.idle.notify_all()

    def wait(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        with self.idle:
            while True:
                now = time.monotonic()
                if self.count <= 0 and now - self.last >= self.QUIET_SECONDS:
                    return True
                if now >= deadline:
                    return False
                self.idle.wait(timeout=min(self.QUIET_SECONDS, deadline - now))


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="browser-in-flight-started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="browser-in-flight-finished")


@pytest.fixture(scope="session", autouse=True)
def flush_again_after_a_deadlock():
    """Emptying the tables after a test takes each table's lock in turn; a request the browser
    sent just before its page closed, reaching the server only after it had been quiet for a
    moment (a loaded machine), can hold one of them and wait for another: PostgreSQL then
    refuses the emptying as a deadlock. It is tried again once the server is idle."""
    operations = type(connection.ops)
    execute_sql_flush = operations.execute_sql_flush

    def flush(self, sql_list):
        for _ in range(2):
            try:
                return execute_sql_flush(self, sql_list)
            except OperationalError as error:
                if not isinstance(error.__cause__, DeadlockDetected):
                    raise
                IN_FLIGHT.wait(30)
        return execute_sql_flush(self, sql_list)  # a third deadlock is the test's failure

    operations.execute_sql_flush = flush
    yield
    operations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def live_server_idle_before_flush(request):
    """Set up after the test database (pytest-django's helper), torn down after the page
    closes and before the tables are truncated."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    assert IN_FLIGHT.wait(30), "the live server was still answering requests 30 s after the test"


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": TABLET}


def sign_in_as(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def sign_in(page, live_server):
    return lambda username: sign_in_as(page, live_server, username)


@pytest.fixture
def nurse_page(page, sign_in, nurse, published_guidance):
    """The browser page of a nurse of the test ward, signed in."""
    sign_in("nurse1")
    return page


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors the page logs, such as a Content-Security-Policy violation by an inline script or
    style. (Not used with axe, which tries inline styles of its own while it checks.)"""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def serious_violations(axe: Axe, page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    """The whole page at its viewport's size, under screenshots/. The caret is left alone:
    Playwright hides it with an inline style, which the page's policy refuses (and logs as an
    error of ours)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    size = page.viewport_size
    page.screenshot(
        path=SCREENSHOTS / f"{size['width']}x{size['height']}-{name}.png",
        full_page=True,
        caret="initial",
    )


def hold_first_autosave(page, url_glob: str) -> tuple[list, list[str]]:
    """Keep the page's next htmx autosave to `url_glob` on its way until the test lets it go
    (`held[0].continue_()`); every other request passes, and full saves are listed."""
    held, full_saves = [], []

    def route(route) -> None:
        is_autosave = bool(route.request.headers.get("hx-request"))
        if is_autosave and not held:
            held.append(route)
            return
        if not is_autosave:
            full_saves.append(route.request.url)
        route.continue_()

    page.route(url_glob, route)
    return held, full_saves


def until_held(page, held: list, timeout_ms: int = 5000) -> int:
    """Wait (handling the page's events) until the held autosave has reached the route."""
    for _ in range(timeout_ms // 50):
        if held:
            break
        page.wait_for_timeout(50)
    return len(held)
