"""A step's fields are rendered once for the same answers and reused: each page still shows
its own encounter's answers, whatever was rendered before it."""

from __future__ import annotations

import re
import uuid

from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import patient_post, symptoms_post
from triage.models import Encounter


def new_encounter(client, ward, levels=("L1",), identifier="RX1234") -> Encounter:
    before = set(Encounter.objects.values_list("pk", flat=True))
    response = client.post(
        "/encounters/new/",
        {
            **patient_post(ward, levels=levels, identifier=identifier),
            "client_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    return Encounter.objects.exclude(pk__in=before).get()


def checked_pain(html: str) -> list[str]:
    return re.findall(r'name="pain_score" value="(\d+)"[^>]*checked', html)


def test_each_encounter_shows_its_own_answers(nurse_client, ward):
    blank, answered, other = (new_encounter(nurse_client, ward) for _ in range(3))
    assert (
        post_step(nurse_client, answered, "symptoms", symptoms_post(pain_score="6")).status_code
        == 302
    )
    assert (
        post_step(nurse_client, other, "symptoms", symptoms_post(pain_score="3")).status_code == 302
    )
    for _ in range(2):  # the second time round, each is read from what was rendered
        assert checked_pain(nurse_client.get(step_url(blank, "symptoms")).content.decode()) == []
        assert checked_pain(nurse_client.get(step_url(answered, "symptoms")).content.decode()) == [
            "6"
        ]
        assert checked_pain(nurse_client.get(step_url(other, "symptoms")).content.decode()) == ["3"]


def test_the_arms_are_asked_about_by_each_encounters_own_levels(nurse_client, ward):
    neck = new_encounter(nurse_client, ward, levels=("C5",))
    lumbar = new_encounter(nurse_client, ward, levels=("L1",))
    for _ in range(2):
        assert "data-arm-exam" in nurse_client.get(step_url(neck, "neuro")).content.decode()
        assert "data-arm-exam" not in nurse_client.get(step_url(lumbar, "neuro")).content.decode()


def test_a_posted_answer_with_a_problem_shows_its_own_error(nurse_client, ward):
    encounter = new_encounter(nurse_client, ward)
    nurse_client.get(step_url(encounter, "symptoms"))  # the blank fields, rendered
    response = post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_course=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert checked_pain(html) == ["5"]  # as posted
    assert "is-invalid" in html


def ticked_levels(html: str) -> list[str]:
    return re.findall(r'name="levels" value="([A-Z]\d+)"[^>]*checked', html)


def test_each_encounters_patient_step_shows_its_own_details(nurse_client, ward):
    neck = new_encounter(nurse_client, ward, levels=("C5",), identifier="NECK01")
    lumbar = new_encounter(nurse_client, ward, levels=("L1", "L2"), identifier="LUMBAR02")
    for encounter in (neck, lumbar):
        encounter.refresh_from_db()
    for _ in range(2):  # the second time round, each is read from what was rendered
        for encounter, levels in ((neck, ["C5"]), (lumbar, ["L1", "L2"])):
            html = nurse_client.get(step_url(encounter, "patient")).content.decode()
            assert ticked_levels(html) == levels
            assert f'value="{encounter.patient_identifier}"' in html
            assert re.search(rf'<option value="{ward.pk}"[^>]*selected', html)


def test_a_posted_patient_step_with_a_problem_shows_its_own_error(nurse_client, ward):
    encounter = new_encounter(nurse_client, ward, levels=("L1",))
    nurse_client.get(step_url(encounter, "patient"))  # the saved details, rendered
    response = post_step(
        nurse_client, encounter, "patient", {**patient_post(ward, levels=("T4",)), "levels": []}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select at least one treated level." in html
    assert ticked_levels(html) == []
