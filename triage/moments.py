"""How a moment is written for a reader, in one place: "7 Dec 2026 16:47", in the current time
zone (the site's), on every page and in the handover's and the audit trail's words.

Styles: `full` ("7 Dec 2026 16:47"), `short` ("7 Dec 16:47", in lists and trends), `day`
("7 Dec 2026"), `exact` ("7 Dec 2026 16:47:05") and `clock` ("16:47:05", the audit trail's),
and `iso` (ISO 8601 with its offset, for a `<time datetime>`). Written with
Python's own formatting: a sixth of the cost of the template `date` filter, which a record
page called a dozen times.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Literal

from django.utils import timezone

Style = Literal["full", "short", "day", "exact", "clock", "iso"]


def moment_text(
    value: datetime | date | None, style: Style = "full", zone: tzinfo | None = None
) -> str:
    """The moment in words in `style`; "" for none. An aware time is written in `zone` (the
    current time zone unless given: a list of many rows looks it up once); a date (no time)
    only as a day.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 7, 4, 8, 5, tzinfo=UTC)  # 09:05 in London (summer time)
    >>> [moment_text(at, style) for style in ("full", "short", "day", "exact", "clock")]
    ['4 Jul 2026 09:05', '4 Jul 09:05', '4 Jul 2026', '4 Jul 2026 09:05:00', '09:05:00']
    >>> moment_text(at, "iso")
    '2026-07-04T09:05:00+01:00'
    >>> moment_text(None)
    ''
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return f"{value.day} {value:%b %Y}"
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    if style == "iso":
        return value.isoformat()
    if style == "day":
        return f"{value.day} {value:%b %Y}"
    if style == "short":
        return f"{value.day} {value:%b %H:%M}"
    if style == "exact":
        return f"{value.day} {value:%b %Y %H:%M:%S}"
    if style == "clock":
        return f"{value:%H:%M:%S}"
    return f"{value.day} {value:%b %Y %H:%M}"
