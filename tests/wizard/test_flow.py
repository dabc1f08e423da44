"""Whole assessments through the test client: the answers in, the stored snapshot out."""

import re
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import imaging_post, neuro_post, patient_post, symptoms_post, vitals_post
from triage.actions import review as review_actions
from triage.models import Encounter, Round


def complete(client, encounter, **answers) -> Round:
    for step, default in [
        ("symptoms", symptoms_post),
        ("neuro", neuro_post),
        ("vitals", vitals_post),
        ("imaging", imaging_post),
    ]:
        response = post_step(client, encounter, step, answers.get(step) or default())
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    response = client.post(step_url(encounter, "check"))
    assert response.status_code == 302
    return Round.objects.get(encounter=encounter, number=response["Location"].rstrip("/")[-1])


def test_transient_pain_ends_on_the_transient_pain_pathway(nurse_client, encounter):
    round = complete(nurse_client, encounter)
    assert round.status == Round.Status.SUBMITTED
    assert [p["code"] for p in round.assessment["pathways"]] == ["transient_pain"]
    assert round.assessment["red_flags"] == []
    assert round.guidance_version.status == "published"
    page = nurse_client.get(f"/encounters/{encounter.pk}/rounds/1/")
    assert b'data-pathway="transient_pain"' in page.content
    assert b"data-red-flag" not in page.content
    assert f"Guidance version {round.guidance_version.number}".encode() in page.content


def test_each_step_moves_to_the_next_and_the_last_to_check(nurse_client, encounter):
    expected = {"symptoms": "neuro", "neuro": "vitals", "vitals": "imaging", "imaging": "check"}
    data = {
        "symptoms": symptoms_post(),
        "neuro": neuro_post(),
        "vitals": vitals_post(),
        "imaging": imaging_post(),
    }
    for step, following in expected.items():
        response = post_step(nurse_client, encounter, step, data[step])
        assert response["Location"] == step_url(encounter, following)


def test_change_links_return_to_check_your_answers(nurse_client, encounter):
    response = nurse_client.post(
        step_url(encounter, "symptoms") + "?next=check",
        {**symptoms_post(), "lock_version": encounter.lock_version},
    )
    assert response["Location"] == step_url(encounter, "check")


def test_check_page_names_unanswered_sections_as_not_assessed(nurse_client, encounter):
    post_step(nurse_client, encounter, "symptoms", symptoms_post())
    content = nurse_client.get(step_url(encounter, "check")).content.decode()
    assert content.count("Not assessed. It will be reported as not assessed") == 3
    assert "Neuro exam, Vital signs, Imaging" in content


def test_new_leg_weakness_is_a_red_flag_and_suspected_cord_compression(nurse_client, encounter):
    round = complete(nurse_client, encounter, neuro=neuro_post(weak={("L4", "left"): ("5", "3")}))
    assert [f["code"] for f in round.assessment["red_flags"]] == ["progressive_neuro_deficit"]
    assert round.findings["neuro"] == {
        "motor": "new_deficit",
        "sensory": "normal",
        "bowel_bladder": "normal",
        "focal_signs": False,
    }
    assert round.assessment["imaging"] == "emergency"
    assert {"code": "cord_compression", "status": "suspected"}.items() <= round.assessment[
        "pathways"
    ][0].items()


def test_respiratory_distress_with_news2_high(nurse_client, encounter):
    vitals = vitals_post(
        respiratory_rate="26", spo2="91", systolic_bp="95", heart_rate="118", temperature="38.2"
    )
    round = complete(nurse_client, encounter, vitals=vitals)
    codes = [f["code"] for f in round.assessment["red_flags"]]
    # A pulse of 118 over a systolic of 95 is a shock index above 1: shock signs too.
    assert codes == ["respiratory_distress", "circulatory_compromise", "news2_high"]
    assert round.assessment["news2"] == {"score": 11, "band": "high"}


