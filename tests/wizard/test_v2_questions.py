"""The questions rules v2 needs: each asked when it applies, required then, and not asked (nor
stored) when it does not; and the contract section each step builds from them."""

import uuid

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.utils import timezone

from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import (
    imaging_post,
    neuro_post,
    patient_post,
    scan_post,
    symptoms_post,
    vitals_post,
)
from triage.assessing import assess_round
from triage.findings_builder import ARM_MYOTOMES, section_from_answers
from triage.forms.wizard import NeuroForm, SymptomsForm
from triage.models import Encounter, Round


def errors_of(response) -> dict[str, list[str]]:
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


def start(client, ward, levels) -> Encounter:
    data = {**patient_post(ward, levels=levels), "client_token": str(uuid.uuid4())}
    response = client.post("/encounters/new/", data)
    assert response.status_code == 302
    return Encounter.objects.get(pk=response["Location"].split("/")[2])


def findings_of(encounter: Encounter) -> dict:
    return assess_round(Round.objects.get(encounter=encounter), at=timezone.now())[0]


def pathways_of(encounter: Encounter) -> tuple[str, ...]:
    return assess_round(Round.objects.get(encounter=encounter), at=timezone.now())[1].pathway_codes


ARM_ANSWERS = {
    name
    for myotome, _ in ARM_MYOTOMES
    for side in ("left", "right")
    for name in (f"power_{myotome}_{side}", f"power_{myotome}_{side}_baseline")
} | {f"arm_sensation_{side}{x}" for side in ("left", "right") for x in ("", "_baseline")}


# --- Symptoms ---------------------------------------------------------------------------------


def test_each_symptom_question_asks_what_is_new_or_worse():
    fields = SymptomsForm.base_fields
    assert fields["chest_pain"].label == "New chest pain?"
    assert fields["dyspnoea"].label == "New or worse shortness of breath?"
    assert fields["radicular_pain"].label.startswith("New or worse")


def test_new_back_pain_at_another_level_is_a_pain_course(nurse_client, encounter):
    response = post_step(
        nurse_client, encounter, "symptoms", symptoms_post(pain_course="new_back_pain")
    )
    assert response.status_code == 302
    assert findings_of(encounter)["symptoms"]["pain_course"] == "new_back_pain"
    page = nurse_client.get(step_url(encounter, "check")).content.decode()
    assert "New back pain at another level of the spine" in page


def test_the_symptoms_section_carries_the_contract_keys_only(nurse_client, encounter):
    post_step(
        nurse_client,
        encounter,
        "symptoms",
        symptoms_post(radicular_pain="yes", radicular_side="left"),
    )
    assert findings_of(encounter)["symptoms"] == {
        "pain_score": 5,
        "pain_course": "improving",
        "radicular_pain": True,
        "chest_pain": False,
        "dyspnoea": False,
        "uncontrolled_despite_analgesia": False,
    }


# --- Neuro: bowel and bladder, focal signs ------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "contract"),
    [
        ("normal", "normal"),
        ("stable_dysfunction", "stable_dysfunction"),
        ("new_dysfunction", "new_dysfunction"),
        ("worsening_dysfunction", "worsening_dysfunction"),
    ],
)
def test_bowel_and_bladder_answers_map_to_the_contract(nurse_client, encounter, answer, contract):
    response = post_step(nurse_client, encounter, "neuro", neuro_post(bowel_bladder=answer))
    assert response.status_code == 302
    assert findings_of(encounter)["neuro"]["bowel_bladder"] == contract


@pytest.mark.parametrize("answer", ["new_dysfunction", "worsening_dysfunction"])
def test_new_or_worse_bowel_or_bladder_is_a_progressive_deficit(nurse_client, encounter, answer):
    post_step(nurse_client, encounter, "neuro", neuro_post(bowel_bladder=answer))
    page = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert 'data-red-flag="progressive_neuro_deficit"' in page


