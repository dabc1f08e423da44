"""Addenda (signed, allowed after the lock) and overrides (beside the original, before sign-off)."""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError, transaction

from tests.factories import PASSWORD
from triage.actions import review as actions
from triage.models import Addendum, Encounter, Override


def addendum_url(encounter: Encounter) -> str:
    return f"/encounters/{encounter.pk}/addenda/"


def override_url(encounter: Encounter, number: int = 1) -> str:
    return f"/encounters/{encounter.pk}/rounds/{number}/overrides/"


def version(encounter: Encounter) -> int:
    encounter.refresh_from_db()
    return encounter.lock_version


def addendum_post(encounter: Encounter, **overrides) -> dict:
    return {
        "text": "Spoke to the family at 14:00.",
        "password": PASSWORD,
        "lock_version": version(encounter),
        **overrides,
    }


def override_post(encounter: Encounter, **overrides) -> dict:
    return {
        "item": "red_flag:progressive_neuro_deficit",
        "decision": "ruled_out",
        "reason": "Left L4 weakness documented before the procedure.",
        "password": PASSWORD,
        "lock_version": version(encounter),
        **overrides,
    }


@pytest.fixture
def signed(red_flag_encounter, physician) -> Encounter:
    actions.sign_off(encounter=red_flag_encounter, by=physician, comment="", expected_version=None)
    return red_flag_encounter


# --- Addenda --------------------------------------------------------------------------------------


def test_an_addendum_after_sign_off_is_added(physician_client, signed, physician):
    response = physician_client.post(addendum_url(signed), addendum_post(signed))
    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.author, addendum.text) == (physician, "Spoke to the family at 14:00.")
    page = physician_client.get(f"/encounters/{signed.pk}/").content.decode()
    assert "Spoke to the family at 14:00." in page
    assert 'data-status="signed"' in page


def test_an_addendum_before_sign_off_moves_the_version_on(physician_client, red_flag_encounter):
    before = version(red_flag_encounter)
    response = physician_client.post(
        addendum_url(red_flag_encounter), addendum_post(red_flag_encounter)
    )
    assert response.status_code == 302
    assert version(red_flag_encounter) == before + 1


