"""The ward board: every open encounter of the ward (submitted, not discharged), emergencies and
overdue observations first, in a constant number of queries, refreshed in place by htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, WardFactory
from tests.review.factories import (
    BREATHLESS,
    RADICULAR,
    WEAK_LEG,
    discharge_now,
    draft_encounter,
    reassess,
    record_registrar_call,
)
from triage.roles import Role

URL = "/ward/"


def rows_of(response) -> list[str]:
    return [row.encounter.patient_identifier for row in response.context["rows"]]


@pytest.fixture
def nurse_client(client, nurse):
    client.force_login(nurse)
    return client


def test_emergencies_then_overdue_then_by_escalation_and_the_soonest_due(
    nurse_client, make_encounter
):
    now = timezone.now()
    # Well, 12 h after the procedure: 4-hourly in the first 48 hours.
    make_encounter(patient_identifier="ROUTINE-SOON", submitted_at=now - timedelta(hours=3))
    make_encounter(patient_identifier="ROUTINE-LATER", submitted_at=now - timedelta(minutes=5))
    make_encounter(patient_identifier="OVERDUE", submitted_at=now - timedelta(hours=6))
    make_encounter(patient_identifier="URGENT", answers=RADICULAR, submitted_at=now)
    make_encounter(patient_identifier="EMERGENCY", answers=WEAK_LEG, submitted_at=now)
    response = nurse_client.get(URL)
    assert response.status_code == 200
    assert rows_of(response) == ["EMERGENCY", "OVERDUE", "URGENT", "ROUTINE-SOON", "ROUTINE-LATER"]
    content = response.content.decode()
    assert content.count("data-overdue") >= 1
    assert "Overdue</strong> since" in content


def test_an_unrecorded_escalation_shows_and_comes_before_calmer_patients(
    nurse_client, nurse, make_encounter
):
    now = timezone.now()
    make_encounter(patient_identifier="ROUTINE", submitted_at=now)
    told = make_encounter(patient_identifier="URGENT-TOLD", answers=RADICULAR, submitted_at=now)
    make_encounter(patient_identifier="URGENT-UNTOLD", answers=RADICULAR, submitted_at=now)
    record_registrar_call(told.rounds.get(), by=nurse, at=now)
    response = nurse_client.get(URL)
    assert rows_of(response) == ["URGENT-UNTOLD", "URGENT-TOLD", "ROUTINE"]
    content = response.content.decode()
    assert content.count('data-escalation-record="missing"') == 1
    assert content.count('data-escalation-record="recorded"') == 1


def test_only_open_encounters_of_the_ward_are_on_it(
    nurse_client, nurse, physician, ward, make_encounter
):
    make_encounter(patient_identifier="OPEN")
    gone = make_encounter(patient_identifier="GONE")
    discharge_now(gone, by=physician)
    draft_encounter(by=nurse, ward=ward, patient_identifier="DRAFT")
    make_encounter(patient_identifier="ELSEWHERE", ward=WardFactory(name="Elsewhere"))
    assert rows_of(nurse_client.get(URL)) == ["OPEN"]


def test_news2_of_the_last_three_rounds_with_the_change(nurse_client, nurse, make_encounter):
    encounter = make_encounter(patient_identifier="TREND")
    reassess(encounter, by=nurse)
    reassess(encounter, by=nurse)
    reassess(encounter, by=nurse, answers=BREATHLESS)
    row = nurse_client.get(URL).context["rows"][0]
    assert len(row.news2) == 3 and row.news2[:2] == [0, 0] and row.news2[2] >= 7
    assert row.news2_change == f"up {row.news2[2]}"
    assert row.latest.number == 4


def test_the_board_costs_the_same_queries_for_one_patient_or_many(nurse_client, make_encounter):
    def count() -> int:
        nurse_client.get(URL)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert nurse_client.get(URL).status_code == 200
        return len(queries)

    make_encounter()
    one = count()
    for _ in range(6):
        make_encounter(answers=WEAK_LEG)
    assert count() == one <= 6


def test_htmx_refreshes_just_the_board(nurse_client, make_encounter, ward):
    make_encounter(patient_identifier="HTMX1")
    response = nurse_client.get(f"{URL}?ward={ward.pk}", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="ward-board"')
    assert "<html" not in content and "HTMX1" in content
    assert 'hx-trigger="app-refresh"' in content and 'data-app-refresh-every="60"' in content


def test_a_nurse_of_two_wards_chooses_which(client, ward, make_encounter):
    other = WardFactory(name="Acute ward")
    nurse = UserFactory(username="float", roles=(Role.NURSE,), wards=(ward, other))
    make_encounter(patient_identifier="SPINE1")
    make_encounter(patient_identifier="ACUTE1", ward=other)
    client.force_login(nurse)
    assert rows_of(client.get(URL)) == ["ACUTE1"]  # the first ward by name
    assert rows_of(client.get(f"{URL}?ward={ward.pk}")) == ["SPINE1"]
    assert rows_of(client.get(f"{URL}?ward=99999")) == ["ACUTE1"]  # not theirs: the first


def test_an_empty_board_and_no_ward_say_so(client, nurse_client, ward):
    assert "No open encounters on Spinal ward" in nurse_client.get(URL).content.decode()
    client.force_login(UserFactory(username="new", roles=(Role.NURSE,), wards=()))
    assert "You are not on any ward yet" in client.get(URL).content.decode()


def test_patients_last_assessed_over_a_week_ago_are_counted_and_listed_on_request(
    nurse_client, make_encounter, ward
):
    make_encounter(patient_identifier="THIS-WEEK", submitted_at=timezone.now() - timedelta(days=6))
    make_encounter(
        patient_identifier="LAST-MONTH", submitted_at=timezone.now() - timedelta(days=30)
    )
    response = nurse_client.get(URL)
    assert rows_of(response) == ["THIS-WEEK"]
    content = response.content.decode()
    assert "1 patient not discharged was last assessed more than 7 days ago" in content
    assert f'href="/ward/?ward={ward.pk}&amp;all=1"' in content
    everyone = nurse_client.get(f"{URL}?ward={ward.pk}&all=1")
    assert sorted(rows_of(everyone)) == ["LAST-MONTH", "THIS-WEEK"]
    assert 'hx-get="/ward/?ward=' in everyone.content.decode()
    assert "&amp;all=1" in everyone.content.decode()  # its refresh keeps showing everyone


# Each row's HTML is kept per process under a digest of everything it shows: these prove a row
# never shows another patient's data and that any change shows on the next load.


def _row_of(content: str, patient: str) -> str:
    rows = [row for row in content.split("<tr data-board-row")[1:] if f">{patient}</a>" in row]
    assert len(rows) == 1, patient
    return rows[0].split("</tr>", 1)[0]


def test_each_row_shows_its_own_patient_even_when_their_data_is_alike(nurse_client, make_encounter):
    now = timezone.now()
    alike = [make_encounter(patient_identifier=f"ALIKE{n}", submitted_at=now) for n in range(3)]
    for _ in range(2):  # rendered, then from the cache
        content = nurse_client.get(URL).content.decode()
        for encounter in alike:
            row = _row_of(content, encounter.patient_identifier)
            assert f'href="/encounters/{encounter.pk}/"' in row
            assert sum(f">{e.patient_identifier}</a>" in row for e in alike) == 1


def test_a_new_assessment_an_escalation_call_and_a_discharge_show_on_the_next_load(
    nurse_client, nurse, physician, make_encounter
):
    calm = make_encounter(patient_identifier="CALM")
    urgent = make_encounter(patient_identifier="URGENT", answers=RADICULAR)
    leaving = make_encounter(patient_identifier="LEAVING")
    content = nurse_client.get(URL).content.decode()
    assert ">0</td>" in _row_of(content, "CALM")
    assert 'data-escalation-record="missing"' in _row_of(content, "URGENT")

    reassess(calm, by=nurse, answers=BREATHLESS)
    record_registrar_call(urgent.rounds.get(), by=nurse)
    discharge_now(leaving, by=physician)
    content = nurse_client.get(URL).content.decode()
    assert "0 → " in _row_of(content, "CALM") and "(up " in _row_of(content, "CALM")
    assert 'data-escalation-record="recorded"' in _row_of(content, "URGENT")
    assert ">LEAVING</a>" not in content


def test_time_passing_to_overdue_shows_on_the_next_load(nurse_client, ward, make_encounter):
    from triage.ward_board import board_rows, rows_html

    now = timezone.now()
    make_encounter(patient_identifier="DUE", submitted_at=now)
    assert "data-overdue" not in nurse_client.get(URL).content.decode()
    assert "data-overdue" not in rows_html(board_rows(ward, now))
    later = rows_html(board_rows(ward, now + timedelta(hours=13)))
    assert "data-overdue" in later and "Overdue</strong> since" in later
    assert "data-overdue" not in rows_html(board_rows(ward, now))  # and back: keyed on the time


def test_older_patients_are_counted_up_to_a_bound(nurse_client, make_encounter, monkeypatch):
    from triage import ward_board

    monkeypatch.setattr(ward_board, "OLDER_COUNTED_UP_TO", 2)
    monkeypatch.setattr("triage.views.ward.OLDER_COUNTED_UP_TO", 2)
    for number in range(3):
        make_encounter(
            patient_identifier=f"OLD{number}", submitted_at=timezone.now() - timedelta(days=30)
        )
    content = nurse_client.get(URL).content.decode()
    assert "2 or more patients not discharged were last assessed more than 7 days ago" in content


# A refresh names the rows its board shows; only the rows that changed come back in full.


def _keys(content: str) -> list[str]:
    return re.findall(r'data-board-key="([0-9a-f]+)"', content)


def _refresh(client, ward, keys: list[str] | str):
    shown = keys if isinstance(keys, str) else ",".join(keys)
    headers = {"HX-Request": "true", "X-Board-Rows": shown}
    return client.get(f"{URL}?ward={ward.pk}", headers=headers).content.decode()


def test_a_refresh_sends_in_full_only_the_rows_that_changed_since_the_board_it_shows(
    nurse_client, nurse, ward, make_encounter
):
    for number in range(3):
        make_encounter(patient_identifier=f"STILL{number}")
    urgent = make_encounter(patient_identifier="URGENT", answers=RADICULAR)
    shown = nurse_client.get(URL).content.decode()
    keys = _keys(shown)
    assert len(keys) == 4 and len(set(keys)) == 4
    # Nothing changed: every row is a pointer to its place in the list the board sent.
    unchanged = _refresh(nurse_client, ward, keys)
    assert _keys(unchanged) == [] and "STILL0" not in unchanged
    assert re.findall(r'<tr data-board-same="(\d+)"></tr>', unchanged) == ["0", "1", "2", "3"]

    record_registrar_call(urgent.rounds.get(), by=nurse)
    make_encounter(patient_identifier="NEWCOMER")
    # Sent in another order, the pointers follow it; the changed and the new rows come whole.
    changed = _refresh(nurse_client, ward, list(reversed(keys)))
    assert 'data-escalation-record="recorded"' in _row_of(changed, "URGENT")
    assert ">NEWCOMER</a>" in changed and "STILL0" not in changed
    old_urgent = _keys(_row_of(shown, "URGENT"))[0]  # as the board the page shows had it
    places = [int(place) for place in re.findall(r'data-board-same="(\d+)"', changed)]
    assert sorted(list(reversed(keys))[place] for place in places) == sorted(
        key for key in keys if key != old_urgent
    )
    assert len(_keys(changed)) == 2  # URGENT, now recorded, and NEWCOMER


@pytest.mark.parametrize(
    "shown",
    [
        lambda keys: "",
        lambda keys: "not-a-key",
        lambda keys: f"{keys[0]},0123456789ABCDEF",  # one well formed, one not: none is trusted
        lambda keys: ",".join([keys[0]] * 401),  # more than a board names
    ],
    ids=["none", "malformed", "partly malformed", "too many"],
)
def test_a_refresh_naming_no_well_formed_rows_gets_the_whole_board(
    nurse_client, ward, make_encounter, shown
):
    make_encounter(patient_identifier="WHOLE")
    keys = _keys(nurse_client.get(URL).content.decode())
    content = _refresh(nurse_client, ward, shown(keys))
    assert "data-board-same" not in content and _keys(content) == keys


def test_only_a_refresh_of_the_board_is_sent_pointers(nurse_client, ward, make_encounter):
    make_encounter(patient_identifier="PAGE")
    keys = _keys(nurse_client.get(URL).content.decode())
    page = nurse_client.get(f"{URL}?ward={ward.pk}", headers={"X-Board-Rows": keys[0]})
    assert "data-board-same" not in page.content.decode() and ">PAGE</a>" in page.content.decode()
    assert "X-Board-Rows" in page["Vary"]


def test_a_row_changes_when_a_due_time_passes_not_with_every_minute(ward, make_encounter):
    from triage.ward_board import board_rows, rows_html

    at = timezone.now()
    make_encounter(patient_identifier="MINUTE", submitted_at=at)
    first = rows_html(board_rows(ward, at + timedelta(minutes=10)))
    # How long until each due time is written by the page, against the server's time.
    assert rows_html(board_rows(ward, at + timedelta(minutes=11))) == first
    due = board_rows(ward, at)[0].due
    for kind in ("vitals", "neuro"):
        assert f'data-due-span="{int(due[kind]["at"].timestamp() * 1000)}"' in first
    assert "(in " not in first and " ago)" not in first and "data-due-overdue" not in first
    passed = rows_html(board_rows(ward, due["neuro"]["at"] + timedelta(seconds=1)))
    assert passed != first and "data-due-overdue" in passed


def test_the_board_says_the_servers_time_it_was_written_at(nurse_client, make_encounter):
    make_encounter(patient_identifier="CLOCK")
    before = timezone.now()
    content = nurse_client.get(URL).content.decode()
    sent = int(re.search(r'data-board-now="(\d+)"', content).group(1))
    assert before.timestamp() * 1000 - 1 <= sent <= timezone.now().timestamp() * 1000 + 1
