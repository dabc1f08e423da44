"""The bedside assessment as a FHIR Questionnaire: valid, complete against the contract, built
from the wizard's own questions, and public like the OpenAPI document."""

from __future__ import annotations

import json
import re

import pytest

from tests.clinical.examples import ROOT
from tests.fhir.helpers import FHIR_JSON, validated
from tests.wizard.helpers import imaging_post, scan_post, vitals_post
from triage import wizard
from triage.clinical import CONTRACT_VERSION
from triage.clinical.fields import INTEGER_CHOICES, RANGES, codes_of
from triage.clinical.findings import SECTIONS, UPPER_LIMB_LEVELS
from triage.fhir.questionnaire import REQUIRED_WHEN_SHOWN, questionnaire
from triage.fhir.terminology import MAX_VALUE, MIN_VALUE, QUESTIONNAIRE_URL, answer_system
from triage.forms.wizard import ImagingForm, VitalsForm

URL = "/fhir/Questionnaire/vertebroplasty-pain-triage"
CONTRACT = ROOT.parent / "shared" / "clinical" / "assessment-contract.md"


def questions() -> dict[str, dict]:
    return {item["linkId"]: item for group in questionnaire()["item"] for item in group["item"]}


def contract_paths() -> list[str]:
    """Every input key the contract document itself shows (its findings example), read from
    the Markdown, not from the engine."""
    block = CONTRACT.read_text(encoding="utf-8").split("```jsonc", 1)[1].split("```", 1)[0]
    example = json.loads(re.sub(r"//[^\n]*", "", block))
    return [f"{section}.{key}" for section, keys in example.items() for key in keys]


def test_the_questionnaire_is_valid_fhir():
    model = validated(questionnaire())
    assert model.url == QUESTIONNAIRE_URL
    assert model.version == CONTRACT_VERSION == "v2"
    assert model.status == "active"


def test_every_input_key_of_the_contract_has_its_question():
    paths = contract_paths()
    assert len(paths) == 26
    assert sorted(questions()) == sorted(paths)


def test_one_group_per_wizard_step_in_the_wizards_order_with_its_title():
    groups = questionnaire()["item"]
    assert [group["linkId"] for group in groups] == list(SECTIONS)
    assert [group["type"] for group in groups] == ["group"] * 5
    assert groups[0]["text"] == wizard.PATIENT.title
    assert [g["text"] for g in groups[1:]] == [step.title for step in wizard.QUESTION_STEPS]
    for group in groups:
        assert all(item["linkId"].startswith(group["linkId"] + ".") for item in group["item"])


def test_the_questions_are_the_forms_own_words():
    items = questions()
    assert items["vitals.spo2"]["text"] == str(VitalsForm.base_fields["spo2"].label)
    assert items["imaging.status"]["text"] == str(ImagingForm.base_fields["status"].label)
    # A key the wizard derives from the detailed exam takes the engine's words.
    assert items["neuro.motor"]["text"] == "Leg power"
    consciousness = {
        option["valueCoding"]["code"]: option["valueCoding"]["display"]
        for option in items["vitals.consciousness"]["answerOption"]
    }
    assert consciousness["U"] == "U – Unresponsive"


def test_every_enumerated_value_is_an_answer_option():
    for path, item in questions().items():
        codes = codes_of(path)
        if codes:
            assert item["type"] == "choice", path
            options = [option["valueCoding"] for option in item["answerOption"]]
            assert [option["code"] for option in options] == list(codes), path
            assert {option["system"] for option in options} == {answer_system(path)}
            assert all(option["display"] for option in options), path
        elif path in INTEGER_CHOICES:
            values = [option["valueInteger"] for option in item["answerOption"]]
            assert values == list(INTEGER_CHOICES[path])
        else:
            assert "answerOption" not in item, path
    assert questions()["procedure.levels"]["repeats"] is True
    assert questions()["imaging.findings"]["repeats"] is True


def test_every_range_is_a_min_and_max_value():
    for path, (kind, low, high) in RANGES.items():
        item = questions()[path]
        assert item["type"] == ("integer" if kind == "integer" else "decimal")
        value = "valueInteger" if kind == "integer" else "valueDecimal"
        extensions = {ext["url"]: ext[value] for ext in item["extension"] if value in ext}
        assert extensions == {MIN_VALUE: low, MAX_VALUE: high}, path


def conditions(path: str) -> list[tuple[str, str, object]]:
    return [
        (
            condition["question"],
            condition["operator"],
            condition.get("answerBoolean", condition.get("answerCoding", {}).get("code")),
        )
        for condition in questions()[path].get("enableWhen", ())
    ]


def test_the_conditional_questions_are_asked_when_the_wizard_asks_them():
    assert conditions("vitals.oxygen_reason") == [("vitals.on_oxygen", "=", True)]
    assert conditions("imaging.modality") == [
        ("imaging.status", "=", "requested"),
        ("imaging.status", "=", "done"),
    ]
    assert questions()["imaging.modality"]["enableBehavior"] == "any"
    for path in ("imaging.findings", "imaging.after_current_symptoms"):
        assert conditions(path) == [("imaging.status", "=", "done")]
    arms = conditions("neuro.upper_limb")
    assert arms[0] == ("procedure.levels", "exists", False)
    assert {code for _, _, code in arms[1:]} == UPPER_LIMB_LEVELS
    assert conditions("vitals.spo2") == []


def test_required_follows_the_wizard():
    items = questions()
    assert all(items[path]["required"] for path in ("symptoms.pain_score", "vitals.spo2"))
    # Asked when requested or done, but needed only for a scan that is done (the engine).
    assert items["imaging.modality"]["required"] is False


@pytest.mark.parametrize(
    ("path", "form", "data"),
    [
        ("vitals.oxygen_reason", VitalsForm, vitals_post(on_oxygen="yes")),
        ("imaging.findings", ImagingForm, imaging_post(status="done", modality="mri")),
        (
            "imaging.after_current_symptoms",
            ImagingForm,
            {k: v for k, v in scan_post("no_leak").items() if k != "after_current_symptoms"},
        ),
    ],
)
def test_a_follow_up_required_when_shown_is_one_the_form_insists_on(path, form, data):
    assert path in REQUIRED_WHEN_SHOWN
    key = path.split(".", 1)[1]
    assert key not in data or not data[key]
    bound = form(data)
    assert not bound.is_valid()
    assert key in bound.errors


def test_it_is_served_to_anyone_as_fhir_json(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    assert response.json() == json.loads(json.dumps(questionnaire()))


def test_another_method_is_a_json_405(client, db):
    response = client.post(URL, "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "Observation", "status": "final"},
        {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "colour": 1},
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Flag"}}],
        },
    ],
    ids=["missing-element", "unknown-element", "invalid-entry"],
)
def test_the_validator_would_notice_an_invalid_resource(resource):
    """Guard the guard: the validation these tests rely on refuses what FHIR refuses."""
    with pytest.raises(ValueError, match="validation error"):
        validated(resource)