def test_an_addendum_needs_the_password_and_keeps_the_text(physician_client, signed):
    response = physician_client.post(
        addendum_url(signed), addendum_post(signed, password="wrong-password")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "That password is not right" in content
    assert "\nSpoke to the family at 14:00.</textarea>" in content
    assert not Addendum.objects.exists()


def test_an_empty_addendum_is_refused(physician_client, signed):
    response = physician_client.post(addendum_url(signed), addendum_post(signed, text="   "))
    assert response.status_code == 400
    assert "Write the addendum." in response.content.decode()
    assert not Addendum.objects.exists()


def test_an_addendum_from_a_page_read_before_sign_off_is_a_conflict(
    physician_client, red_flag_encounter, physician
):
    stale = addendum_post(red_flag_encounter)
    actions.sign_off(encounter=red_flag_encounter, by=physician, comment="", expected_version=None)
    response = physician_client.post(addendum_url(red_flag_encounter), stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else has saved changes" in content
    assert "\nSpoke to the family at 14:00.</textarea>" in content
    assert not Addendum.objects.exists()


def test_nurses_cannot_add_addenda(client, nurse, signed):
    client.force_login(nurse)
    assert client.post(addendum_url(signed), addendum_post(signed)).status_code == 403
    assert "Sign and add addendum" not in client.get(f"/encounters/{signed.pk}/").content.decode()


# --- Overrides ------------------------------------------------------------------------------------


def test_an_override_is_shown_beside_the_original_which_is_unchanged(
    physician_client, red_flag_encounter, physician
):
    round = red_flag_encounter.rounds.get()
    original = copy.deepcopy(round.assessment)
    response = physician_client.post(
        override_url(red_flag_encounter), override_post(red_flag_encounter)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/encounters/{red_flag_encounter.pk}/?round=1#overrides"
    override = Override.objects.get()
    assert (override.kind, override.code, override.original, override.decision) == (
        "red_flag",
        "progressive_neuro_deficit",
        "raised",
        "ruled_out",
    )
    assert override.by == physician
    round.refresh_from_db()
    assert round.assessment == original
    page = physician_client.get(response["Location"]).content.decode()
    row = page[page.index('data-override="red_flag:progressive_neuro_deficit"') :]
    row = row[: row.index("</tr>")]
    assert "Progressive neurological deficit" in row
    assert "raised" in row
    assert "Disagree: ruled out" in row
    assert "Left L4 weakness documented before the procedure." in row
    # ...and the original red flag is still shown as the nurse saw it.
    assert 'data-red-flag="progressive_neuro_deficit"' in page


def test_a_pathway_override_records_its_original_status(physician_client, red_flag_encounter):
    response = physician_client.post(
        override_url(red_flag_encounter),
        override_post(
            red_flag_encounter, item="pathway:cord_compression", decision="agree_with_changes"
        ),
    )
    assert response.status_code == 302
    assert Override.objects.get().original == "suspected"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_an_override_without_a_reason_is_refused(physician_client, red_flag_encounter, reason):
    response = physician_client.post(
        override_url(red_flag_encounter), override_post(red_flag_encounter, reason=reason)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Give the reason for your decision." in content
    assert 'href="#id_override_reason"' in content
    assert '<details class="mt-3" open>' in content
    assert not Override.objects.exists()


def test_the_database_refuses_an_override_without_a_reason(red_flag_encounter, physician):
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.create(
            round=red_flag_encounter.rounds.get(),
            kind="red_flag",
            code="progressive_neuro_deficit",
            original="raised",
            decision="ruled_out",
            reason="",
            by=physician,
        )


def test_an_item_the_assessment_did_not_raise_cannot_be_overridden(
    physician_client, red_flag_encounter
):
    response = physician_client.post(
        override_url(red_flag_encounter),
        override_post(red_flag_encounter, item="red_flag:news2_high"),
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValueError):
        actions.add_override(
            round=red_flag_encounter.rounds.get(),
            by=None,
            kind="red_flag",
            code="news2_high",
            decision="ruled_out",
            reason="x",
            expected_version=None,
        )
    assert not Override.objects.exists()


def test_overrides_are_refused_after_sign_off(physician_client, signed):
    page = physician_client.get(f"/encounters/{signed.pk}/").content.decode()
    assert "Record a decision on a red flag or pathway" not in page
    response = physician_client.post(override_url(signed), override_post(signed))
    assert response.status_code == 409
    assert "signed off and is locked" in response.content.decode()
    assert not Override.objects.exists()


def test_a_stale_override_is_a_conflict_that_keeps_the_reason(
    physician_client, red_flag_encounter, physician
):
    stale = override_post(red_flag_encounter, reason="My reasoning, typed carefully")
    actions.add_addendum(
        encounter=red_flag_encounter, by=physician, text="Meanwhile", expected_version=None
    )
    response = physician_client.post(override_url(red_flag_encounter), stale)
    assert response.status_code == 409
    assert "\nMy reasoning, typed carefully</textarea>" in response.content.decode()
    assert not Override.objects.exists()


def test_overrides_of_a_round_that_does_not_exist_are_404(physician_client, red_flag_encounter):
    response = physician_client.post(
        override_url(red_flag_encounter, 2), override_post(red_flag_encounter)
    )
    assert response.status_code == 404


def test_nurses_cannot_override(client, nurse, red_flag_encounter):
    client.force_login(nurse)
    response = client.post(override_url(red_flag_encounter), override_post(red_flag_encounter))
    assert response.status_code == 403
    assert not Override.objects.exists()


def test_an_override_needs_the_password_and_keeps_what_was_typed(
    physician_client, red_flag_encounter
):
    response = physician_client.post(
        override_url(red_flag_encounter),
        override_post(red_flag_encounter, password="wrong-password"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "That password is not right, so nothing was signed" in content
    assert "Left L4 weakness documented before the procedure." in content
    assert not Override.objects.exists()
