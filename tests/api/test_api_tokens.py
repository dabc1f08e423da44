"""Personal API tokens: made on the tokens page, shown once, stored as a digest, revocable,
expiring, and good for /api/ only."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.clinical.examples import assert_matches_expected, load_examples
from triage.actions.api_tokens import create_token, revoke_token
from triage.api_tokens import digest_of
from triage.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/api/v1/assess"
EXAMPLE = next(e for e in load_examples() if e.valid)
PAGE = "/accounts/api-tokens/"


def call(raw: str, body=EXAMPLE.findings, client: Client | None = None):
    """An API call as a script makes it: no session, no CSRF token, just the bearer token."""
    client = client or Client(enforce_csrf_checks=True)
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_a_token_made_on_the_page_is_shown_once_and_works(client, nurse):
    client.force_login(nurse)
    response = client.post(PAGE, {"name": "Ward dashboard"})

    page = response.content.decode()
    raw = re.search(r'id="new-token"[^>]*value="(vpt_[\w-]+)"', page).group(1)
    assert len(raw) == 4 + 43
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert token.digest == digest_of(raw) and raw not in token.digest
    assert token.prefix == raw[:10]
    # Never again: the list shows the start of it, not the token.
    again = client.get(PAGE).content.decode()
    assert raw not in again and f"{token.prefix}…" in again

    response = call(raw)
    assert response.status_code == 200
    assert_matches_expected(response.json(), EXAMPLE.expected)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_name_is_required(client, nurse):
    client.force_login(nurse)
    page = client.post(PAGE, {"name": "  "}).content.decode()
    assert '<a href="#id_name">Enter what the token is for</a>' in page
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "raw",
    ["", "vpt_nonsense", "Basic dXNlcjpwYXNz"],
    ids=["empty", "unknown", "basic-in-bearer"],
)
def test_an_unknown_token_is_401_never_the_session(client, nurse, raw):
    client.force_login(nurse)  # a session would be good, but the token named speaks for itself
    response = call(raw, client=client)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "not valid" in response.json()["errors"]["(request)"][0]


def test_a_revoked_token_stops_working_at_once(client, nurse):
    new = create_token(user=nurse, name="script")
    assert call(new.raw).status_code == 200
    client.force_login(nurse)
    response = client.post(
        reverse("accounts:api-token-revoke", kwargs={"pk": new.token.pk}), follow=True
    )
    assert "is revoked" in response.content.decode()
    assert call(new.raw).status_code == 401


def test_an_expired_token_or_an_inactive_user_is_refused(nurse, settings):
    settings.API_TOKEN_DAYS = 0  # expires as it is made
    expired = create_token(user=nurse, name="script")
    assert call(expired.raw).status_code == 401

    settings.API_TOKEN_DAYS = 90
    other = create_token(user=nurse, name="other")
    assert call(other.raw).status_code == 200
    nurse.is_active = False
    nurse.save()
    assert call(other.raw).status_code == 401


def test_a_token_carries_its_owners_roles(guidance_admin):
    new = create_token(user=guidance_admin, name="not clinical")
    assert call(new.raw).status_code == 403


def test_a_token_does_not_open_the_html_pages(nurse):
    new = create_token(user=nurse, name="script")
    response = Client().get("/encounters/", HTTP_AUTHORIZATION=f"Bearer {new.raw}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_nobody_can_revoke_someone_elses_token(client, nurse, physician):
    new = create_token(user=physician, name="theirs")
    client.force_login(nurse)
    response = client.post(reverse("accounts:api-token-revoke", kwargs={"pk": new.token.pk}))
    assert response.status_code == 404
    assert call(new.raw).status_code == 200


def test_the_page_is_for_nurses_and_physicians(client, guidance_admin):
    assert client.get(PAGE).status_code == 302
    client.force_login(guidance_admin)
    assert client.get(PAGE).status_code == 403


def test_making_and_revoking_are_audited(nurse):
    new = create_token(user=nurse, name="script")
    revoke_token(token=new.token, by=nurse)
    revoke_token(token=new.token, by=nurse)  # twice: one revocation
    events = ApiToken.pgh_event_model.objects.order_by("pgh_id")
    assert [(e.pgh_label, e.pgh_context.metadata["action"]) for e in events] == [
        ("insert", "api_token.create"),
        ("update", "api_token.revoke"),
    ]
    assert all(e.pgh_context.metadata["user"] == nurse.pk for e in events)


def test_using_a_token_writes_no_audit_event(nurse):
    new = create_token(user=nurse, name="script")
    for _ in range(3):
        call(new.raw)
    assert ApiToken.pgh_event_model.objects.count() == 1


def test_the_database_allows_only_revoking(nurse):
    token = create_token(user=nurse, name="script").token
    later = timezone.now() + timedelta(days=999)
    for change in ({"expires_at": later}, {"digest": "0" * 64}, {"user_id": nurse.pk + 1}):
        with pytest.raises(DatabaseError), transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(**change)
    revoke_token(token=token, by=nurse)
    with pytest.raises(DatabaseError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM triage_apitoken")


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_old_singular_account_address_moves_to_accounts_keeping_the_method(
    client, nurse, method
):
    client.force_login(nurse)
    response = getattr(client, method)("/account/api-tokens/?from=bookmark")
    assert response.status_code == 308  # a POST stays a POST
    assert response["Location"] == "/accounts/api-tokens/?from=bookmark"
    assert client.get(response["Location"]).status_code == 200


def test_a_tokens_last_use_is_written_at_most_once_a_minute(client, nurse):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(nurse)
    raw = re.search(
        r'id="new-token"[^>]*value="(vpt_[\w-]+)"',
        client.post(PAGE, {"name": "Ward script"}).content.decode(),
    ).group(1)
    assert call(raw).status_code == 200
    token = ApiToken.objects.get()
    first = token.last_used_at
    assert first is not None
    assert call(raw).status_code == 200  # within the minute: not written again
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(seconds=61))
    assert call(raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


def test_a_call_within_the_minute_reads_its_user_and_writes_nothing(
    nurse, django_assert_num_queries
):
    raw = create_token(user=nurse, name="Ward script").raw
    with django_assert_num_queries(2) as first:  # the user with the token, the last use noted
        assert call(raw).status_code == 200
    assert "UPDATE" in first.captured_queries[1]["sql"]
    with django_assert_num_queries(1) as again:  # the user with the token, nothing written
        assert call(raw).status_code == 200
    assert not again.captured_queries[0]["sql"].startswith("UPDATE")
    # Two tokens of one user: the one called is the one whose use counts.
    other = create_token(user=nurse, name="Other script").raw
    with django_assert_num_queries(2):
        assert call(other).status_code == 200
