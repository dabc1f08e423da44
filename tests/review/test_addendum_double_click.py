"""A double click on "Add addendum" stores it once (addenda are permanent)."""

from __future__ import annotations

import pytest

from tests.review.test_addenda_and_overrides import addendum_post, addendum_url
from triage.actions import review


@pytest.mark.django_db
def test_add_addendum_clicked_twice_after_sign_off_adds_it_once(
    physician_client, physician, red_flag_encounter
):
    review.sign_off(encounter=red_flag_encounter, by=physician, comment="", expected_version=None)
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    submission = page.split('name="submission" value="', 1)[1].split('"', 1)[0]
    data = addendum_post(red_flag_encounter, submission=submission)
    first = physician_client.post(addendum_url(red_flag_encounter), data)
    second = physician_client.post(addendum_url(red_flag_encounter), data)
    assert first.status_code == second.status_code == 302
    assert red_flag_encounter.addenda.count() == 1
    # A new rendering of the form is a new addendum, even with the same words.
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    again = page.split('name="submission" value="', 1)[1].split('"', 1)[0]
    assert again != submission
    physician_client.post(
        addendum_url(red_flag_encounter), addendum_post(red_flag_encounter, submission=again)
    )
    assert red_flag_encounter.addenda.count() == 2
