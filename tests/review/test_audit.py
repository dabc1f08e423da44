"""The audit trail: who changed what when, as a page and a CSV; its tables are append-only."""

from __future__ import annotations

import csv
import io
import re

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.factories import PASSWORD
from triage.audit_trail import audit_trail
from triage.models import Encounter, EncounterView


@pytest.fixture
def reviewed(physician_client, red_flag_encounter):
    """An encounter overridden, signed and given an addendum by physician1, through the app."""
    encounter = red_flag_encounter
    pk = encounter.pk

    def version() -> int:
        encounter.refresh_from_db()
        return encounter.lock_version

    responses = [
        physician_client.post(
            f"/encounters/{pk}/rounds/1/overrides/",
            {
                "item": "pathway:cord_compression",
                "decision": "confirmed",
                "reason": "MRI shows cement in the canal",
                "password": PASSWORD,
                "lock_version": version(),
            },
        ),
        physician_client.post(
            f"/encounters/{pk}/sign/",
            {"comment": "Seen", "password": PASSWORD, "lock_version": version()},
        ),
        physician_client.post(
            f"/encounters/{pk}/addenda/",
            {"text": "Surgery booked", "password": PASSWORD, "lock_version": version()},
        ),
    ]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert physician_client.get(f"/encounters/{pk}/").status_code == 200
    return encounter


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_audit_page_says_who_did_what_when_in_words(physician_client, reviewed):
    content = physician_client.get(f"/encounters/{reviewed.pk}/audit/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))
    for what in (
        "Started the assessment by",
        "Submitted the assessment by",
        "Overrode a finding by physician1",
        "Signed off the encounter by physician1",
        "Added an addendum by physician1",
    ):
        assert what in text, what
    # The reads of the record (one after the review, one of this page) within an hour.
    assert re.search(r"Read the record (\(\d times\) )?by physician1", text)
    assert "Reason: MRI shows cement in the canal" in text
    assert "Finding: Spinal cord compression" in text
    assert "Status: Draft → Submitted" in text
    assert "Result: Emergency" in text
    for bookkeeping in (
        "lock_version",
        "queue_rank",
        "client_token",
        "ward_id",
        "encounter.sign_off",
    ):
        assert bookkeeping not in text, bookkeeping


def test_one_action_is_one_entry_however_many_rows_it_wrote(physician_client, reviewed):
    """Signing off writes the sign-off and moves the encounter on: one entry on the page."""
    content = physician_client.get(f"/encounters/{reviewed.pk}/audit/").content.decode()
    assert content.count("Signed off the encounter") == 1
    assert content.count("Submitted the assessment") == 1


def test_the_csv_lists_each_change_with_user_and_url(physician_client, reviewed):
    rows = rows_of(physician_client.get(f"/encounters/{reviewed.pk}/audit.csv"))
    assert list(rows[0]) == ["when", "who", "what", "action", "field", "before", "after", "url"]
    sign_off = [row for row in rows if row["what"] == "Sign-off: insert"]
    assert {row["who"] for row in sign_off} == {"physician1"}
    assert {row["url"] for row in sign_off} == {f"/encounters/{reviewed.pk}/sign/"}
    assert {"field": "comment", "after": "Seen"}.items() <= next(
        row for row in sign_off if row["field"] == "comment"
    ).items()
    # An update shows the field's value before and after (pghistory's diff).
    rank = next(
        row
        for row in rows
        if row["what"] == "Encounter: update"
        and row["field"] == "queue_rank"
        and row["after"] == "0"
    )
    # The reviewed encounter had a red flag: an unsigned emergency (rank 3) until signed.
    assert (rank["before"], rank["who"], rank["action"]) == (
        "3",
        "physician1",
        "encounter.sign_off",
    )
    assert any(row["what"] == "Record viewed" and row["who"] == "physician1" for row in rows)
    whens = [row["when"] for row in rows]
    assert whens == sorted(whens)


def test_a_readers_reads_within_an_hour_are_one_line_on_the_page_and_each_a_row_in_the_csv(
    physician_client, red_flag_encounter
):
    for _ in range(3):
        assert physician_client.get(f"/encounters/{red_flag_encounter.pk}/").status_code == 200
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/audit/")
    reads = [action for action in page.context["actions"] if action.what == "Read the record"]
    # Four reads (three of the record, one of this page), one line per hour they fell in.
    assert sum(action.times for action in reads) == 4
    assert len(reads) <= 2  # two only if the reads straddled the hour
    assert all(action.who == "physician1" for action in reads)
    if len(reads) == 1:
        assert "Read the record (4 times)" in page.content.decode()
        assert reads[0].until is not None and reads[0].until > reads[0].at
    rows = rows_of(physician_client.get(f"/encounters/{red_flag_encounter.pk}/audit.csv"))
    # The CSV (a fifth read, recorded before it is written) lists every read on its own row.
    assert sum(row["what"] == "Record viewed" for row in rows) == 5


def test_the_csv_cannot_smuggle_a_formula(physician_client, red_flag_encounter):
    red_flag_encounter.refresh_from_db()
    physician_client.post(
        f"/encounters/{red_flag_encounter.pk}/addenda/",
        {
            "text": '=HYPERLINK("x")',
            "password": PASSWORD,
            "lock_version": red_flag_encounter.lock_version,
        },
    )
    rows = rows_of(physician_client.get(f"/encounters/{red_flag_encounter.pk}/audit.csv"))
    texts = [
        row["after"] for row in rows if row["what"] == "Addendum: insert" and row["field"] == "text"
    ]
    assert texts == ['\'=HYPERLINK("x")']


@pytest.mark.parametrize("suffix", ["audit/", "audit.csv"])
def test_the_audit_has_the_encounters_access_rules(
    client, red_flag_encounter, nurse, stranger, guidance_admin, suffix
):
    url = f"/encounters/{red_flag_encounter.pk}/{suffix}"
    assert client.get(url).status_code == 302
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(guidance_admin)
    assert client.get(url).status_code == 403
    client.force_login(nurse)
    assert client.get(url).status_code == 200


def test_reading_the_audit_is_itself_logged_for_physicians(physician_client, red_flag_encounter):
    physician_client.get(f"/encounters/{red_flag_encounter.pk}/audit.csv")
    assert EncounterView.objects.get().path == f"/encounters/{red_flag_encounter.pk}/audit.csv"


APPEND_ONLY_TABLES = [
    "triage_encounterevent",
    "triage_roundevent",
    "triage_signoffevent",
    "triage_addendumevent",
    "triage_overrideevent",
    "triage_signoff",
    "triage_addendum",
    "triage_override",
    "triage_encounterview",
]


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_audit_records_cannot_be_changed_or_deleted_even_by_raw_sql(reviewed, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant table names)
        (count,) = cursor.fetchone()
    assert count > 0
    column = "pgh_label" if table.endswith("event") else "id"
    value = "'tampered'" if column == "pgh_label" else "id + 1000"
    for statement in (
        f"UPDATE {table} SET {column} = {value}",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone() == (count,)


def test_a_change_says_who_made_it_or_that_the_system_or_a_deleted_account_did(
    red_flag_encounter, nurse
):
    """The name comes with the change, read in the same query; a change made outside any
    session (a script) is the system's, and one whose account is gone says so."""
    for user in (nurse.pk, None, 987654):
        with pghistory.context(user=user, action="test.change"):
            Encounter.objects.filter(pk=red_flag_encounter.pk).update(updated_at=timezone.now())
    changes = [e for e in audit_trail(red_flag_encounter) if e.action == "test.change"]
    assert [e.who for e in changes] == [nurse.username, "system", "a deleted account"]


def test_a_long_value_is_cut_on_the_page_and_whole_in_the_csv(physician_client, reviewed):
    text = "Plan: " + "mobilise with physiotherapy, review analgesia; " * 12 + "home."
    response = physician_client.post(
        f"/encounters/{reviewed.pk}/addenda/",
        {"text": text, "password": PASSWORD, "lock_version": reviewed.lock_version},
    )
    assert response.status_code == 302
    page = physician_client.get(f"/encounters/{reviewed.pk}/audit/").content.decode()
    shown = text[:299] + "…"
    assert f"<dd>{shown}</dd>" in page
    assert text not in page
    rows = rows_of(physician_client.get(f"/encounters/{reviewed.pk}/audit.csv"))
    assert text in [row["after"] for row in rows]


def test_a_value_emptied_reads_cleared():
    from triage.audit_words import Change

    assert Change("Comment", "Seen", "").after_shown == "(cleared)"
    assert Change("Comment", "", "Seen").before_shown == ""
