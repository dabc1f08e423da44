import uuid

import pytest

from tests.wizard.helpers import patient_post
from triage.models import Encounter


@pytest.fixture
def nurse_client(client, nurse, published_guidance):
    client.force_login(nurse)
    return client


@pytest.fixture
def encounter(nurse_client, ward) -> Encounter:
    response = nurse_client.post(
        "/encounters/new/", {**patient_post(ward), "client_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    return Encounter.objects.get()


def step_url(encounter: Encounter, step: str) -> str:
    return f"/encounters/{encounter.pk}/{step}/"


def post_step(client, encounter: Encounter, step: str, data: dict, **extra):
    encounter.refresh_from_db()
    return client.post(
        step_url(encounter, step), {**data, "lock_version": encounter.lock_version}, **extra
    )
