"""A session ends SESSION_MAX_HOURS after sign-in however active it is, and what is kept of
forms posted while signed out is bounded."""

from __future__ import annotations

import time

import pytest

from triage.session_lifetime import SIGNED_IN_AT, TOUCHED_AT

pytestmark = pytest.mark.django_db


def signed_in_hours_ago(client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - hours * 3600)
    session.save()


def test_signing_in_notes_when(client, nurse):
    before = int(time.time())
    client.force_login(nurse)
    assert before <= client.session[SIGNED_IN_AT] <= time.time()


def test_an_active_session_within_the_limit_goes_on(client, nurse, settings):
    settings.SESSION_MAX_HOURS = 12
    client.force_login(nurse)
    signed_in_hours_ago(client, 11.9)
    assert client.get("/encounters/").status_code == 200


def test_a_session_past_the_limit_is_signed_out_with_a_reason(client, nurse, settings):
    settings.SESSION_MAX_HOURS = 12
    client.force_login(nurse)
    signed_in_hours_ago(client, 12.1)
    response = client.get("/encounters/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/encounters/"
    page = client.get(response["Location"]).content.decode()
    assert "signed out 12 hours after signing in" in page
    assert client.get("/encounters/").status_code == 302  # still signed out


def session_expiry(client):
    from triage.models import BrowserSession

    return BrowserSession.objects.get(pk=client.session.session_key).expire_date


def test_activity_slides_the_idle_timeout_once_a_minute_not_on_every_request(
    client, nurse, settings, django_assert_max_num_queries
):
    client.force_login(nurse)  # signing in saves the session
    saved = session_expiry(client)
    with django_assert_max_num_queries(4) as queries:
        assert client.get("/encounters/").status_code == 200
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]]
    assert session_expiry(client) == saved
    # A minute later the next request saves it again: the idle timeout starts afresh.
    session = client.session
    session[TOUCHED_AT] = int(time.time()) - settings.SESSION_TOUCH_SECONDS
    session.save()
    before = session_expiry(client)
    client.get("/encounters/")
    assert session_expiry(client) > before
