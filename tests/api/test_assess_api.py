"""POST /api/v1/assess: the assessment contract over HTTP."""

import json

import pytest

from tests.clinical.examples import assert_matches_expected, load_examples

URL = "/api/v1/assess"
EXAMPLES = load_examples()


@pytest.fixture
def api(client, nurse):
    client.force_login(nurse)
    return client


def post_json(client, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.valid], ids=lambda e: e.name)
def test_worked_examples_are_reproduced(api, example):
    response = post_json(api, example.findings)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_matches_expected(response.json(), example.expected)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e.valid], ids=lambda e: e.name)
def test_invalid_examples_name_each_field(api, example):
    response = post_json(api, example.findings)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(example.error_fields) <= set(errors)
    assert all(isinstance(messages, list) and messages for messages in errors.values())


def test_the_api_and_the_engine_agree_on_every_key(api):
    from triage.clinical import assess_json

    findings = EXAMPLES[0].findings
    assert post_json(api, findings).json() == json.loads(
        json.dumps(assess_json(findings).to_dict())
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "(root)"),
        ("   ", "(root)"),
        ("[]", "(root)"),
        ({"vitals": {"spo2": "97"}}, "vitals.spo2"),
        ({"symptoms": {"chest_pain": "true"}}, "symptoms.chest_pain"),
        ({"symptoms": {"pain_score": 7.5}}, "symptoms.pain_score"),
        ({"imaging": {"status": "done"}}, "imaging.modality"),
        ({"surprise": {}}, "surprise"),
    ],
)
def test_malformed_input_is_a_400_naming_the_field(api, body, field):
    response = post_json(api, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_anonymous_requests_get_401(client, db):
    response = post_json(client, {})
    assert response.status_code == 401
    assert "errors" in response.json()


def test_a_guidance_admin_without_a_clinical_role_gets_403(client, guidance_admin):
    client.force_login(guidance_admin)
    assert post_json(client, {}).status_code == 403


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_get_405(api, method):
    response = getattr(api, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_non_json_content_type_gets_415(api):
    response = api.post(URL, data={"vitals": "x"})
    assert response.status_code == 415
    assert post_json(api, "{}", content_type="text/plain").status_code == 415


def test_bodies_over_64_kb_are_refused(api):
    big = json.dumps({"symptoms": {}, "padding": "x" * (65 * 1024)})
    response = post_json(api, big)
    assert response.status_code == 413


def test_csrf_is_not_needed_for_json_but_the_session_is(client, nurse):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(nurse)
    assert post_json(strict, EXAMPLES[0].findings).status_code == 200
