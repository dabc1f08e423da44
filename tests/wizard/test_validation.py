"""Server-side validation of every step: named errors, a linked summary, nothing half-saved."""

import uuid

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import (
    imaging_post,
    neuro_post,
    patient_post,
    scan_post,
    symptoms_post,
    vitals_post,
)
from triage.models import Encounter, Round
from triage.roles import Role


def errors_of(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("symptoms", symptoms_post(pain_score="11"), "pain_score", "Select a valid choice"),
        ("symptoms", symptoms_post(pain_score=""), "pain_score", "Choose the pain score"),
        ("symptoms", symptoms_post(chest_pain="true"), "chest_pain", "Select a valid choice"),
        ("symptoms", symptoms_post(radicular_pain="yes"), "radicular_side", "which side"),
        (
            "symptoms",
            symptoms_post(dyspnoea=""),
            "dyspnoea",
            "Answer: new or worse shortness of breath?",
        ),
        ("vitals", vitals_post(spo2="104"), "spo2", "SpO2 (%) must be between 50 and 100"),
        ("vitals", vitals_post(spo2="97.5"), "spo2", "whole number"),
        ("vitals", vitals_post(respiratory_rate="abc"), "respiratory_rate", "as a whole number"),
        ("vitals", vitals_post(respiratory_rate="18.5"), "respiratory_rate", "whole number, like"),
        ("vitals", vitals_post(temperature="warm"), "temperature", "as a number, like 37.5"),
        ("vitals", vitals_post(respiratory_rate="81"), "respiratory_rate", "between 0 and 80"),
        ("vitals", vitals_post(heart_rate=""), "heart_rate", "Enter the pulse"),
        ("vitals", vitals_post(systolic_bp="301"), "systolic_bp", "between 40 and 300"),
        ("vitals", vitals_post(temperature="45.5"), "temperature", "Temperature"),
        ("vitals", vitals_post(consciousness="drowsy"), "consciousness", "valid choice"),
        ("vitals", vitals_post(spo2_scale="3"), "spo2_scale", "valid choice"),
        ("imaging", imaging_post(status=""), "status", "Choose whether imaging"),
        ("imaging", scan_post(modality=""), "modality", "needed when imaging is done"),
        ("imaging", scan_post(findings=[]), "findings", "normal scan"),
        ("imaging", scan_post("no_leak", "epidural_leak"), "findings", "cannot be ticked with"),
        ("imaging", scan_post(after=""), "after_current_symptoms", "after the current symptoms"),
        (
            "imaging",
            imaging_post(status="requested", findings=["epidural_leak"]),
            "findings",
            "done",
        ),
        ("neuro", neuro_post(power_L4_left=""), "power_L4_left", "power now for Left L4"),
        ("neuro", neuro_post(power_L4_left="6"), "power_L4_left", "valid choice"),
        ("neuro", neuro_post(sensation_right_baseline=""), "sensation_right_baseline", "right"),
        ("neuro", neuro_post(bowel_bladder=""), "bowel_bladder", "bowel and bladder"),
        ("neuro", neuro_post(bowel_bladder="pre_existing_unchanged"), "bowel_bladder", "valid"),
        ("neuro", neuro_post(focal_signs=""), "focal_signs", "Answer: new facial droop"),
        ("vitals", vitals_post(on_oxygen="yes"), "oxygen_reason", "why the patient is on oxygen"),
    ],
)
def test_invalid_answers_are_refused_on_their_field(
    nurse_client, encounter, step, data, field, message
):
    response = post_step(nurse_client, encounter, step, data)
    assert response.status_code == 400
    errors = errors_of(response)
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert f'href="#id_{field}' in content  # the summary links to the field
    assert getattr(Round.objects.get(), step) is None  # nothing half-saved


