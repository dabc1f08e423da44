"""The queue cursor: the last row's sort keys, written into the next page's link."""

import doctest
import uuid
from datetime import UTC, datetime

import triage.queue
from triage.queue import Cursor


def test_the_worked_examples_in_the_docstrings_are_true():
    assert doctest.testmod(triage.queue).failed == 0


def test_a_cursor_keeps_every_microsecond_and_the_exact_id():
    cursor = Cursor(0, datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor


def test_anything_else_is_not_a_cursor():
    for text in ("", "1.2", "1.2.3.4", "x.1.00000000000000000000000000000007", "1.1e99.abc"):
        assert Cursor.decode(text) is None
