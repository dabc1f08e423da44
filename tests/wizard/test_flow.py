import pytest

from tests.wizard.helpers import (
    imaging_post,
    neuro_post,
    patient_post,
    symptoms_post,
    vitals_post,
)
from triage.models import Encounter, Round


@pytest.fixture
def nurse_client(client, nurse, published_guidance):
    client.force_login(nurse)
    return client


def start(client, ward, **kwargs) -> Encounter:
    response = client.post(
        "/encounters/new/",
        {**patient_post(ward, **kwargs), "client_token": "5b0f7a52-8f52-4a7c-9a0e-3f8f1b2b9c11"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Encounter.objects.get()


def test_transient_pain_walk_through(nurse_client, ward):
    encounter = start(nurse_client, ward)
    base = f"/encounters/{encounter.pk}"
    for step, data in [
        ("symptoms", symptoms_post()),
        ("neuro", neuro_post()),
        ("vitals", vitals_post()),
        ("imaging", imaging_post()),
    ]:
        response = nurse_client.post(
            f"{base}/{step}/", {**data, "lock_version": Encounter.objects.get().lock_version}
        )
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    response = nurse_client.get(f"{base}/check/")
    assert response.status_code == 200
    response = nurse_client.post(f"{base}/check/")
    assert response.status_code == 302
    round = Round.objects.get()
    assert round.status == Round.Status.SUBMITTED
    assert [p["code"] for p in round.assessment["pathways"]] == ["transient_pain"]
    assert round.assessment["red_flags"] == []
    page = nurse_client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-pathway="transient_pain"' in page.content
    assert b"data-red-flag" not in page.content
