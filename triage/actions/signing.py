"""A password re-entered as an electronic signature, checked apart from sign-in.

A wrong signature counts against signing only (`SigningLock`): after `AXES_FAILURE_LIMIT` wrong
ones in a row, that user's signing waits `LOCKOUT_MINUTES`; their sign-in, and everyone
else's, is untouched. A right one clears the count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from triage.models import SigningLock, User


class SignatureRefused(Exception):
    """The signature was not accepted; the message says why, in words."""


def cooloff() -> timedelta:
    return timedelta(minutes=settings.LOCKOUT_MINUTES)


def check_signature(*, user: User, password: str) -> None:
    """Accept `password` as `user`'s signature, or raise SignatureRefused (after recording a
    wrong one: the count is kept even though the request is refused)."""
    refusal = _count_signature(user, password)
    if refusal:
        raise SignatureRefused(refusal)


@transaction.atomic
def _count_signature(user: User, password: str) -> str:
    """Count this signature in the user's row (locked meanwhile); the refusal in words, if any."""
    lock, _ = SigningLock.objects.select_for_update().get_or_create(user=user)
    now = timezone.now()
    if lock.locked_until and lock.locked_until > now:
        minutes = max(1, round((lock.locked_until - now).total_seconds() / 60))
        return (
            f"Signing is paused for {minutes} more minute{'s' if minutes != 1 else ''} after "
            f"{settings.AXES_FAILURE_LIMIT} wrong passwords. Nothing was signed and what you "
            "wrote is kept below; you are still signed in."
        )
    if user.check_password(password):
        if lock.failures or lock.locked_until:
            SigningLock.objects.filter(pk=lock.pk).update(failures=0, locked_until=None)
        return ""
    failures = lock.failures + 1
    locked_until = now + cooloff() if failures >= settings.AXES_FAILURE_LIMIT else None
    SigningLock.objects.filter(pk=lock.pk).update(
        failures=F("failures") + 1 if locked_until is None else 0, locked_until=locked_until
    )
    if locked_until is not None:
        return (
            f"That password is not right, so nothing was signed. After "
            f"{settings.AXES_FAILURE_LIMIT} wrong passwords, signing is paused for "
            f"{settings.LOCKOUT_MINUTES} minutes; what you wrote is kept below and you are "
            "still signed in."
        )
    return "That password is not right, so nothing was signed. Enter the password you sign in with."
