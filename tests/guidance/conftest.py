from __future__ import annotations

import pytest

from triage.models import GuidanceVersion


@pytest.fixture
def v2(published_guidance) -> GuidanceVersion:
    """Guidance version 2 as its migration published it: what new assessments show."""
    assert published_guidance.number == 2
    return published_guidance


@pytest.fixture
def v1(v2) -> GuidanceVersion:
    """Guidance version 1, retired by version 2, still shown by the rounds that showed it."""
    version = GuidanceVersion.objects.get(number=1)
    assert version.status == GuidanceVersion.Status.RETIRED
    return version


@pytest.fixture
def admin_client(client, guidance_admin):
    client.force_login(guidance_admin)
    return client