def test_submit_is_idempotent(nurse_client, encounter):
    complete(nurse_client, encounter)
    first = Round.objects.get()
    response = nurse_client.post(step_url(encounter, "check"))
    assert response.status_code == 302
    assert response["Location"] == f"/encounters/{encounter.pk}/rounds/1/"
    assert Round.objects.count() == 1
    again = Round.objects.get()
    assert (again.submitted_at, again.assessment) == (first.submitted_at, first.assessment)


def test_the_same_start_form_posted_twice_creates_one_encounter(nurse_client, ward):
    from tests.wizard.helpers import patient_post
    from triage.models import Encounter

    data = {**patient_post(ward), "client_token": "0d5c9a43-4c1e-4a57-9c55-1a1c3c2f7e10"}
    first = nurse_client.post("/encounters/new/", data)
    second = nurse_client.post("/encounters/new/", data)
    assert Encounter.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_submitted_round_cannot_be_changed_even_by_raw_sql(nurse_client, encounter):
    round = complete(nurse_client, encounter)
    refused = pytest.raises(DatabaseError, match="Cannot update or delete rows from triage_round")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE triage_round SET assessment = '{}' WHERE id = %s", [round.pk])
    round.refresh_from_db()
    assert round.assessment["pathways"][0]["code"] == "transient_pain"


def test_steps_of_a_submitted_round_redirect_to_the_encounter(nurse_client, encounter):
    complete(nurse_client, encounter)
    response = post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_score="9"))
    assert response.status_code == 302
    assert Round.objects.get().symptoms["pain_score"] == 5


def test_reassessment_adds_a_round_and_shows_the_trend(nurse_client, encounter):
    complete(nurse_client, encounter)
    response = nurse_client.post(f"/encounters/{encounter.pk}/reassess/")
    assert response["Location"] == step_url(encounter, "symptoms")
    nurse_client.post(f"/encounters/{encounter.pk}/reassess/")  # a double tap: still one draft
    assert Round.objects.filter(encounter=encounter).count() == 2
    complete(
        nurse_client,
        encounter,
        symptoms=symptoms_post(pain_score="8"),
        vitals=vitals_post(respiratory_rate="22"),
    )
    page = nurse_client.get(f"/encounters/{encounter.pk}/").content.decode()
    assert "Reassessment 2" in page
    assert "up 3" in page  # pain 5 -> 8
    assert "up 2" in page  # NEWS2 0 -> 2


def test_drafts_list_resumes_at_the_next_unanswered_step(nurse_client, encounter):
    post_step(nurse_client, encounter, "symptoms", symptoms_post())
    page = nurse_client.get("/encounters/").content.decode()
    assert f'href="{step_url(encounter, "neuro")}"' in page
    assert "Resume at neuro exam" in page


def test_the_result_shows_the_guidance_text_of_its_version(nurse_client, encounter):
    complete(nurse_client, encounter, neuro=neuro_post(weak={("L4", "left"): ("5", "3")}))
    page = nurse_client.get(f"/encounters/{encounter.pk}/rounds/1/").content.decode()
    entry = Round.objects.get().guidance_version.entries.get(
        key="red_flag.progressive_neuro_deficit"
    )
    assert 'data-guidance-entry="red_flag.progressive_neuro_deficit"' in page
    assert entry.title in page
    assert 'data-guidance-entry="pathway.cord_compression"' in page


def test_a_reassessment_starts_its_neuro_exam_from_the_last_rounds_baselines(
    nurse_client, encounter
):
    complete(nurse_client, encounter, neuro=neuro_post(weak={("L4", "left"): ("4", "3")}))
    nurse_client.post(f"/encounters/{encounter.pk}/reassess/")
    page = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert "carried over from assessment 1" in page
    baseline = page.split('id="id_power_L4_left_baseline"')[1].split("</select>")[0]
    assert '<option value="4" selected>' in baseline  # shown, to be checked
    now = page.split('id="id_power_L4_left"')[1].split("</select>")[0]
    assert "selected" not in now  # what is measured now is never carried over
    assert Round.objects.get(number=2).neuro is None  # nothing saved until the nurse saves


