from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from triage.models import GuidanceVersion


@pytest.fixture
def v1(db) -> GuidanceVersion:
    """Guidance version 1 as the migration published it.

    A transactional test empties the database when it ends, so later tests load it again
    with the migration's own function (from the same fixture file).
    """
    if not GuidanceVersion.objects.filter(number=1).exists():
        import_module("triage.migrations.0007_guidance_v1").load_v1(apps, None)
    return GuidanceVersion.objects.get(number=1)


@pytest.fixture
def admin_client(client, guidance_admin):
    client.force_login(guidance_admin)
    return client
