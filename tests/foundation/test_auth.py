import pytest

from tests.factories import PASSWORD


def test_login_page_is_served(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'lang="en-GB"' in response.content


def test_pages_require_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_login_with_the_right_password_lands_on_home(client, nurse):
    response = client.post("/accounts/login/", {"username": "nurse1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_a_wrong_password_says_so(client, nurse):
    response = client.post("/accounts/login/", {"username": "nurse1", "password": "wrong"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "nurse1", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "nurse1", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_logout_is_post_only(client, nurse):
    client.force_login(nurse)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("user_fixture", "section", "absent"),
    [
        ("nurse", "nurse", ["physician", "guidance_admin"]),
        ("physician", "physician", ["nurse", "guidance_admin"]),
        ("guidance_admin", "guidance_admin", ["nurse", "physician"]),
    ],
)
def test_each_role_lands_on_its_own_dashboard(client, db, request, user_fixture, section, absent):
    client.force_login(request.getfixturevalue(user_fixture))
    content = client.get("/").content.decode()
    assert f'data-role-section="{section}"' in content
    for other in absent:
        assert f'data-role-section="{other}"' not in content


def test_a_user_without_a_role_is_told_why_the_page_is_empty(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="norole"))
    assert b"no role yet" in client.get("/").content


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, nurse):
    client.force_login(nurse)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content
    assert b"style=" not in response.content


@pytest.mark.parametrize(
    ("user_fixture", "link"),
    [("nurse", "/encounters/new/"), ("physician", "/review/"), ("guidance_admin", "/guidance/")],
)
def test_each_dashboard_links_to_its_roles_work(client, db, request, user_fixture, link):
    client.force_login(request.getfixturevalue(user_fixture))
    assert f'href="{link}"' in client.get("/").content.decode()


def wrong_sign_ins(client, username: str, times: int, address: str = "10.0.0.5") -> None:
    for _ in range(times):
        client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )


def test_one_users_failures_do_not_lock_out_the_ward_behind_one_address(
    client, nurse, physician, settings
):
    """Behind a proxy or a ward's NAT everyone shares one address: only that user name pauses."""
    wrong_sign_ins(client, "nurse1", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        "/accounts/login/",
        {"username": physician.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
    )
    assert response.status_code == 302  # the physician signs in from the same address
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "nurse1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "this user name from this device" in page
    assert f"paused for {settings.LOCKOUT_MINUTES} minutes" in page
    assert "Other users" in page
    # The same user name from another address is not paused by someone guessing elsewhere.
    response = client.post(
        "/accounts/login/", {"username": "nurse1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_the_proxys_forwarded_address_counts_only_from_a_trusted_proxy(client, nurse, settings):
    settings.TRUSTED_PROXIES = frozenset({"10.9.9.9"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "nurse1", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="192.168.1.20, 10.9.9.9",
        )
    # Through the proxy from another ward PC: not the paused address.
    ok = client.post(
        "/accounts/login/",
        {"username": "nurse1", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="192.168.1.21",
    )
    assert ok.status_code == 302
    client.logout()
    paused = client.post(
        "/accounts/login/",
        {"username": "nurse1", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="192.168.1.20",
    )
    assert paused.status_code == 429
    # A client that is not the proxy cannot choose its address by sending the header.
    from django.test import RequestFactory

    from triage.lockout import client_ip

    forged = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(forged) == "10.0.0.7"
