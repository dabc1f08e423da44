"""Two-factor writes: checking a code, setting up an authenticator app, resetting a user.

A reset (Django's admin or `manage.py reset_2fa`) removes every device of the user, so they set
up an authenticator app again at their next sign-in; it is recorded as a `TwoFactorReset`
(append-only in the database) under the audit context `two_factor.reset`.
"""

from __future__ import annotations

import pghistory
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from triage.models import TwoFactorReset, User
from triage.two_factor import (
    APP_DEVICE_NAME,
    RECOVERY_CODES,
    RECOVERY_DEVICE_NAME,
    CodeCheck,
    app_device,
    normalised,
    paused_error,
)


def start_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (the same one until it is confirmed,
    so reloading the page keeps the QR code the user may already have scanned)."""
    pending = app_device(user, confirmed=False)
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_enrolment(*, device: TOTPDevice) -> list[str]:
    """Confirm the app (its code was right) and make fresh recovery codes, returned once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(
        user=device.user, name=RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@transaction.atomic
def reset(*, user: User, by: User | None, source: str) -> TwoFactorReset:
    """Remove every second-factor device of `user` (their sessions stop being verified at
    once) and record who did it."""
    with pghistory.context(user=by.pk if by else None, action="two_factor.reset"):
        removed = 0
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
        return TwoFactorReset.objects.create(
            user=user, by=by, source=source, devices_removed=removed
        )


@transaction.atomic
def check_app_code(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Check a code from the authenticator app (`device`, confirmed or being set up); a right
    one cannot be used again, a wrong one is counted (repeated, it pauses checking for longer
    and longer)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if error := paused_error(device):
        return CodeCheck(None, error)
    if device.verify_token(normalised(code)):
        return CodeCheck(device)
    return CodeCheck(
        None,
        "That code is not right. Enter the 6-digit code your authenticator app shows now "
        "(each code works once).",
    )


@transaction.atomic
def check_recovery_code(*, user: User, code: str) -> CodeCheck:
    """Check a recovery code: a right one is used up (once, even sent twice at once); a wrong
    one is counted."""
    device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck(None, "You have no recovery codes. Ask an administrator to reset your "
                         "two-factor authentication.")  # fmt: skip
    if error := paused_error(device):
        return CodeCheck(None, error)
    if device.verify_token(normalised(code)):
        return CodeCheck(device, recovery_codes_left=device.token_set.count())
    return CodeCheck(None, "That recovery code is not right, or it has been used already.")
