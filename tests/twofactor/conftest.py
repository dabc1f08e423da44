from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from triage.actions import two_factor as actions


@pytest.fixture
def two_factor_on(settings):
    settings.TRIAGE_REQUIRE_2FA = True
    return settings


@pytest.fixture
def superuser(db):
    return UserFactory(username="super1", is_superuser=True, is_staff=True)


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or `steps_ahead` codes later)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A user with a confirmed authenticator app and their recovery codes."""
    device = actions.start_enrolment(user=user)
    return device, actions.confirm_enrolment(device=device)
