"""A signed-in request reads its session and its user in one statement (`session_store`), while
Django still decides who is signed in: the user id in the session's data, an active account,
and the password the session was signed in with."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.factories import PASSWORD
from triage.auth_backend import RolesBackend
from triage.db.roles import as_owner
from triage.models import BrowserSession

MIGRATION = import_module("triage.migrations.0022_browser_sessions")


def session_row(client) -> BrowserSession:
    return BrowserSession.objects.get(pk=client.session.session_key)


def signed_in_as(response) -> str | None:
    user = response.context["user"] if response.context else None
    return user.get_username() if user is not None and user.is_authenticated else None


@pytest.fixture
def signed_in(client, nurse, published_guidance):
    assert client.post("/accounts/login/", {"username": "nurse1", "password": PASSWORD})
    assert client.get("/").status_code == 200  # the guidance cache is warm, as on a server
    return client


def test_signing_in_writes_whose_session_it_is_beside_it(signed_in, nurse):
    assert session_row(signed_in).user_id == nurse.pk


def test_a_signed_in_page_reads_its_session_and_user_in_one_query(
    signed_in, django_assert_num_queries
):
    with django_assert_num_queries(1) as queries:
        response = signed_in.get("/")
    assert signed_in_as(response) == "nurse1"
    assert "triage_browsersession" in queries.captured_queries[0]["sql"]
    assert "role_names" in queries.captured_queries[0]["sql"]  # and the user's roles


def test_a_session_saved_without_its_user_still_signs_in_and_gains_it(
    signed_in, nurse, settings, django_assert_num_queries
):
    """As a session kept over the upgrade that added the column."""
    BrowserSession.objects.filter(pk=signed_in.session.session_key).update(user=None)
    # The session with its user (none), the session alone, then its user by id.
    with django_assert_num_queries(3):
        assert signed_in_as(signed_in.get("/")) == "nurse1"
    settings.SESSION_TOUCH_SECONDS = 0  # the next request saves the session
    assert signed_in_as(signed_in.get("/")) == "nurse1"
    assert session_row(signed_in).user_id == nurse.pk


def test_the_user_named_in_the_sessions_data_is_the_one_signed_in(signed_in, nurse, physician):
    BrowserSession.objects.filter(pk=signed_in.session.session_key).update(user=physician)
    assert signed_in.session[SESSION_KEY] == str(nurse.pk)
    assert signed_in_as(signed_in.get("/")) == "nurse1"


def test_a_deactivated_account_is_signed_out_at_its_next_request(signed_in, nurse):
    nurse.is_active = False
    nurse.save()
    response = signed_in.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_changed_password_ends_the_sessions_signed_in_with_the_old_one(signed_in, nurse):
    nurse.set_password("a completely new passphrase")
    nurse.save()
    response = signed_in.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_signing_out_deletes_the_session(signed_in):
    key = signed_in.session.session_key
    assert signed_in.post("/accounts/logout/").status_code == 302
    assert not BrowserSession.objects.filter(pk=key).exists()
    assert signed_in.get("/").status_code == 302


def test_outside_a_request_the_backend_reads_the_user_by_id(db, nurse, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert RolesBackend().get_user(nurse.pk).pk == nurse.pk


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_carries_live_sessions_over_and_empties_djangos_table():
    """Migration 0022: nobody is signed out by it (a live session's user is written at its
    next save); an expired session is not carried."""
    carry = MIGRATION.Migration.operations[-1]
    now = timezone.now()
    with as_owner(connection), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, 'live data', %s), (%s, 'old data', %s)",
            ["live" * 8, now + timedelta(hours=1), "gone" * 8, now - timedelta(hours=1)],
        )
        for statement in carry.sql:
            cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM django_session")
        assert cursor.fetchone() == (0,)
    carried = BrowserSession.objects.values_list("session_key", "session_data", "user_id")
    assert list(carried) == [("live" * 8, "live data", None)]


def test_clearsessions_deletes_expired_sessions_as_the_application(signed_in):
    """The hourly housekeeping (`clearsessions`, run with the application's login)."""
    live = signed_in.session.session_key
    BrowserSession.objects.create(
        session_key="x" * 32, session_data="old", expire_date=timezone.now() - timedelta(days=1)
    )
    call_command("clearsessions")
    assert list(BrowserSession.objects.values_list("session_key", flat=True)) == [live]
