"""Personal API tokens: make one (shown once) and revoke one. Both are in the audit trail."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from triage.api_tokens import PREFIX, digest_of
from triage.models import ApiToken, User


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # the only time the token itself exists outside its owner's hands


def create_token(*, user: User, name: str) -> NewToken:
    raw = PREFIX + secrets.token_urlsafe(32)
    with pghistory.context(user=user.pk, action="api_token.create"):
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=raw[: len(PREFIX) + 6],
            digest=digest_of(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
    return NewToken(token=token, raw=raw)


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke `token` at once; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        with pghistory.context(user=by.pk, action="api_token.revoke"):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
