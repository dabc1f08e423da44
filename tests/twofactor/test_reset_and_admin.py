"""The administrator's reset (admin action and command, both recorded), and Django's admin:
it needs the second factor and shows no patient data."""

from __future__ import annotations

import pghistory.models
import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, transaction
from django.urls import URLResolver, get_resolver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.twofactor.conftest import code_now, enrol
from triage.models import (
    Addendum,
    Encounter,
    EncounterView,
    LookbackRun,
    Override,
    Round,
    SignOff,
    TwoFactorReset,
)

pytestmark = pytest.mark.django_db

PATIENT_MODELS = {Encounter, Round, SignOff, Addendum, Override, EncounterView, LookbackRun}


def verified(client, user) -> None:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client.force_login(user)
    assert client.post("/accounts/two-factor/", {"code": code_now(device)}).status_code == 302


def test_a_superuser_resets_a_users_two_factor_in_the_admin_and_it_is_recorded(
    client, superuser, physician, two_factor_on
):
    enrol(superuser)
    enrol(physician)
    verified(client, superuser)
    response = client.post(
        "/admin/triage/user/",
        {"action": "reset_two_factor", "_selected_action": [physician.pk]},
        follow=True,
    )
    assert "Two-factor authentication reset for physician1" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=physician).exists()
    assert not StaticDevice.objects.filter(user=physician).exists()
    record = TwoFactorReset.objects.get()
    assert (record.user, record.by, record.source) == (physician, superuser, "admin")
    assert record.devices_removed == 2
    # The physician sets up the app again at the next sign-in.
    client.force_login(physician)
    assert client.get("/").headers["Location"] == "/accounts/two-factor/set-up/?next=/"


def test_a_reset_ends_a_verified_session_s_verification(client, physician, two_factor_on):
    enrol(physician)
    verified(client, physician)
    assert client.get("/").status_code == 200
    call_command("reset_2fa", "physician1")
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/set-up/")


def test_the_command_resets_and_is_recorded(capsys, physician):
    enrol(physician)
    call_command("reset_2fa", "physician1")
    assert "reset for physician1 (2 device(s) removed)" in capsys.readouterr().out
    record = TwoFactorReset.objects.get()
    assert (record.user, record.by, record.source) == (physician, None, "command")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("reset_2fa", "nobody")


def test_the_reset_record_cannot_be_changed_or_deleted(physician):
    call_command("reset_2fa", "physician1")
    for sql in (
        "UPDATE triage_twofactorreset SET by_id = NULL",
        "DELETE FROM triage_twofactorreset",
    ):
        with (
            # The application's role may not even try; a single-role deployment meets the trigger.
            pytest.raises(ProgrammingError, match="permission denied|Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert TwoFactorReset.objects.count() == 1


def test_the_admin_needs_the_second_factor(client, superuser, two_factor_on):
    enrol(superuser)
    client.force_login(superuser)
    assert client.get("/admin/").headers["Location"] == "/accounts/two-factor/?next=/admin/"
    assert client.get("/admin/triage/user/").status_code == 302
    verified(client, superuser)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(rf, superuser, two_factor_on):
    """Should a path ever miss the guard, the admin site still says no."""
    request = rf.get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    superuser.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_the_admin_shows_no_patient_data_and_no_audit_events(client, superuser):
    client.force_login(superuser)  # two-factor off: the admin as a developer sees it
    index = client.get("/admin/")
    listed = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert {"User", "Ward"} <= listed
    registered = set(admin.site._registry)
    assert not registered & PATIENT_MODELS
    assert not [m for m in registered if issubclass(m, pghistory.models.Event)]
    assert not [m for m in registered if m._meta.app_label in ("pghistory", "otp_totp")]
    assert not listed & {m.__name__ for m in PATIENT_MODELS}

    admin_urls = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.app_name == "admin"
    )
    names = " ".join(str(p.name) for p in walk(admin_urls.url_patterns))
    for word in ("encounter", "round", "event", "pghistory", "signoff", "addendum", "override"):
        assert word not in names
    assert client.get("/admin/pghistory/").status_code == 404
    assert client.get("/admin/triage/encounter/").status_code == 404


def walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns)
        else:
            yield pattern