def test_a_new_catheter_leaves_the_neuro_exam_incomplete_on_every_page(nurse_client, encounter):
    post_step(nurse_client, encounter, "symptoms", symptoms_post())
    response = post_step(nurse_client, encounter, "neuro", neuro_post(bowel_bladder="new_catheter"))
    assert response.status_code == 302
    assert "bowel_bladder" not in findings_of(encounter)["neuro"]
    warning = "Neuro exam incomplete: bowel and bladder not recorded; reassurance cannot be offered"
    for page in ("symptoms", "neuro", "vitals", "imaging", "check"):
        assert warning in nurse_client.get(step_url(encounter, page)).content.decode(), page
    post_step(nurse_client, encounter, "vitals", vitals_post())
    post_step(nurse_client, encounter, "imaging", imaging_post())
    nurse_client.post(step_url(encounter, "check"))
    round = Round.objects.get(encounter=encounter)
    assert round.assessment["incomplete"] == ["neuro"]
    assert round.assessment["escalation"] == "urgent"  # never reassured while incomplete
    result = nurse_client.get(f"/encounters/{encounter.pk}/rounds/1/").content.decode()
    assert warning in result
    assert 'data-pathway="transient_pain"' not in result


def test_an_old_draft_with_the_first_wizards_bowel_answer_still_loads_and_derives(
    nurse_client, encounter
):
    old = {k: v for k, v in neuro_post(arms=False).items() if k != "focal_signs"}
    Round.objects.filter(encounter=encounter).update(
        neuro={**old, "bowel_bladder": "pre_existing_unchanged"}
    )
    page = nurse_client.get(step_url(encounter, "neuro"))
    assert page.status_code == 200
    assert page.context["form"].initial["bowel_bladder"] == "stable_dysfunction"
    neuro = findings_of(encounter)["neuro"]
    assert neuro["bowel_bladder"] == "stable_dysfunction"
    assert "focal_signs" not in neuro  # the first wizard never asked: incomplete, not "no"
    check = nurse_client.get(step_url(encounter, "check")).content.decode()
    assert "Problem present before the procedure and unchanged" in check
    assert "pre_existing_unchanged" not in check
    assert "Neuro exam incomplete" in check


def test_new_focal_signs_are_stroke_signs(nurse_client, encounter):
    post_step(nurse_client, encounter, "neuro", neuro_post(focal_signs="yes"))
    assert findings_of(encounter)["neuro"]["focal_signs"] is True
    page = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert 'data-red-flag="stroke_signs"' in page
    assert 'data-escalation="emergency"' in page


def test_the_neuro_section_for_a_lumbar_level_is_complete_without_the_arms(nurse_client, encounter):
    post_step(nurse_client, encounter, "neuro", neuro_post())
    assert findings_of(encounter)["neuro"] == {
        "motor": "normal",
        "sensory": "normal",
        "bowel_bladder": "normal",
        "focal_signs": False,
    }


# --- Neuro: the arms, by treated level -------------------------------------------------------


@pytest.mark.parametrize("level", ["C6", "T1"])
def test_the_arm_exam_is_asked_and_required_after_a_level_c1_to_t1(nurse_client, ward, level):
    encounter = start(nurse_client, ward, [level])
    page = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert 'id="id_power_C6_left"' in page and 'id="id_arm_sensation_right"' in page
    assert "data-arm-exam" in page
    response = post_step(nurse_client, encounter, "neuro", neuro_post(arms=False))
    assert response.status_code == 400
    assert set(errors_of(response)) >= ARM_ANSWERS
    assert Round.objects.get(encounter=encounter).neuro is None


@pytest.mark.parametrize("level", ["T2", "L1"])
def test_the_arm_exam_is_not_asked_after_a_level_below_t1(nurse_client, ward, level):
    encounter = start(nurse_client, ward, [level])
    page = nurse_client.get(step_url(encounter, "neuro")).content.decode()
    assert "id_power_C6_left" not in page and "data-arm-exam" not in page
    response = post_step(nurse_client, encounter, "neuro", neuro_post(arms=True))
    assert response.status_code == 302
    saved = Round.objects.get(encounter=encounter).neuro
    assert not ARM_ANSWERS & set(saved)  # answers to a question not asked are not kept
    assert "upper_limb" not in findings_of(encounter)["neuro"]


