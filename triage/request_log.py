"""One structured log line per request, and the request's id on every log line it causes.

A request's id is the `X-Request-ID` a trusted proxy (`TRUSTED_PROXIES`) sent, when it looks
like an id, or a new uuid4 hex. It is sent back in the `X-Request-ID` response header, added
to every log record made while the request runs (`RequestIdFilter`, through a context
variable), and shown on the error pages as "Reference: <id>", so that a nurse can quote it to
IT and IT can find the request's lines.

The request line says what was asked and how it went, never of whom: the method, the URL's
route pattern and path (the product's addresses hold ids, never a patient identifier; the query
string is never logged), the status, the time taken, and the user's id and roles (not their
name). Production writes JSON lines (`JsonLineFormatter`); development the same fields as
text (`ReadableFormatter`), chosen by `LOG_FORMAT`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from triage.roles import roles_of

logger = logging.getLogger("triage.request")

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
HEADER = "X-Request-ID"
# A proxy's id is believed only when it looks like one: letters, digits, ".", "_", "-".
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
# The fields of a request line, in the order the readable format prints them.
FIELDS = ("method", "route", "path", "status", "duration_ms", "user_id", "role")


def current_request_id() -> str | None:
    """The id of the request being answered (None outside a request)."""
    return REQUEST_ID.get()


def request_id_for(request: HttpRequest) -> str:
    """A trusted proxy's `X-Request-ID` when it is a sane token, else a new uuid4 hex."""
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    trusted = request.META.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXIES
    return offered if trusted and SANE_ID.fullmatch(offered) else uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE, so that every other middleware's records carry the id too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if response.status_code >= 400:
                # Django logs a refusal ("Not Found: …") only once this middleware has
                # returned, outside the request's id: logged here, it is not logged again.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            logger.info("request", extra=request_fields(request, response.status_code, started))
            return response
        finally:
            REQUEST_ID.reset(token)


def request_fields(request: HttpRequest, status: int, started: float) -> dict[str, Any]:
    match = request.resolver_match
    static = request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
    user_id, role = who(request)
    return {
        "method": request.method,
        "route": match.route if match else None,
        # An address that matched no route may hold anything someone typed: not logged.
        "path": request.path if match or static else None,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": user_id,
        "role": role,
    }


def who(request: HttpRequest) -> tuple[int | None, str | None]:
    """The signed-in user's id and roles; nobody when there is none, or when the database
    that would say cannot be reached (the request line is logged all the same)."""
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return None, None
        return user.pk, ",".join(sorted(roles_of(user)))
    except DatabaseError:
        return None, None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) to every record; set on the handler, so it
    applies to the records of every logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, then the record's
    extra fields (a request line's FIELDS). A record's `request` (django.request and
    django.security attach the request object) is never written: it would print the query
    string."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message", "request_id"],
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, "request"],
        )


class ReadableFormatter(logging.Formatter):
    """The same fields as text, for a developer's terminal:
    `2026-12-01 10:00:00,001 INFO triage.request [3f2a…] request method=GET route=review/ …`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": None},
        )

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = " ".join(
            f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name)
        )
        return super().formatMessage(record) + (f" {fields}" if fields else "")
