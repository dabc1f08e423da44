"""The nurse's list shows their newest drafts and says how many there are in all."""

import re
import uuid

import pytest

from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory
from tests.wizard.helpers import patient_post
from triage.actions import review as actions
from triage.presenters import encounter_badges
from triage.views.encounters import (
    DRAFTS_READ,
    DRAFTS_SHOWN,
    RECENT_READ,
    nurses_drafts,
    recently_submitted,
)


def start_drafts(client, ward, count: int) -> list[str]:
    identifiers = [f"RX{9000 + n}" for n in range(count)]
    for identifier in identifiers:
        response = client.post(
            "/encounters/new/",
            {**patient_post(ward, identifier=identifier), "client_token": str(uuid.uuid4())},
        )
        assert response.status_code == 302
    return identifiers


def test_a_few_drafts_are_all_shown_without_a_count(nurse_client, ward):
    identifiers = start_drafts(nurse_client, ward, 3)
    page = nurse_client.get("/encounters/").content.decode()
    assert all(identifier in page for identifier in identifiers)
    assert "data-drafts-hidden" not in page


def test_many_drafts_show_the_newest_with_the_count_and_a_link_to_all(nurse_client, ward):
    identifiers = start_drafts(nurse_client, ward, DRAFTS_SHOWN + 2)
    page = nurse_client.get("/encounters/").content.decode()
    newest, oldest = identifiers[2:], identifiers[:2]
    assert all(f"<strong>{identifier}</strong>" in page for identifier in newest)
    assert not any(f"<strong>{identifier}</strong>" in page for identifier in oldest)
    assert f"You have {DRAFTS_SHOWN + 2} unfinished assessments" in page
    assert f'<a href="?drafts=all">Show all {DRAFTS_SHOWN + 2}</a>' in page

    everything = nurse_client.get("/encounters/?drafts=all").content.decode()
    assert all(f"<strong>{identifier}</strong>" in everything for identifier in identifiers)
    assert "data-drafts-hidden" not in everything


@pytest.mark.parametrize("extra", [1, 15])
def test_the_list_costs_the_same_queries_however_many_drafts(
    nurse_client, ward, extra, django_assert_num_queries
):
    start_drafts(nurse_client, ward, DRAFTS_SHOWN + extra)
    # The session with its user (and their wards), as for any page, plus the drafts, their
    # count and the recent list.
    with django_assert_num_queries(4):
        nurse_client.get("/encounters/")


def test_showing_all_drafts_counts_them_without_asking_again(
    nurse_client, ward, django_assert_num_queries
):
    start_drafts(nurse_client, ward, DRAFTS_SHOWN + 2)
    with django_assert_num_queries(3):  # the list's four, less the count
        page = nurse_client.get("/encounters/?drafts=all").content.decode()
    assert page.count("Resume at") == DRAFTS_SHOWN + 2


def test_the_lists_compiled_reads_give_what_their_querysets_give(
    nurse_client, nurse, physician, ward, other_ward
):
    """Each user's own drafts and their wards' submitted encounters, with what the rows show."""
    start_drafts(nurse_client, ward, 3)
    submitted = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    SubmittedEncounterFactory(ward=other_ward, created_by=nurse, answers=WEAK_LEG)
    drafts = DRAFTS_READ.all(nurse.pk)
    assert [d.pk for d in drafts] == [d.pk for d in nurses_drafts(nurse.pk)]
    assert [d.encounter.patient_identifier for d in drafts] == ["RX9002", "RX9001", "RX9000"]
    assert DRAFTS_READ.all(physician.pk) == []  # not theirs
    recent = RECENT_READ.all(nurse.pk)
    assert [e.pk for e in recent] == [e.pk for e in recently_submitted(nurse.pk)]
    assert [e.pk for e in recent] == [submitted.pk]  # the other ward's is not the nurse's
    row = recent[0]
    assert (row.ward.name, row.created_by.get_username()) == (ward.name, nurse.username)
    assert (row.escalation, row.red_flag_codes) == (submitted.escalation, submitted.red_flag_codes)
    assert encounter_badges(row)["signed"] is False
    actions.sign_off(encounter=submitted, by=physician, comment="", expected_version=None)
    assert encounter_badges(RECENT_READ.all(nurse.pk)[0])["signed"] is True
    page = nurse_client.get("/encounters/").content.decode()
    assert re.search(rf'data-encounter="{submitted.pk}".*?data-signed>Signed off', page, re.S)
    shown = f">{submitted.patient_identifier}</a> · {ward.name} · submitted "
    assert shown in page and f" by {nurse.username}\n" in page


def test_the_recent_list_is_drawn_again_when_a_row_changes_and_kept_otherwise(
    nurse_client, nurse, physician, ward, monkeypatch
):
    """The recently submitted list is kept under the columns read: a second look makes no
    rows, and a row that changes (signed off) is drawn again, never shown as it was."""
    from triage.views import encounters as views

    submitted = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    made = []
    original = views.recent_row
    monkeypatch.setattr(views, "recent_row", lambda e: made.append(e.pk) or original(e))
    row = rf'data-encounter="{submitted.pk}".*?data-'
    first = nurse_client.get("/encounters/").content.decode()
    assert re.search(row + "unsigned", first, re.S)
    assert made == [submitted.pk]
    again = nurse_client.get("/encounters/").content.decode()
    assert made == [submitted.pk]  # the kept list: no row made
    shown = "Recently submitted on your wards"
    assert again[again.index(shown) :] == first[first.index(shown) :]
    actions.sign_off(encounter=submitted, by=physician, comment="", expected_version=None)
    signed = nurse_client.get("/encounters/").content.decode()
    assert re.search(row + "signed>Signed off", signed, re.S)
    assert made == [submitted.pk, submitted.pk]
