"""The result leads with the escalation; old rounds keep and show their rules-v1 snapshot."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import imaging_post, neuro_post, symptoms_post, vitals_post
from tests.wizard.test_flow import complete
from triage.clinical.snapshots import stored_escalation
from triage.models import Encounter, GuidanceVersion, Round

V1_SNAPSHOTS = json.loads(
    (Path(__file__).resolve().parents[1] / "lookback" / "v1_snapshots.json").read_text()
)["rounds"]


def result_page(client, encounter, number=1) -> str:
    response = client.get(f"/encounters/{encounter.pk}/rounds/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def traces(assessment: dict) -> list[str]:
    """The machine traces ("because") of a snapshot that read as code, not as words."""
    items = [
        *assessment.get("red_flags", []),
        *assessment.get("pathways", []),
        assessment.get("imaging_detail") or {},
        assessment.get("escalation_detail") or {},
    ]
    return [t for item in items for t in item.get("because", []) if "=" in t or "_" in t]


def before(page: str, first: str, then: str) -> bool:
    assert first in page, first
    return then not in page or page.index(first) < page.index(then)


def test_a_well_patients_result_says_plainly_no_red_flag_and_what_was_checked(
    nurse_client, encounter
):
    round = complete(nurse_client, encounter)
    page = result_page(nurse_client, encounter)
    assert 'data-escalation="routine"' in page
    assert "Routine: no red flag found" in page
    assert escape(round.assessment["escalation_detail"]["reason"]) in page  # what was checked
    assert before(page, 'data-escalation="routine"', 'data-pathway="transient_pain"')
    assert traces(round.assessment)  # the snapshot keeps them ...
    for trace in traces(round.assessment):
        assert escape(trace) not in page  # ... the page never shows them


def test_an_unresponsive_patients_result_leads_with_the_emergency(nurse_client, encounter):
    round = complete(nurse_client, encounter, vitals=vitals_post(consciousness="U"))
    assert round.assessment["escalation"] == "emergency"
    page = result_page(nurse_client, encounter)
    headline = round.assessment["escalation_detail"]["headline"]
    assert headline.startswith("Emergency: call")
    assert before(page, 'data-escalation="emergency"', "data-red-flag=")
    assert before(page, escape(headline), 'data-red-flag="altered_consciousness"')
    for action in round.assessment["escalation_detail"]["actions"]:
        assert escape(action) in page
    for trace in traces(round.assessment):
        assert escape(trace) not in page


def test_an_urgent_result_is_named_as_urgent(nurse_client, encounter):
    round = complete(
        nurse_client,
        encounter,
        symptoms=symptoms_post(radicular_pain="yes", radicular_side="right"),
        imaging=imaging_post(status="requested", modality="mri"),
    )
    assert round.assessment["escalation"] == "urgent"
    page = result_page(nurse_client, encounter)
    assert 'data-escalation="urgent"' in page
    assert "Urgent review: ask the responsible doctor to see the patient" in page


def test_the_result_shows_the_escalation_guidance_of_its_version(nurse_client, encounter):
    round = complete(nurse_client, encounter)
    entry = round.guidance_version.entries.get(key="escalation.routine")
    page = result_page(nurse_client, encounter)
    assert 'data-guidance-entry="escalation.routine"' in page
    assert escape(entry.title) in page


def test_every_wizard_step_leads_with_the_escalation_so_far(nurse_client, encounter):
    post_step(nurse_client, encounter, "symptoms", symptoms_post())
    for step in ("symptoms", "neuro", "vitals", "imaging", "check"):
        page = nurse_client.get(step_url(encounter, step)).content.decode()
        assert before(page, 'id="escalation"', 'id="red-flags"'), step
        assert 'data-escalation="urgent"' in page, step  # not fully assessed yet


def test_an_autosave_brings_the_emergency_summary_live(nurse_client, encounter):
    encounter.refresh_from_db()
    response = nurse_client.post(
        step_url(encounter, "vitals"),
        {
            **vitals_post(consciousness="U"),
            "lock_version": encounter.lock_version,
            "_autosave": "1",
        },
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert '<div id="escalation" hx-swap-oob="innerHTML">' in content
    assert 'data-escalation="emergency"' in content
    assert before(content, 'data-escalation="emergency"', 'data-red-flag="altered_consciousness"')


def test_check_your_answers_speaks_a_nurses_words(nurse_client, ward):
    import uuid

    from tests.wizard.helpers import patient_post

    nurse_client.post(
        "/encounters/new/",
        {**patient_post(ward, levels=("C6",)), "client_token": str(uuid.uuid4())},
    )
    encounter = Encounter.objects.get()
    post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_course="new_back_pain"))
    post_step(nurse_client, encounter, "neuro", neuro_post(bowel_bladder="worsening_dysfunction"))
    post_step(
        nurse_client, encounter, "vitals", vitals_post(on_oxygen="yes", oxygen_reason="long_term")
    )
    post_step(
        nurse_client,
        encounter,
        "imaging",
        {
            "status": "done",
            "modality": "ct",
            "findings": ["infection"],
            "after_current_symptoms": "no",
        },
    )
    page = nurse_client.get(step_url(encounter, "check")).content.decode()
    for words in (
        "New back pain at another level of the spine",
        "Left C5 elbow flexion",
        "Right arm sensation",
        "Problem present before, now worse",
        "New facial droop, speech disturbance or loss of vision",
        "Their usual home oxygen, at the usual flow",
        "Done after the current symptoms began",
        "Infection (spondylodiscitis or epidural abscess)",
        "Worsening bowel or bladder dysfunction",
    ):
        assert escape(words) in page, words
    for code in ("new_back_pain", "worsening_dysfunction", "long_term", "after_current"):
        assert code not in page, code


# --- Rounds assessed under rules v1 ------------------------------------------------------------


@pytest.fixture
def v1_round(db, nurse, ward, published_guidance):
    """Submitted under rules v1 with guidance version 1, inserted as stored: never recomputed."""

    def insert(snapshot: dict) -> Round:
        now = timezone.now()
        encounter = Encounter.objects.create(
            ward=ward,
            patient_identifier="OLD-V1",
            procedure_at=now - timedelta(hours=12),
            levels=snapshot["findings"].get("procedure", {}).get("levels", []),
            created_by=nurse,
            submitted_at=now,
        )
        return Round.objects.create(
            encounter=encounter,
            number=1,
            status=Round.Status.SUBMITTED,
            findings=snapshot["findings"],
            assessment=snapshot["assessment"],
            guidance_version=GuidanceVersion.objects.get(number=1),
            created_by=nurse,
            submitted_by=nurse,
            submitted_at=now,
        )

    return insert


@pytest.mark.parametrize("snapshot", V1_SNAPSHOTS, ids=[s["name"] for s in V1_SNAPSHOTS])
def test_a_v1_round_is_shown_as_stored_and_says_so(nurse_client, v1_round, snapshot):
    round = v1_round(snapshot)
    round.refresh_from_db()
    assert round.rules_version == "v1"
    escalation = stored_escalation(snapshot["assessment"])
    for url in (
        f"/encounters/{round.encounter.pk}/rounds/1/",
        f"/encounters/{round.encounter.pk}/",
    ):
        response = nurse_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Assessed under rules v1" in page
        assert f'data-escalation="{escalation}"' in page
        assert 'data-guidance-entry="escalation.' not in page  # guidance v1 has none
        for flag in snapshot["assessment"]["red_flags"]:
            assert f'data-red-flag="{flag["code"]}"' in page
        for trace in traces(snapshot["assessment"]):
            assert escape(trace) not in page
    round.refresh_from_db()
    assert round.assessment == snapshot["assessment"]  # nothing stored is recomputed


def test_a_v1_emergency_leads_with_its_red_flags_first_action(nurse_client, v1_round):
    snapshot = next(s for s in V1_SNAPSHOTS if s["name"] == "chest-pain-respiratory-distress")
    round = v1_round(snapshot)
    page = result_page(nurse_client, round.encounter)
    first_action = snapshot["assessment"]["red_flags"][0]["actions"][0]
    assert before(page, 'data-escalation="emergency"', "data-red-flag=")
    assert escape(first_action) in page


def test_a_v2_round_does_not_say_it_was_assessed_under_old_rules(nurse_client, encounter):
    complete(nurse_client, encounter)
    for url in (f"/encounters/{encounter.pk}/rounds/1/", f"/encounters/{encounter.pk}/"):
        page = nurse_client.get(url).content.decode()
        assert "Assessed under rules" not in page
        assert "Rules v2" in page