def test_every_problem_is_reported_at_once(nurse_client, encounter):
    response = post_step(nurse_client, encounter, "vitals", {})
    assert response.status_code == 400
    assert set(errors_of(response)) >= {
        "respiratory_rate",
        "spo2",
        "on_oxygen",
        "systolic_bp",
        "heart_rate",
        "consciousness",
        "temperature",
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"patient_identifier": "x"}, "patient_identifier", "3 to 32 letters"),
        ({"patient_identifier": "<script>"}, "patient_identifier", "3 to 32 letters"),
        ({"patient_identifier": "943 476 5918"}, "patient_identifier", "NHS number is not right"),
        ({"patient_identifier": "RX 1234"}, "patient_identifier", "10-digit NHS number"),
        ({"procedure_at": "2999-01-01T10:00"}, "procedure_at", "cannot be in the future"),
        ({"procedure_at": "2001-01-01T10:00"}, "procedure_at", "within the last year"),
        ({"procedure_at": "yesterday"}, "procedure_at", "Enter the date and time"),
        ({"levels": []}, "levels", "at least one"),
        ({"levels": ["L6"]}, "levels", "valid choice"),
        ({"ward": ""}, "ward", "Choose the ward"),
    ],
)
def test_patient_step_validation(nurse_client, ward, overrides, field, message):
    data = {**patient_post(ward), **overrides, "client_token": str(uuid.uuid4())}
    response = nurse_client.post("/encounters/new/", data)
    assert response.status_code == 400
    errors = errors_of(response)
    assert any(message in text for text in errors[field]), errors
    assert not Encounter.objects.exists()


def test_a_ward_that_is_not_the_nurses_is_refused(nurse_client, ward, other_ward):
    data = {**patient_post(other_ward), "client_token": str(uuid.uuid4())}
    response = nurse_client.post("/encounters/new/", data)
    assert response.status_code == 400
    assert "ward" in errors_of(response)
    assert not Encounter.objects.exists()


def test_the_ward_is_prefilled_from_the_nurse(nurse_client, ward):
    response = nurse_client.get("/encounters/new/")
    assert response.context["form"].initial["ward"] == ward


@pytest.mark.parametrize("step", ["symptoms", "neuro", "vitals", "imaging"])
def test_garbage_never_causes_a_server_error(nurse_client, encounter, step):
    garbage = {name: ["\x00", "9" * 500] for name in ("pain_score", "spo2", "status", "x")}
    response = post_step(nurse_client, encounter, step, garbage)
    assert response.status_code == 400
    assert getattr(Round.objects.get(), step) is None


def test_invalid_input_is_kept_and_offered_back(nurse_client, encounter):
    post_step(nurse_client, encounter, "vitals", vitals_post(spo2="104"))
    assert Round.objects.get().pending["vitals"]["spo2"] == ["104"]
    page = nurse_client.get(step_url(encounter, "vitals")).content.decode()
    assert 'value="104"' in page
    assert "typed but not saved yet" in page


def test_kept_input_is_audited_with_who_typed_it_and_touches_only_its_step(
    nurse_client, nurse, encounter
):
    from pghistory.models import Events

    post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_score="11"))
    post_step(nurse_client, encounter, "vitals", vitals_post(spo2="104"))
    round = Round.objects.get()
    assert round.pending["symptoms"]["pain_score"] == ["11"]  # the other step's stays
    assert round.pending["vitals"]["spo2"] == ["104"]
    kept = [
        event
        for event in Events.objects.references(round).order_by("pgh_id")
        if "pending" in (event.pgh_diff or {})
    ]
    assert len(kept) == 2
    assert all(event.pgh_context["user"] == nurse.pk for event in kept)
    assert kept[-1].pgh_context["url"].endswith("/vitals/")


