"""Two-factor authentication: who is asked, setting up the app, wrong codes, recovery codes,
the API and htmx, and the switch."""

from __future__ import annotations

import json
import re

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.twofactor.conftest import code_now, enrol
from triage.actions.api_tokens import create_token
from triage.roles import Role

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/"
SET_UP = "/accounts/two-factor/set-up/"


@pytest.mark.parametrize("who", ["physician", "guidance_admin", "superuser"])
def test_each_role_that_needs_it_enters_a_code_before_any_page(client, request, two_factor_on, who):
    user = request.getfixturevalue(who)
    enrol(user)
    client.force_login(user)
    response = client.get("/encounters/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/encounters/"


def test_a_nurse_is_not_asked(client, nurse, two_factor_on):
    client.force_login(nurse)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing to enter: home


def test_staff_are_asked_whatever_their_role(client, two_factor_on):
    client.force_login(UserFactory(username="staff1", is_staff=True, roles=(Role.NURSE,)))
    assert client.get("/")["Location"] == f"{SET_UP}?next=/"


def test_without_an_app_they_set_one_up_then_see_ten_recovery_codes_once(
    client, physician, two_factor_on
):
    client.force_login(physician)
    assert client.get("/review/")["Location"] == f"{SET_UP}?next=/review/"

    page = client.get(f"{SET_UP}?next=/review/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=physician, confirmed=False)
    assert '<svg role="img"' in html and "<title>QR code" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg and "<script" not in svg
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert "Enter the 6-digit code from your authenticator app" in html
    assert client.get("/review/")["Location"].startswith(SET_UP)  # not yet

    response = client.post(f"{SET_UP}?next=/review/", {"code": code_now(device)})
    assert response["Location"] == "/accounts/two-factor/recovery-codes/?next=%2Freview%2F"
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert client.get(response["Location"]).status_code == 302  # shown only once
    assert client.get("/review/").status_code == 200  # verified in this session


def test_a_second_app_cannot_be_set_up_with_the_password_alone(client, physician, two_factor_on):
    enrol(physician)
    client.force_login(physician)
    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=physician).count() == 1


def test_the_right_code_opens_the_page_asked_for(client, physician, two_factor_on):
    device, _ = enrol(physician)
    client.force_login(physician)
    response = client.post(f"{VERIFY}?next=/review/", {"code": code_now(device)})
    assert response["Location"] == "/review/"
    assert client.get("/review/").status_code == 200


def test_a_wrong_code_is_refused_in_words_and_counted(client, physician, two_factor_on):
    device, _ = enrol(physician)
    client.force_login(physician)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Straight after a wrong code even the right one waits: guessing is slowed down.
    response = client.post(VERIFY, {"code": code_now(device)})
    assert "too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302
    # Not six digits: said in words, not counted.
    response = client.post(VERIFY, {"code": "12ab"})
    assert "Enter the 6 digits the app shows" in response.content.decode()


def test_a_recovery_code_works_once(client, physician, two_factor_on):
    _, codes = enrol(physician)
    client.force_login(physician)
    url = f"{VERIFY}?with=recovery"
    form = client.get(url).content.decode()
    assert "Enter one of your recovery codes" in form and 'inputmode="numeric"' not in form
    response = client.post(url, {"code": codes[0].upper()}, follow=True)
    assert "You used a recovery code: 9 left" in response.content.decode()
    assert client.get("/").status_code == 200

    client.logout()
    client.force_login(physician)
    response = client.post(url, {"code": codes[0]})
    assert "has been used already" in response.content.decode()
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=physician).count() == 9


def test_htmx_is_told_to_load_the_code_page_whole(client, physician, two_factor_on):
    enrol(physician)
    client.force_login(physician)
    response = client.get("/review/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{VERIFY}?next=/review/"


def test_the_api_answers_json_to_a_session_without_the_code_but_serves_a_token(
    client, physician, two_factor_on
):
    enrol(physician)
    client.force_login(physician)
    response = client.post("/api/v1/assess", "{}", content_type="application/json")
    assert response.status_code == 401
    assert "two-factor" in response.json()["errors"]["(request)"][0]

    raw = create_token(user=physician, name="script").raw
    client.logout()
    response = client.post(
        "/api/v1/assess",
        json.dumps({}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert "escalation" in response.json()  # assessed: nothing found, so not reassured


def test_switched_off_nobody_is_asked(client, physician, settings):
    settings.TRIAGE_REQUIRE_2FA = False
    enrol(physician)
    client.force_login(physician)
    assert client.get("/review/").status_code == 200
    assert client.get(f"{VERIFY}?next=/review/")["Location"] == "/review/"
    assert client.get(SET_UP)["Location"] == "/"


def test_an_outside_address_is_never_the_way_back(client, physician, two_factor_on):
    device, _ = enrol(physician)
    client.force_login(physician)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": code_now(device)})
    assert response["Location"] == "/"


def session_holding(client, user, device) -> None:
    """A signed-in session that says `device` verified it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_a_session_verified_by_the_users_app_or_recovery_codes_opens_pages(
    client, physician, two_factor_on
):
    device, _ = enrol(physician)
    for verified_by in (device, StaticDevice.objects.get(user=physician)):
        session_holding(client, physician, verified_by)
        assert client.get("/review/").status_code == 200
        assert client.session[DEVICE_ID_SESSION_KEY] == verified_by.persistent_id


@pytest.mark.parametrize("change", ["another_users", "unconfirmed", "deleted"])
def test_a_session_whose_device_is_not_the_users_confirmed_one_is_asked_again(
    client, physician, two_factor_on, change
):
    """The device the session names is checked against the user's confirmed devices (read
    with the user): another user's, one no longer confirmed or one deleted verifies nothing,
    and the session forgets it."""
    device, _ = enrol(physician)
    other, _ = enrol(UserFactory(username="physician2", roles=[Role.PHYSICIAN]))
    session_holding(client, physician, other if change == "another_users" else device)
    if change == "unconfirmed":
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    elif change == "deleted":
        device.delete()
    response = client.get("/review/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY[:-1])
    assert DEVICE_ID_SESSION_KEY not in client.session
