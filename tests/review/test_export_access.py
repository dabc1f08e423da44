"""Both exports of one encounter (the JSON and the FHIR Bundle) keep the encounter's access
rules: clinical staff of its ward, a physician's read audited, refusals in JSON, read-only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.factories import UserFactory
from triage.actions.api_tokens import create_token
from triage.models import EncounterView
from triage.roles import Role

EXPORTS = {
    "json": ("/api/v1/encounters/{pk}", "application/json"),
    "fhir": ("/api/v1/encounters/{pk}/fhir", "application/fhir+json"),
}


@pytest.fixture(params=sorted(EXPORTS))
def export(request):
    """(url of an encounter's export, its content type), once for each export."""
    address, content_type = EXPORTS[request.param]
    return (lambda encounter: address.format(pk=encounter.pk)), content_type


def test_nurses_of_the_ward_may_export_and_physicians_reads_are_logged(
    client, nurse, physician, red_flag_encounter, export
):
    url, _ = export
    client.force_login(nurse)
    assert client.get(url(red_flag_encounter)).status_code == 200
    assert not EncounterView.objects.exists()
    client.force_login(physician)
    assert client.get(url(red_flag_encounter)).status_code == 200
    assert EncounterView.objects.get().path == url(red_flag_encounter)


def test_the_export_refuses_in_json(
    client, red_flag_encounter, stranger, guidance_admin, ward, export
):
    url, _ = export

    def error(status: int):
        response = client.get(url(red_flag_encounter))
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        return response.json()["errors"]["(request)"]

    assert error(401) == ["sign in first, or send an API token"]
    client.force_login(guidance_admin)
    assert error(403)
    client.force_login(stranger)
    assert error(404) == ["no such encounter on your wards"]
    outsider = UserFactory(username="far", roles=(Role.PHYSICIAN,), wards=())
    client.force_login(outsider)
    assert error(404)


def test_the_export_is_read_only(physician_client, red_flag_encounter, export):
    url, _ = export
    response = physician_client.post(url(red_flag_encounter))
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_an_unknown_encounter_is_404(physician_client, published_guidance, export):
    url, _ = export
    unknown = SimpleNamespace(pk="00000000-0000-0000-0000-000000000000")
    assert physician_client.get(url(unknown)).status_code == 404


def test_the_export_answers_a_physicians_api_token(physician, red_flag_encounter, export):
    url, content_type = export
    raw = create_token(user=physician, name="export").raw
    response = Client().get(url(red_flag_encounter), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    # The read is logged under the token's owner, as a read in the browser is.
    assert EncounterView.objects.get().user == physician