def test_a_saved_step_is_stored_and_audited_as_its_step_and_clears_only_its_kept_input(
    nurse_client, nurse, encounter
):
    from pghistory.models import Events

    post_step(nurse_client, encounter, "symptoms", symptoms_post(pain_score="11"))
    post_step(nurse_client, encounter, "vitals", vitals_post(spo2="104"))
    before = Round.objects.get().updated_at
    post_step(nurse_client, encounter, "vitals", vitals_post(spo2="95"))
    round = Round.objects.get()
    assert round.vitals["spo2"] == 95 and round.last_step == "vitals"
    assert "vitals" not in round.pending and round.pending["symptoms"]["pain_score"] == ["11"]
    assert round.updated_at > before
    saved = [
        event
        for event in Events.objects.references(round).order_by("pgh_id")
        if "vitals" in (event.pgh_diff or {})
    ]
    assert len(saved) == 1
    assert saved[0].pgh_context["action"] == "round.save_vitals"
    assert saved[0].pgh_context["user"] == nurse.pk
    assert saved[0].pgh_diff["vitals"][1] == round.vitals
    assert saved[0].pgh_diff["pending"][1] == round.pending


def test_a_step_save_writes_a_steps_answers_and_nothing_else(nurse, encounter):
    from triage.actions import encounters as actions

    round = Round.objects.get()
    with pytest.raises(ValueError, match="no step's answers"):
        actions.save_step(
            round=round,
            section="status",
            answers={},
            step="vitals",
            by=nurse,
            expected_version=None,
        )
    assert Round.objects.get().status == Round.Status.DRAFT


def test_each_save_claims_the_next_version_audited_with_who_saved(nurse_client, nurse, encounter):
    from pghistory.models import Events

    encounter.refresh_from_db()
    before = encounter.lock_version
    editor = str(uuid.uuid4())
    page = {"lock_version": before, "editor": editor, "_autosave": "1"}
    response = nurse_client.post(step_url(encounter, "vitals"), {**vitals_post(), **page})
    assert response["X-Autosave"] == "saved"
    encounter.refresh_from_db()
    assert encounter.lock_version == before + 1
    assert str(encounter.last_editor) == editor
    claims = [
        event
        for event in Events.objects.references(encounter).order_by("pgh_id")
        if "lock_version" in (event.pgh_diff or {})
    ]
    assert claims[-1].pgh_diff["lock_version"] == [before, before + 1]
    assert claims[-1].pgh_context["user"] == nurse.pk
    stale = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="99"), "lock_version": before}
    )
    assert stale.status_code == 409  # a change based on a version that has moved on
    encounter.refresh_from_db()
    assert encounter.lock_version == before + 1


def test_the_nurses_own_autosave_is_not_a_conflict(nurse_client, encounter):
    """The page's autosave moves the version on; the final save from the same page is fine.
    A post that names no page (its form had no editor id) gets no such credit."""
    encounter.refresh_from_db()
    page = {"lock_version": encounter.lock_version, "editor": str(uuid.uuid4())}
    autosave = {**vitals_post(heart_rate="80"), **page, "_autosave": "1"}
    assert nurse_client.post(step_url(encounter, "vitals"), autosave)["X-Autosave"] == "saved"
    anonymous = {**vitals_post(heart_rate="82"), "lock_version": page["lock_version"]}
    assert nurse_client.post(step_url(encounter, "vitals"), anonymous).status_code == 409
    response = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="81"), **page}
    )
    assert response.status_code == 302
    assert Round.objects.get().vitals["heart_rate"] == 81


def test_a_stale_version_is_a_conflict_that_keeps_the_input(nurse_client, encounter, ward):
    encounter.refresh_from_db()
    stale = encounter.lock_version
    colleague = Client()
    colleague.force_login(UserFactory(username="nurse2", roles=(Role.NURSE,), wards=(ward,)))
    post_step(colleague, encounter, "symptoms", symptoms_post())  # someone else saves
    response = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="123"), "lock_version": stale}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else has saved changes" in content
    assert 'value="123"' in content
    assert Round.objects.get().vitals is None


