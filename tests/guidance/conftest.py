from __future__ import annotations

import pytest

from triage.models import GuidanceVersion


@pytest.fixture
def v1(published_guidance) -> GuidanceVersion:
    """Guidance version 1 as the migration published it."""
    assert published_guidance.number == 1
    return published_guidance


@pytest.fixture
def admin_client(client, guidance_admin):
    client.force_login(guidance_admin)
    return client
