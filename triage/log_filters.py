"""Logging that says what happened without what does not belong in a log (django.request's
and django.security's records; `triage.request_log` writes the request lines)."""

from __future__ import annotations

import logging


class NoTracebackBelow500(logging.Filter):
    """A refused request (403, 404, 400…) is logged in one line: its traceback says nothing
    about a fault and fills the log. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class NoAddressOfUnknownPages(logging.Filter):
    """An address that found no page may hold anything someone typed (a patient identifier
    in a guessed address): django.request's "Not Found: <path>" is logged without it. The
    request's id matches it to its request line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 404:
            record.msg = "Not Found"
            record.args = ()
        return True


class NoTraceback(logging.Filter):
    """django.template's DEBUG lines (a variable it could not resolve) carry the traceback of
    the failed lookup, which may quote the request (the address of a page not found, say):
    the line is kept, the traceback is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