@pytest.mark.parametrize("typed", ["943 476 5919", "943-476-5919", " 9434765919 "])
def test_an_nhs_number_with_spaces_or_dashes_is_stored_as_ten_digits(nurse_client, ward, typed):
    data = {**patient_post(ward), "patient_identifier": typed, "client_token": str(uuid.uuid4())}
    response = nurse_client.post("/encounters/new/", data)
    assert response.status_code == 302
    assert Encounter.objects.get().patient_identifier == "9434765919"


def test_a_hospital_number_is_kept_as_written(nurse_client, ward):
    data = {**patient_post(ward), "patient_identifier": "RX-00042"}
    data["client_token"] = str(uuid.uuid4())
    assert nurse_client.post("/encounters/new/", data).status_code == 302
    assert Encounter.objects.get().patient_identifier == "RX-00042"


@pytest.mark.parametrize(("typed", "stored"), [("37,5", 37.5), ("38.1", 38.1), (" 36,9 ", 36.9)])
def test_a_temperature_with_a_decimal_comma_is_read_as_a_decimal(
    nurse_client, encounter, typed, stored
):
    response = post_step(nurse_client, encounter, "vitals", vitals_post(temperature=typed))
    assert response.status_code == 302
    assert Round.objects.get().vitals["temperature"] == stored


def test_a_value_out_of_range_is_reported_beside_a_missing_answer(nurse_client, encounter):
    """Every problem at once: the engine's range check is not held back until the type
    checks of the other fields pass."""
    data = vitals_post(spo2="104", heart_rate="", respiratory_rate="18.5")
    errors = errors_of(post_step(nurse_client, encounter, "vitals", data))
    assert any("between 50 and 100" in text for text in errors["spo2"])
    assert errors["heart_rate"] == ["Enter the pulse."]
    assert any("whole number" in text for text in errors["respiratory_rate"])


@pytest.mark.parametrize(
    "data",
    [
        scan_post(modality=""),
        scan_post(findings=[]),
        scan_post("no_leak", "epidural_leak"),
        imaging_post(status="requested", findings=["epidural_leak"]),
    ],
)
def test_imaging_errors_name_no_codes(nurse_client, encounter, data):
    response = post_step(nurse_client, encounter, "imaging", data)
    errors = " ".join(" ".join(texts) for texts in errors_of(response).values())
    assert errors
    for code in ('"done"', "no_leak", "status is", "["):
        assert code not in errors, errors


@pytest.mark.parametrize(
    ("url", "questions"),
    [("symptoms", 6), ("new", 4)],
)
def test_every_required_question_is_marked(nurse_client, encounter, url, questions):
    path = "/encounters/new/" if url == "new" else step_url(encounter, url)
    page = nurse_client.get(path).content.decode()
    assert page.count('<span class="asteriskField">*</span>') == questions


def test_a_groups_hint_and_error_come_before_its_options(nurse_client, encounter):
    """The GOV.UK order: question, hint, error, then the options (not beside the last one)."""
    data = symptoms_post(uncontrolled_despite_analgesia="")
    content = post_step(nurse_client, encounter, "symptoms", data).content.decode()
    group = content.split('id="div_id_uncontrolled_despite_analgesia"')[1].split("</fieldset>")[0]
    first_option = group.index('type="radio"')
    assert group.index("_helptext") < group.index('class="invalid-feedback') < first_option
    assert "Answer: pain uncontrolled" in group[:first_option]


@pytest.mark.parametrize("name", ["patient_identifier", "procedure_at"])
def test_a_boxs_hint_and_error_come_before_the_box(nurse_client, ward, name):
    """The GOV.UK order for text, number and date boxes too: question, hint, error, box."""
    data = {**patient_post(ward), name: "x", "client_token": str(uuid.uuid4())}
    content = nurse_client.post("/encounters/new/", data).content.decode()
    block = content.split(f'id="div_id_{name}"')[1].split("</div>\n</div>")[0]
    box = block.index(f'name="{name}"')
    hint, error = block.index("_helptext"), block.index("invalid-feedback")
    assert block.index("</label>") < hint < error < box
    assert block.count("invalid-feedback") == 1
