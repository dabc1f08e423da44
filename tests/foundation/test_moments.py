"""A moment is written the same way everywhere (`triage.moments`): "7 Dec 2026 16:47" in the
site's time zone, in templates (`{{ at|moment }}`) and in Python alike."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from triage.moments import moment_text

ROOT = Path(__file__).resolve().parents[2]

# Each style, and what the template `date` filter wrote for it before.
STYLES = {
    "full": "j M Y H:i",
    "short": "j M H:i",
    "day": "j M Y",
    "exact": "j M Y H:i:s",
    "clock": "H:i:s",
    "iso": "c",
}
MOMENTS = [
    datetime(2026, 1, 5, 0, 4, 9, tzinfo=UTC),  # a one-digit day, winter (GMT)
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the last second before summer time
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:00 BST
    datetime(2026, 7, 31, 23, 30, 1, 250000, tzinfo=UTC),  # 00:30 on 1 Aug in London
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST, the hour that repeats
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT
]


@pytest.mark.parametrize("at", MOMENTS, ids=str)
@pytest.mark.parametrize("style", STYLES)
def test_each_style_writes_what_the_date_filter_wrote(style, at):
    assert moment_text(at, style) == date_filter(timezone.localtime(at), STYLES[style])


def test_the_template_filter_writes_the_moment_in_the_site_time_zone():
    at = datetime(2026, 7, 4, 8, 5, tzinfo=UTC)
    written = Template(
        "{% load moment_tags %}{{ at|moment }}|{{ at|moment:'short' }}|{{ at|moment:'iso' }}"
        "|{{ none|moment|default:'not recorded' }}|{{ day|moment:'day' }}"
    ).render(Context({"at": at, "none": None, "day": date(2026, 12, 7)}))
    assert written == (
        "4 Jul 2026 09:05|4 Jul 09:05|2026-07-04T09:05:00+01:00|not recorded|7 Dec 2026"
    )


def test_a_moment_is_written_in_another_time_zone_when_that_one_is_current():
    at = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    with timezone.override("Asia/Tokyo"):
        assert moment_text(at) == "8 Dec 2026 08:30"
    assert moment_text(at) == "7 Dec 2026 23:30"
    assert moment_text(at, "short", ZoneInfo("Asia/Tokyo")) == "8 Dec 08:30"
    assert moment_text(at.replace(tzinfo=None) + timedelta(minutes=1)) == "7 Dec 2026 23:31"


def test_no_template_or_module_writes_a_moment_its_own_way():
    """Templates use `moment`, not Django's `date` filter; Python uses `moment_text`, not a
    day-and-month format of its own (which had written "07 Dec" where pages wrote "7 Dec")."""
    templates = [
        path.relative_to(ROOT)
        for path in (ROOT / "templates").rglob("*.html")
        if "|date:" in path.read_text(encoding="utf-8")
    ]
    modules = [
        path.relative_to(ROOT)
        for path in (ROOT / "triage").rglob("*.py")
        if re.search(r"%-?d %b", path.read_text(encoding="utf-8"))
    ]
    assert templates == [] and modules == []
    used = sum(
        path.read_text(encoding="utf-8").count("|moment")
        for path in (ROOT / "templates").rglob("*.html")
    )
    assert used >= 30