def test_a_cervical_patient_with_normal_arms_has_a_complete_neuro_section(nurse_client, ward):
    encounter = start(nurse_client, ward, ["C6"])
    post_step(nurse_client, encounter, "neuro", neuro_post())
    assert findings_of(encounter)["neuro"] == {
        "motor": "normal",
        "sensory": "normal",
        "upper_limb": "normal",
        "bowel_bladder": "normal",
        "focal_signs": False,
    }
    check = nurse_client.get(step_url(encounter, "check")).content.decode()
    assert "Left C6 wrist extension" in check
    assert "Normal arm power and sensation" in check
    assert "Neuro exam incomplete" not in check


def test_new_arm_weakness_after_a_cervical_level_is_a_progressive_deficit(nurse_client, ward):
    encounter = start(nurse_client, ward, ["C6"])
    post_step(nurse_client, encounter, "neuro", neuro_post(weak={("C6", "right"): ("5", "3")}))
    assert findings_of(encounter)["neuro"]["upper_limb"] == "new_deficit"
    page = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert 'data-red-flag="progressive_neuro_deficit"' in page


def test_a_form_that_is_not_told_the_levels_examines_the_arms():
    """Unknown levels cannot rule out the arms (the contract asks for them then)."""
    assert "power_C5_left" in NeuroForm().fields
    assert "power_C5_left" not in NeuroForm(levels=["L1"]).fields


def test_each_neuro_form_has_fields_of_its_own():
    """The exam's fields are made once and copied for each form: what one form's rendering
    changes (a field in error, its widget's attributes) is never another's."""
    first, second = NeuroForm(levels=["L1"]), NeuroForm(levels=["L1"])
    assert list(first.fields) == list(second.fields)
    assert list(first.fields)[:2] == ["power_L2_left_baseline", "power_L2_left"]
    assert list(first.fields)[-1] == "focal_signs"  # the tables first, then the questions
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].widget is not second.fields[name].widget
        assert first.fields[name].widget.attrs is not second.fields[name].widget.attrs
        assert first.fields[name].error_messages is not second.fields[name].error_messages
    posted = NeuroForm({"power_L2_left": "9"}, levels=["L1"])
    assert not posted.is_valid()
    rendered = as_crispy_field(posted["power_L2_left"])
    assert "is-invalid" in rendered
    assert "is-invalid" not in as_crispy_field(NeuroForm(levels=["L1"])["power_L2_left"])
    assert posted.fields["power_L2_left"].choices == second.fields["power_L2_left"].choices


def test_arm_sensation_reduced_since_the_procedure_counts(nurse_client, ward):
    encounter = start(nurse_client, ward, ["C7"])
    post_step(nurse_client, encounter, "neuro", neuro_post(arm_sensation_left="reduced"))
    answers = Round.objects.get(encounter=encounter).neuro
    assert section_from_answers("neuro", answers)["upper_limb"] == "new_deficit"


# --- Vitals: why on oxygen ---------------------------------------------------------------------


def test_the_reason_for_oxygen_is_required_on_oxygen(nurse_client, encounter):
    response = post_step(nurse_client, encounter, "vitals", vitals_post(on_oxygen="yes"))
    assert response.status_code == 400
    assert "oxygen_reason" in errors_of(response)
    assert Round.objects.get().vitals is None


def test_the_reason_for_oxygen_is_dropped_on_air(nurse_client, encounter):
    response = post_step(
        nurse_client, encounter, "vitals", vitals_post(on_oxygen="no", oxygen_reason="routine")
    )
    assert response.status_code == 302
    assert "oxygen_reason" not in Round.objects.get().vitals
    assert "oxygen_reason" not in findings_of(encounter)["vitals"]


@pytest.mark.parametrize(
    ("reason", "distress"),
    [("long_term", False), ("low_saturation", True), ("routine", True)],
    ids=["home-oxygen", "falling-saturation", "routine-12-hours-after"],
)
def test_the_reason_for_oxygen_reaches_the_rules(nurse_client, encounter, reason, distress):
    """12 hours after the procedure, even 'routine' oxygen counts as a new requirement."""
    vitals = vitals_post(on_oxygen="yes", oxygen_reason=reason)
    assert post_step(nurse_client, encounter, "vitals", vitals).status_code == 302
    assert findings_of(encounter)["vitals"]["oxygen_reason"] == reason
    page = nurse_client.get(step_url(encounter, "imaging")).content.decode()
    assert ('data-red-flag="respiratory_distress"' in page) is distress


