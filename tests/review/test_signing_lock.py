"""Wrong signature passwords pause that physician's signing only: never their sign-in, never
anyone else's, and what they wrote is kept."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client

from tests.factories import PASSWORD
from tests.review.test_sign_off import sign_post, sign_url
from triage.models import SigningLock, SignOff

pytestmark = pytest.mark.django_db


def test_too_many_wrong_signatures_pause_signing_and_keep_the_comment(
    physician_client, physician, red_flag_encounter, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    comment = "Seen at the bedside; MRI booked."
    for attempt in range(1, limit + 1):
        response = physician_client.post(
            sign_url(red_flag_encounter),
            sign_post(red_flag_encounter, password="wrong", comment=comment),
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "That password is not right, so nothing was signed" in page
        assert ("signing is paused" in page) is (attempt == limit)
    # Now even the right password waits, and the comment is still in the box.
    response = physician_client.post(
        sign_url(red_flag_encounter), sign_post(red_flag_encounter, comment=comment)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Signing is paused for" in page
    assert comment in page
    assert not SignOff.objects.exists()
    # Sign-in is untouched: not counted by the sign-in lockout, and signing in still works.
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    fresh = Client()
    response = fresh.post(
        "/accounts/login/", {"username": physician.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_right_signature_clears_the_count(physician_client, physician, red_flag_encounter):
    for _ in range(2):
        physician_client.post(
            sign_url(red_flag_encounter), sign_post(red_flag_encounter, password="wrong")
        )
    assert SigningLock.objects.get(user=physician).failures == 2
    response = physician_client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 302
    assert SigningLock.objects.get(user=physician).failures == 0
    assert SignOff.objects.filter(encounter=red_flag_encounter).exists()


def test_one_physicians_paused_signing_does_not_pause_a_colleagues(
    client, physician, red_flag_encounter, ward, settings
):
    from tests.factories import UserFactory
    from triage.roles import Role

    colleague = UserFactory(username="colleague", roles=(Role.PHYSICIAN,), wards=(ward,))
    client.force_login(physician)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter, password="wrong"))
    client.force_login(colleague)
    response = client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 302
    assert SignOff.objects.get().signed_by == colleague