def test_a_first_assessment_has_no_carried_baselines(nurse_client, encounter):
    page = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert "carried over" not in page


def test_physicians_are_not_offered_to_reassess(physician, nurse_client, encounter):
    complete(nurse_client, encounter)
    client = Client()
    client.force_login(physician)
    page = client.get(f"/encounters/{encounter.pk}/").content.decode()
    assert "Reassess the patient" not in page
    assert client.post(f"/encounters/{encounter.pk}/reassess/").status_code == 403
    assert Round.objects.filter(encounter=encounter).count() == 1
    nurse_page = nurse_client.get(f"/encounters/{encounter.pk}/").content.decode()
    assert "Reassess the patient" in nurse_page


def test_signing_out_says_drafts_are_kept(nurse_client):
    response = nurse_client.post("/accounts/logout/", follow=True)
    assert "Any assessment not yet submitted is kept as a draft" in response.content.decode()


def test_the_nurses_list_shows_escalation_red_flags_and_sign_off(
    nurse_client, encounter, physician, django_assert_max_num_queries
):
    complete(nurse_client, encounter, neuro=neuro_post(weak={("L4", "left"): ("5", "3")}))
    with django_assert_max_num_queries(8):
        page = nurse_client.get("/encounters/").content.decode()
    assert 'data-escalation-badge="emergency"' in page
    assert "Red flag: Progressive neurological deficit" in page
    assert "Not signed yet" in page
    # A row's HTML is reused under a key of all it shows: signing changes it.
    review_actions.sign_off(encounter=encounter, by=physician, comment="", expected_version=None)
    page = nurse_client.get("/encounters/").content.decode()
    assert "data-signed>Signed off" in page and "Not signed yet" not in page


def test_each_page_links_the_steps_of_its_own_encounter_and_marks_its_own_step(
    nurse_client, encounter, ward
):
    """The step links are written once per encounter and step (a cached fragment)."""
    other = nurse_client.post(
        "/encounters/new/", {**patient_post(ward), "client_token": str(uuid.uuid4())}
    )
    assert other.status_code == 302
    second = Encounter.objects.exclude(pk=encounter.pk).get()
    for shown in (encounter, second, encounter):
        for slug in ("symptoms", "neuro", "check"):
            page = nurse_client.get(step_url(shown, slug)).content.decode()
            links = re.findall(r'<a class="app-step-link" href="([^"]+)"([^>]*)>', page)
            assert len(links) == 6
            assert all(href.startswith(f"/encounters/{shown.pk}/") for href, _ in links)
            current = [href for href, rest in links if 'aria-current="step"' in rest]
            assert current == [step_url(shown, slug)]


def test_check_your_answers_shows_each_change_and_each_encounters_own_answers(
    nurse_client, encounter, ward
):
    """The answers are written once per process for the same answers (a cached fragment)."""

    def course_shown(shown: Encounter) -> list[str]:
        page = nurse_client.get(step_url(shown, "check")).content.decode()
        return re.findall(r"<dd[^>]*>(Improving|Unchanged)</dd>", page)

    post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_course="improving"))
    assert course_shown(encounter) == ["Improving"]
    response = post_step(
        nurse_client, encounter, "symptoms", symptoms_post(pain_course="unchanged")
    )
    assert response.status_code == 302
    assert course_shown(encounter) == ["Unchanged"]
    nurse_client.post("/encounters/new/", {**patient_post(ward), "client_token": str(uuid.uuid4())})
    second = Encounter.objects.exclude(pk=encounter.pk).get()
    post_step(nurse_client, second, "symptoms", symptoms_post(pain_course="improving"))
    assert course_shown(second) == ["Improving"]
    page = nurse_client.get(step_url(second, "check")).content.decode()
    assert f"/encounters/{second.pk}/symptoms/" in page  # its own Change links
    assert str(encounter.pk) not in page