def test_the_reason_for_oxygen_is_a_follow_up_of_on_oxygen(nurse_client, encounter):
    page = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert 'name="oxygen_reason"' in page  # visible without JavaScript
    assert 'data-reveal-when="on_oxygen" data-reveal-values="yes"' in page


# --- Imaging ----------------------------------------------------------------------------------


def test_scan_timing_is_stored_when_the_scan_is_done(nurse_client, encounter):
    assert post_step(nurse_client, encounter, "imaging", scan_post(after="no")).status_code == 302
    assert findings_of(encounter)["imaging"] == {
        "status": "done",
        "modality": "mri",
        "findings": ["no_leak"],
        "after_current_symptoms": False,
    }


@pytest.mark.parametrize("status", ["requested", "not_done"])
def test_scan_timing_is_not_asked_unless_the_scan_is_done(nurse_client, encounter, status):
    data = imaging_post(status=status, after_current_symptoms="yes")
    assert post_step(nurse_client, encounter, "imaging", data).status_code == 302
    assert "after_current_symptoms" not in Round.objects.get().imaging
    assert "after_current_symptoms" not in findings_of(encounter)["imaging"]


def test_the_type_of_a_requested_scan_is_kept(nurse_client, encounter):
    data = imaging_post(status="requested", modality="mri")
    assert post_step(nurse_client, encounter, "imaging", data).status_code == 302
    assert findings_of(encounter)["imaging"] == {"status": "requested", "modality": "mri"}


def test_no_type_of_scan_is_kept_when_imaging_is_not_done(nurse_client, encounter):
    data = imaging_post(status="not_done", modality="mri")
    assert post_step(nurse_client, encounter, "imaging", data).status_code == 302
    assert findings_of(encounter)["imaging"] == {"status": "not_done"}


def test_findings_of_a_scan_that_is_not_done_are_refused_not_dropped(nurse_client, encounter):
    data = imaging_post(status="requested", findings=["cord_compression"])
    response = post_step(nurse_client, encounter, "imaging", data)
    assert response.status_code == 400
    assert "findings" in errors_of(response)


@pytest.mark.parametrize(
    ("finding", "red_flag", "pathway"),
    [
        ("cardiac_cement_embolism", "systemic_embolism", "cement_embolism"),
        ("cerebral_cement_embolism", "systemic_embolism", "cement_embolism"),
        ("infection", None, "infection"),
    ],
)
def test_the_new_scan_findings_reach_the_rules(nurse_client, encounter, finding, red_flag, pathway):
    assert post_step(nurse_client, encounter, "imaging", scan_post(finding)).status_code == 302
    page = nurse_client.get(step_url(encounter, "check")).content.decode()
    if red_flag:
        assert f'data-red-flag="{red_flag}"' in page
    assert findings_of(encounter)["imaging"]["findings"] == [finding]
    assert pathway in pathways_of(encounter)


def test_a_clear_ct_does_not_switch_off_suspected_cord_compression(nurse_client, encounter):
    post_step(nurse_client, encounter, "neuro", neuro_post(weak={("L4", "left"): ("5", "3")}))
    post_step(nurse_client, encounter, "imaging", scan_post(modality="ct"))
    page = nurse_client.get(step_url(encounter, "check")).content.decode()
    assert 'data-red-flag="progressive_neuro_deficit"' in page
    assert "cord_compression" in pathways_of(encounter)


@pytest.mark.parametrize("step", ["symptoms", "vitals", "imaging"])
def test_follow_up_questions_say_what_they_depend_on(nurse_client, encounter, step):
    follow_ups = {
        "symptoms": ['name="radicular_side"', 'data-reveal-when="radicular_pain"'],
        "vitals": ['name="oxygen_reason"', 'data-reveal-when="on_oxygen"'],
        "imaging": [
            'data-reveal-when="status" data-reveal-values="requested done"',
            'name="after_current_symptoms"',
            'data-reveal-when="status" data-reveal-values="done"',
        ],
    }[step]
    page = nurse_client.get(step_url(encounter, step)).content.decode()
    for text in follow_ups:
        assert text in page
