"""A reassessment carries over what does not change (the pre-procedure baselines, the treated
levels) and pre-fills nothing that must be measured again (vital signs, pain now, the neuro
findings now)."""

from __future__ import annotations

import re

from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import neuro_post, symptoms_post, vitals_post
from tests.wizard.test_flow import complete
from triage.models import Encounter, Round


def selected_option(page: str, field: str) -> str | None:
    select = page.split(f'id="id_{field}"')[1].split("</select>")[0]
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else None


def input_value(page: str, field: str) -> str | None:
    tag = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', page)
    assert tag, field
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def checked_radio(page: str, field: str) -> str | None:
    for tag in re.findall(rf'<input[^>]*name="{field}"[^>]*>', page):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def reassess(client, encounter: Encounter) -> None:
    response = client.post(f"/encounters/{encounter.pk}/reassess/")
    assert response.status_code == 302


def test_a_reassessment_carries_over_the_pre_procedure_baselines(nurse_client, encounter):
    levels = list(encounter.levels)
    neuro = neuro_post(weak={("L4", "left"): ("4", "3")}, sensation_right_baseline="reduced")
    complete(nurse_client, encounter, neuro=neuro)
    reassess(nurse_client, encounter)
    page = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert selected_option(page, "power_L4_left_baseline") == "4"
    assert selected_option(page, "power_L4_right_baseline") == "5"
    assert selected_option(page, "sensation_right_baseline") == "reduced"
    encounter.refresh_from_db()
    assert encounter.levels == levels  # the treated levels stay with the encounter
    record = nurse_client.get(f"/encounters/{encounter.pk}/").content.decode()
    assert f"Levels {', '.join(levels)}" in record


def test_a_reassessment_prefills_nothing_that_must_be_measured_again(nurse_client, encounter):
    complete(
        nurse_client,
        encounter,
        symptoms=symptoms_post(pain_score="8", radicular_pain="no"),
        neuro=neuro_post(weak={("L4", "left"): ("4", "3")}),
        vitals=vitals_post(respiratory_rate="22", heart_rate="104"),
    )
    reassess(nurse_client, encounter)
    symptoms = nurse_client.get(step_url(encounter, "symptoms")).content.decode()
    assert checked_radio(symptoms, "pain_score") is None
    assert checked_radio(symptoms, "pain_course") is None
    neuro = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    for field in ("power_L4_left", "power_L4_right", "sensation_left", "sensation_right"):
        assert selected_option(neuro, field) is None, field
    assert checked_radio(neuro, "focal_signs") is None
    vitals = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    for field in ("respiratory_rate", "spo2", "systolic_bp", "heart_rate", "temperature"):
        assert input_value(vitals, field) in (None, ""), field
    assert checked_radio(vitals, "consciousness") is None
    assert checked_radio(vitals, "on_oxygen") is None
    draft = Round.objects.get(encounter=encounter, number=2)
    assert (draft.symptoms, draft.neuro, draft.vitals, draft.imaging) == (None, None, None, None)
    # Once measured and saved, the same reads find the new answers (the checks above can fail).
    post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_score="6"))
    post_step(nurse_client, encounter, "neuro", neuro_post(weak={("L4", "left"): ("4", "2")}))
    post_step(nurse_client, encounter, "vitals", vitals_post(respiratory_rate="19"))
    symptoms = nurse_client.get(step_url(encounter, "symptoms")).content.decode()
    assert checked_radio(symptoms, "pain_score") == "6"
    neuro = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert selected_option(neuro, "power_L4_left") == "2"
    assert checked_radio(neuro, "focal_signs") == "no"
    vitals = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert input_value(vitals, "respiratory_rate") == "19"
    assert checked_radio(vitals, "consciousness") == "A"
