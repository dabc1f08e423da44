"""`content_key` changes with anything a cached row may show, and rows read from the cache are
the rows the template renders."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string

from triage.content_digest import digest
from triage.guidance import entries_by_key
from triage.models import Encounter, Ward
from triage.presenters import assessment_view
from triage.templatetags.fragment_tags import content_key


@dataclass
class Row:
    encounter: Encounter
    hours_since: int | None
    red_flags: list[str]


# Nine o'clock UTC is ten o'clock an hour east: the same moment, shown differently.
ONE_HOUR_EAST = timezone(timedelta(hours=1))


def row(**changes) -> Row:
    ward = Ward(pk=1, name="Spinal ward")
    encounter = Encounter(pk=None, ward=ward, patient_identifier="RX1", latest_news2=3)
    return replace(Row(encounter=encounter, hours_since=5, red_flags=["Cord"]), **changes)


def test_the_same_content_gives_the_same_key():
    assert content_key(row()) == content_key(row())


@pytest.mark.parametrize(
    "change",
    [
        lambda r: setattr(r.encounter, "latest_news2", 7),
        lambda r: setattr(r.encounter, "patient_identifier", "RX2"),
        lambda r: setattr(r.encounter.ward, "name", "Orthopaedic ward"),  # a related row
        lambda r: setattr(r, "hours_since", 6),
        lambda r: r.red_flags.append("Embolism"),
    ],
)
def test_any_change_of_what_a_row_shows_changes_its_key(change):
    changed = row()
    change(changed)
    assert content_key(changed) != content_key(row())


def test_a_related_row_pointing_back_is_no_endless_loop():
    first = row()
    first.encounter.ward.latest = first.encounter  # e.g. a one-to-one's reverse side
    first.encounter.ward._state.fields_cache["latest"] = first.encounter
    assert len(content_key(first)) == 64


def test_a_row_met_twice_side_by_side_is_written_out_both_times():
    ward = Ward(pk=1, name="Spinal ward")
    renamed = Ward(pk=1, name="Orthopaedic ward")
    assert digest([ward, ward]) != digest([ward, renamed])


class Pair(NamedTuple):
    first: Any
    second: Any


class OtherPair(NamedTuple):
    first: Any
    second: Any


class KeptPair(tuple):
    """A tuple with attributes of its own besides its items."""


def kept_pair(note: str) -> KeptPair:
    pair = KeptPair((1, 2))
    pair.note = note  # type: ignore[attr-defined]
    return pair


@pytest.mark.parametrize(
    "value, other",
    [
        ({"a": 1}, {"a": "1"}),  # a number is not its text
        (Pair(1, 2), Pair(1, 3)),  # a named tuple is written as its items
        (Pair(1, [uuid.UUID(int=1)]), Pair(1, [uuid.UUID(int=2)])),
        (Pair(1, 2), OtherPair(1, 2)),  # and its class
        (Pair(1, 2), (1, 2)),
        (kept_pair("a"), kept_pair("b")),  # a tuple's own attributes are written too
        ({1, 2}, {1, 3}),
        ((1, 2), [1, 2]),  # a tuple is not a list
        (None, "None"),
        (Decimal("1.0"), Decimal("1.00")),  # equal, but written differently
        (datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 1, 1, 10, tzinfo=ONE_HOUR_EAST)),
        (datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 1, 1, 9, 0, 0, 1, tzinfo=UTC)),
        (datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 1, 1, 9)),  # aware, naive
        (datetime(2026, 1, 1, 9, tzinfo=UTC), "2026-01-01T09:00:00+00:00"),  # not its text
        (uuid.UUID(int=1), uuid.UUID(int=2)),  # written as its number
        (uuid.UUID(int=1), 1),
        (uuid.UUID(int=1), str(uuid.UUID(int=1))),
    ],
)
def test_values_that_differ_have_different_digests(value, other):
    assert digest(value) != digest(other)


def test_equal_named_tuples_have_the_same_digest():
    at = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert digest([Pair(uuid.UUID(int=1), at)]) == digest([Pair(uuid.UUID(int=1), at)])


def test_a_field_of_a_dataclass_and_a_column_not_shown_by_repr_are_in_the_digest():
    first, second = row(), row()
    second.encounter.levels = ["T12"]  # not in the model's repr
    assert digest(first) != digest(second)


def test_queue_rows_read_again_are_the_rows_first_rendered(
    client, physician, make_encounter, django_assert_max_num_queries
):
    from tests.review.factories import BREATHLESS, WEAK_LEG

    make_encounter(patient_identifier="RED001", answers=WEAK_LEG)
    make_encounter(patient_identifier="AMB002", answers=BREATHLESS)
    client.force_login(physician)

    def rows() -> list[str]:
        html = client.get("/review/").content.decode()
        return re.findall(r"<tr data-encounter=.*?</tr>", html, re.S)

    first, again = rows(), rows()
    assert len(first) == 2 and first == again
    assert sorted(re.search(r"(RED001|AMB002)", r).group(1) for r in first) == ["AMB002", "RED001"]


def test_a_signed_row_shows_signed_on_the_next_load(client, physician, make_encounter):
    from triage.actions import review

    encounter = make_encounter(patient_identifier="RED001")
    client.force_login(physician)
    assert "Unsigned" in client.get("/review/").content.decode()
    review.sign_off(encounter=encounter, by=physician, comment="", expected_version=None)
    html = client.get("/review/").content.decode()
    assert re.search(r"badge text-bg-success\">Signed</span>", html)


def test_a_result_is_rendered_once_and_each_change_of_what_it_shows_is_shown(
    make_encounter, published_guidance
):
    """The result body (escalation, red flags, pathways, guidance) comes from the cache the
    second time, identical; another result, a version or the record's switches render anew."""
    from tests.review.factories import BREATHLESS, WEAK_LEG

    def body(encounter, **switches) -> str:
        round = encounter.rounds.get(number=1)
        entries = entries_by_key(round.guidance_version)
        context = {
            "result": assessment_view(round.assessment, entries),
            "guidance_version": round.guidance_version,
            **switches,
        }
        return render_to_string("encounters/_result_body.html", context)

    weak, breathless = make_encounter(answers=WEAK_LEG), make_encounter(answers=BREATHLESS)
    caches["rendered"].clear()
    fresh = body(weak)
    assert body(weak) == fresh and "Red flag" in fresh
    assert body(breathless) != fresh
    assert body(weak, open=True).count(" open>") > fresh.count(" open>")
    # What is cached is what a fresh rendering writes.
    caches["rendered"].clear()
    assert body(weak) == fresh


def test_kept_pieces_are_each_keys_own_and_only_the_missing_are_rendered():
    from triage.kept_html import KeptHTMLCache, kept_pieces

    cache = caches["rendered"]
    assert isinstance(cache, KeptHTMLCache)
    cache.clear()
    rendered = []

    def render(missing: list[int]) -> list[str]:
        rendered.append(missing)
        return [f"<p>{index}&amp;</p>" for index in missing]

    keys = ["piece:" + digest(("a", 1)), "piece:" + digest(("b", 2))]
    first = kept_pieces("rendered", keys, render)
    again = kept_pieces("rendered", [keys[1], "piece:" + digest(("c", 3)), keys[0]], render)
    assert rendered == [[0, 1], [1]]
    assert first == ["<p>0&amp;</p>", "<p>1&amp;</p>"]
    assert again == ["<p>1&amp;</p>", "<p>1&amp;</p>", "<p>0&amp;</p>"]
    assert all(hasattr(piece, "__html__") for piece in again)  # never escaped twice
