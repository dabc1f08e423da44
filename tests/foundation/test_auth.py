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
