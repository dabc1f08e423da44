"""Findings read from a QuestionnaireResponse: through the API (`application/fhir+json`) and
`manage.py assess --fhir`, the same assessment as the findings JSON gives, and refusals under
the same field paths."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.clinical.examples import assert_matches_expected, load_examples
from tests.fhir.helpers import FHIR_JSON, question, questionnaire_response, validated
from tests.foundation.helpers import ROOT
from triage.clinical import assess_json
from triage.fhir.terminology import QUESTIONNAIRE_URL, answer_system

URL = "/api/v1/assess"
EXAMPLES = load_examples()
VALID = [e for e in EXAMPLES if e.valid]


@pytest.fixture
def api(client, nurse):
    client.force_login(nurse)
    return client


def post(client, body, content_type=FHIR_JSON):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type)


def errors_of(client, body) -> dict[str, list[str]]:
    response = post(client, body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


def assess_command(*args: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("example", VALID, ids=lambda e: e.name)
def test_each_worked_example_as_a_response_gives_its_assessment_through_the_api(api, example):
    response_to = questionnaire_response(example.findings)
    validated(response_to)
    answer = post(api, response_to)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    assert_matches_expected(answer.json(), example.expected)
    # Exactly the findings JSON's answer, every key.
    assert answer.json() == json.loads(json.dumps(assess_json(example.findings).to_dict()))


@pytest.mark.parametrize("example", VALID, ids=lambda e: e.name)
def test_each_worked_example_as_a_response_gives_its_assessment_through_the_command(
    example, tmp_path
):
    path = tmp_path / "response.json"
    path.write_text(json.dumps(questionnaire_response(example.findings)), encoding="utf-8")
    result = assess_command("--fhir", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert_matches_expected(json.loads(result.stdout), example.expected)
    assert json.loads(result.stdout) == json.loads(
        json.dumps(assess_json(example.findings).to_dict())
    )


def test_the_command_refuses_a_response_naming_each_field():
    invalid = next(e for e in EXAMPLES if not e.valid)
    result = assess_command(
        "--fhir", "-", stdin=json.dumps(questionnaire_response(invalid.findings))
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    for field in invalid.error_fields:
        assert any(line.startswith(f"{field}: ") for line in lines), (field, lines)
    assert "Traceback" not in result.stderr


def test_the_django_command_reads_a_response_too(tmp_path, capsys):
    from django.core.management import call_command

    example = VALID[0]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(questionnaire_response(example.findings)), encoding="utf-8")
    call_command("assess", str(path), fhir=True)
    assert_matches_expected(json.loads(capsys.readouterr().out), example.expected)


def test_an_invalid_example_is_refused_under_the_contracts_field_paths(api):
    invalid = next(e for e in EXAMPLES if not e.valid)
    errors = errors_of(api, questionnaire_response(invalid.findings))
    assert set(invalid.error_fields) <= set(errors)


@pytest.mark.parametrize(
    ("findings", "path"),
    [
        ({"vitals": {"spo2": "97"}}, "vitals.spo2"),
        ({"vitals": {"spo2": 104}}, "vitals.spo2"),
        ({"symptoms": {"pain_score": 7.5}}, "symptoms.pain_score"),
        ({"symptoms": {"chest_pain": "true"}}, "symptoms.chest_pain"),
        ({"imaging": {"status": "done"}}, "imaging.modality"),
        ({"vitals": {"consciousness": "drowsy"}}, "vitals.consciousness"),
        ({"procedure": {"levels": ["L1", "L1"]}}, "procedure.levels[1]"),
        ({"vitals": {"on_oxygen": False, "oxygen_reason": "routine"}}, "vitals.oxygen_reason"),
    ],
)
def test_a_wrong_value_is_refused_with_the_json_contracts_path_and_message(api, findings, path):
    """The same wrong value sent as findings JSON and inside a response: the same errors."""
    as_json = post(api, findings, content_type="application/json").json()["errors"]
    assert path in as_json
    assert errors_of(api, questionnaire_response(findings)) == as_json


@pytest.mark.parametrize(
    ("response_to", "path", "message"),
    [
        (question("vitals.mood", {"valueInteger": 1}), "vitals.mood", "unknown field"),
        (
            questionnaire_response({}, item=[{"linkId": "surprise", "item": []}]),
            "surprise",
            "unknown field",
        ),
        (
            questionnaire_response(
                {},
                item=[
                    {
                        "linkId": "symptoms",
                        "item": [{"linkId": "vitals.spo2", "answer": [{"valueInteger": 97}]}],
                    }
                ],
            ),
            "vitals.spo2",
            'belongs in the group "vitals"',
        ),
        (
            question("vitals.spo2", {"valueString": "97"}),
            "vitals.spo2",
            "must be answered with valueInteger, not valueString",
        ),
        (
            question("symptoms.pain_score", {"valueDecimal": 7.0}),
            "symptoms.pain_score",
            "must be answered with valueInteger, not valueDecimal",
        ),
        (
            question("neuro.focal_signs", {"valueCoding": {"code": "yes"}}),
            "neuro.focal_signs",
            "must be answered with valueBoolean, not valueCoding",
        ),
        (
            question("vitals.temperature", {"valueInteger": 37}),
            "vitals.temperature",
            "must be answered with valueDecimal, not valueInteger",
        ),
        (
            question(
                "vitals.consciousness",
                {"valueCoding": {"system": "http://snomed.info/sct", "code": "248234008"}},
            ),
            "vitals.consciousness",
            f"coding system must be {answer_system('vitals.consciousness')}",
        ),
        (
            question("vitals.spo2", {"valueInteger": 97}, {"valueInteger": 98}),
            "vitals.spo2",
            "must have one answer, not 2",
        ),
        (
            question(
                "imaging.findings", {"valueCoding": {"code": "no_leak"}}, {"valueBoolean": True}
            ),
            "imaging.findings[1]",
            "must be answered with valueCoding, not valueBoolean",
        ),
    ],
    ids=[
        "unknown-question",
        "unknown-group",
        "wrong-group",
        "string-for-integer",
        "decimal-for-integer",
        "coding-for-boolean",
        "integer-for-decimal",
        "foreign-code-system",
        "two-answers",
        "wrong-list-item",
    ],
)
def test_unknown_link_ids_and_wrong_answer_types_are_refused_by_field_path(
    api, response_to, path, message
):
    assert errors_of(api, response_to)[path] == [message]


def test_a_question_given_twice_is_refused(api):
    twice = {"linkId": "vitals.spo2", "answer": [{"valueInteger": 97}]}
    body = questionnaire_response({}, item=[{"linkId": "vitals", "item": [twice, twice]}])
    assert errors_of(api, body)["vitals.spo2"] == ["duplicate key"]


def test_a_question_without_an_answer_is_not_assessed_never_normal(api):
    body = questionnaire_response(
        {}, item=[{"linkId": "vitals", "item": [{"linkId": "vitals.spo2"}]}]
    )
    answer = post(api, body).json()
    assert answer["not_assessed"] == ["procedure", "symptoms", "neuro", "vitals", "imaging"]
    assert answer["escalation"] == "urgent"


@pytest.mark.parametrize("status", ["in-progress", "stopped", "entered-in-error", None])
def test_only_a_finished_response_is_assessed(api, status):
    body = questionnaire_response(VALID[0].findings, status=status)
    errors = errors_of(api, body)
    assert list(errors) == ["(root)"]
    assert "completed" in errors["(root)"][0]


def test_an_amended_response_is_assessed(api):
    body = questionnaire_response(VALID[0].findings, status="amended")
    assert_matches_expected(post(api, body).json(), VALID[0].expected)


@pytest.mark.parametrize(
    "canonical",
    [
        "http://example.org/Questionnaire/phq-9",
        f"{QUESTIONNAIRE_URL}|v1",
        None,
    ],
    ids=["another-questionnaire", "another-version", "none"],
)
def test_a_response_to_another_questionnaire_is_refused(api, canonical):
    body = questionnaire_response(VALID[0].findings, questionnaire=canonical)
    assert list(errors_of(api, body)) == ["(root)"]


def test_a_response_naming_the_questionnaire_without_a_version_is_read_as_this_one(api):
    body = questionnaire_response(VALID[0].findings, questionnaire=QUESTIONNAIRE_URL)
    assert_matches_expected(post(api, body).json(), VALID[0].expected)


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        json.dumps(VALID[0].findings),  # findings JSON sent as FHIR
        json.dumps({"resourceType": "Patient"}),
        '{"resourceType": "QuestionnaireResponse", "resourceType": "QuestionnaireResponse"}',
    ],
    ids=["not-json", "array", "findings", "another-resource", "duplicate-key"],
)
def test_a_body_that_is_no_response_is_a_400_at_the_root(api, body):
    assert "(root)" in errors_of(api, body)


def test_other_content_types_are_still_refused(api):
    response = post(api, questionnaire_response({}), content_type="text/plain")
    assert response.status_code == 415
    assert FHIR_JSON in response.json()["errors"]["(request)"][0]


def test_a_charset_parameter_is_fine(api):
    response = post(
        api, questionnaire_response(VALID[0].findings), content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    assert response.status_code == 200


def test_signed_out_is_401_as_for_json(client, db):
    assert post(client, questionnaire_response({})).status_code == 401


def test_an_answer_to_a_question_the_form_would_hide_is_read_not_dropped(api):
    """The arms are asked only after a level C1-T1, but an arm deficit reported after a lumbar
    level is a stroke sign: dropping the answer would hide a red flag."""
    findings = {"procedure": {"levels": ["L1"]}, "neuro": {"upper_limb": "new_deficit"}}
    answer = post(api, questionnaire_response(findings)).json()
    assert "stroke_signs" in [flag["code"] for flag in answer["red_flags"]]
    assert answer["escalation"] == "emergency"
