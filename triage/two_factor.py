"""Two-factor authentication: who needs it, checking a code, and the enrolment QR code.

A TOTP authenticator app is the second factor; ten single-use recovery codes stand in for it
when the phone is lost. Physicians (whose password is also their signature), guidance admins,
superusers and staff (who can open Django's admin) need it when `TRIAGE_REQUIRE_2FA` is on;
nurses do not. Enrolment and resets are written in `triage.actions.two_factor`; the guard that
asks for the code before any page is `triage.access.SecondFactorMiddleware`.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from functools import partial

import segno
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import Func, OuterRef, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified as device_verified
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from triage.roles import Role, roles_of

ROLES_NEEDING_2FA = frozenset({Role.PHYSICIAN, Role.GUIDANCE_ADMIN})
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def _confirmed(device_class: type[Device]) -> ArraySubquery:
    """The persistent ids (as a session keeps them) of the user's confirmed devices of a kind."""
    prefix = Value(f"{device_class.model_label()}/", output_field=TextField())
    devices = device_class.objects.filter(user=OuterRef("pk"), confirmed=True)
    return ArraySubquery(devices.values(pid=Concat(prefix, Cast("pk", TextField()))))


def with_confirmed_devices(users: QuerySet) -> QuerySet:
    """`users`, each with `confirmed_devices`: the persistent ids of their confirmed devices
    (read by `with_device`, which then needs no query of its own)."""
    both = Func(
        _confirmed(TOTPDevice),
        _confirmed(StaticDevice),
        function="array_cat",
        output_field=ArrayField(TextField()),
    )
    return users.annotate(confirmed_devices=both)


def with_device(request: HttpRequest, user):
    """The user with `otp_device` (the device that verified this session, or None) and
    `is_verified()`, as django-otp's OTPMiddleware gives them, without a query of its own: the
    signed-in user is read with their confirmed devices (`with_confirmed_devices`), so the
    session's device is checked against those, and read only if a page uses it. A session
    whose device is not one of them (deleted, not confirmed, another user's) is not verified
    and forgets it, as with django-otp. `auth_backend.AuthenticationMiddleware` gives each
    request's user this way, when first used."""
    user.otp_device = None
    user.is_verified = partial(device_verified, user)
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
    if persistent_id is None:
        return user
    confirmed = getattr(user, "confirmed_devices", None)
    if confirmed is None:  # a user read without them: read the device
        device = Device.from_persistent_id(persistent_id)
        if device is not None and device.user_id == user.pk and device.confirmed:
            user.otp_device = device
    elif persistent_id in confirmed:
        user.otp_device = SimpleLazyObject(partial(Device.from_persistent_id, persistent_id))
    if user.otp_device is None:
        del request.session[DEVICE_ID_SESSION_KEY]
    return user


def required_for(user) -> bool:
    """Whether this user must enter a second factor (when TRIAGE_REQUIRE_2FA is on)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or roles_of(user) & ROLES_NEEDING_2FA)


def enforced_for(user) -> bool:
    return bool(settings.TRIAGE_REQUIRE_2FA) and required_for(user)


def is_verified(user) -> bool:
    """Whether this session's user entered a code from a confirmed device of theirs."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalised(code: str) -> str:
    """A code as typed, without spaces or dashes, lower case.

    >>> normalised(" 123 456 ")
    '123456'
    >>> normalised("AB2C-D3EF")
    'ab2cd3ef'
    """
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None  # the device that accepted the code, or None
    error: str = ""  # in plain words when refused
    recovery_codes_left: int | None = None  # after a recovery code was used


def paused_error(device: Device) -> str | None:
    """Plain words when too many wrong codes pause this device for a while, or None."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = details and details.get("locked_until")
    when = f" until {localtime(until):%H:%M:%S}" if until else ""
    return f"There have been too many wrong codes. Wait{when}, then try again."


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app asks for it: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's setup address as an inline SVG QR code (no style attribute, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app",
        svgclass="app-qr", lineclass=None,
    )  # fmt: skip
    # segno writes only the drawing; the text is its own (no user input reaches the markup).
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
