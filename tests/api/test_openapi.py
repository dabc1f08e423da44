"""The OpenAPI document: valid 3.1, served to anyone, naming every API route, and saying what
the engine accepts and answers (so it cannot drift from the contract's vocabulary)."""

from __future__ import annotations

import doctest
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from tests.clinical.examples import load_examples
from tests.hardening import strategies as hostile
from triage import openapi
from triage.clinical import FindingsError, assess_json, parse_findings
from triage.clinical.fields import CHOICES, LISTS, RANGES
from triage.clinical.findings import FIELD_NAMES, SECTIONS
from triage.openapi import document

URL = "/api/v1/openapi.json"
CHECK = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def validator(name: str) -> Draft202012Validator:
    """A JSON Schema validator for one of the document's component schemas."""
    doc = document()
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


FINDINGS = validator("Findings")
ASSESSMENT = validator("Assessment")


def engine_accepts(data: object) -> bool:
    try:
        parse_findings(data)
    except FindingsError:
        return False
    return True


def test_the_modules_examples_hold():
    result = doctest.testmod(openapi)
    assert result.attempted and not result.failed


def test_the_document_is_valid_openapi_3_1():
    validate(document(), cls=OpenAPIV31SpecValidator)


def test_it_is_served_to_anyone_as_json(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(document()))


def test_another_method_is_a_json_405(client, db):
    response = client.post(URL, "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["errors"]


def test_an_unknown_api_address_is_a_json_404(client, db):
    for path in ("/api/v1/encounters/not-a-uuid", "/api/v1/nothing", "/api/v2/assess"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"]


def api_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route under api/ in the URL map, with parameters written as {}."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            routes.append("/" + re.sub(r"<[^>]+>", "{}", route))
    return routes


def test_every_api_route_is_in_the_document():
    documented = {re.sub(r"\{[^}]+\}", "{}", path) for path in document()["paths"]}
    routes = api_routes()
    assert len(routes) >= 3
    assert set(routes) == documented


def test_it_declares_bearer_tokens_and_a_json_error_for_every_refusal():
    doc = document()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "vpt_ followed by 43 URL-safe characters",
    }
    assess = doc["paths"]["/api/v1/assess"]["post"]["responses"]
    export = doc["paths"]["/api/v1/encounters/{id}"]["get"]["responses"]
    fhir = doc["paths"]["/api/v1/encounters/{id}/fhir"]["get"]["responses"]
    assert set(assess) == {"200", "400", "401", "403", "405", "413", "415", "500", "503"}
    assert set(export) == set(fhir) == {"200", "401", "403", "404", "405", "500", "503"}
    assert list(fhir["200"]["content"]) == ["application/fhir+json"]
    for responses in (assess, export, fhir):
        for status, response in responses.items():
            if status != "200":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Errors"}


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_every_worked_example_fits_the_document(example):
    errors = list(FINDINGS.iter_errors(example.findings))
    if not example.valid:
        assert errors, "the document accepts findings the contract refuses"
        return
    assert errors == []
    ASSESSMENT.validate(json.loads(json.dumps(assess_json(example.findings).to_dict())))


def test_every_key_of_every_section_is_described():
    findings = document()["components"]["schemas"]["Findings"]
    assert list(findings["properties"]) == list(SECTIONS)
    for section in SECTIONS:
        assert list(findings["properties"][section]["properties"]) == list(FIELD_NAMES[section])


def field_cases() -> list[tuple[str, object, bool]]:
    """(field path, value, whether the contract accepts it) at the edge of each range and for
    every enumerated code, plus one code the contract does not know."""
    cases: list[tuple[str, object, bool]] = []
    for path, (kind, low, high) in RANGES.items():
        step = 1 if kind == "integer" else 0.01
        cases += [(path, low, True), (path, high, True)]
        cases += [(path, low - step, False), (path, high + step, False)]
        if kind == "integer":
            cases.append((path, low + 0.5, False))
    for path, codes in CHOICES.items():
        cases += [(path, code, True) for code in codes] + [(path, "unknown_code", False)]
    for path, codes in LISTS.items():
        cases += [(path, [code], True) for code in codes] + [(path, ["unknown_code"], False)]
        cases += [(path, [], False), (path, [codes[1], codes[1]], False)]
    return cases


def findings_with(path: str, value: object) -> dict:
    section, key = path.split(".")
    body: dict = {key: value}
    if path == "vitals.oxygen_reason":
        body["on_oxygen"] = True
    if section == "imaging" and (key != "status" or value == "done"):
        body = {"status": "done", "modality": "mri", "findings": ["epidural_leak"], key: value}
    return {section: body}


@pytest.mark.parametrize(("path", "value", "accepted"), field_cases())
def test_each_range_and_code_of_the_document_is_the_engines(path, value, accepted):
    findings = findings_with(path, value)
    assert engine_accepts(findings) is accepted, "the engine changed: update the contract?"
    assert FINDINGS.is_valid(findings) is accepted, "triage/openapi.py disagrees with the engine"


@CHECK
@given(hostile.mutated_findings(hostile.strict_json_values))
def test_the_document_accepts_exactly_the_findings_the_engine_accepts(findings):
    assert FINDINGS.is_valid(findings) is engine_accepts(findings)


@CHECK
@given(st.one_of(hostile.any_valid_findings))
def test_every_assessment_fits_the_document(findings):
    assessment = json.loads(json.dumps(assess_json(findings).to_dict()))
    errors = [error.message for error in ASSESSMENT.iter_errors(assessment)]
    assert errors == []


def test_an_encounters_export_fits_the_document(client, nurse, published_guidance):
    from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory

    encounter = SubmittedEncounterFactory(
        ward=nurse.wards.get(), created_by=nurse, answers=WEAK_LEG
    )
    client.force_login(nurse)
    response = client.get(f"/api/v1/encounters/{encounter.pk}")
    assert response.status_code == 200
    errors = [error.message for error in validator("EncounterExport").iter_errors(response.json())]
    assert errors == []
    assert response.json()["rounds"][0]["assessment"]["contract"] == "v2"


def test_findings_may_be_sent_as_a_fhir_questionnaire_response():
    body = document()["paths"]["/api/v1/assess"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json", "application/fhir+json"]
    assert body["application/fhir+json"]["schema"] == {
        "$ref": "#/components/schemas/QuestionnaireResponse"
    }


@pytest.mark.parametrize(
    "example", [e for e in load_examples() if e.valid][:3], ids=lambda e: e.name
)
def test_a_worked_examples_questionnaire_response_fits_the_document(example):
    from tests.fhir.helpers import questionnaire_response

    assert (
        list(
            validator("QuestionnaireResponse").iter_errors(questionnaire_response(example.findings))
        )
        == []
    )


def test_an_encounters_fhir_export_fits_the_document(client, nurse, published_guidance):
    from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory

    encounter = SubmittedEncounterFactory(
        ward=nurse.wards.get(), created_by=nurse, answers=WEAK_LEG
    )
    client.force_login(nurse)
    response = client.get(f"/api/v1/encounters/{encounter.pk}/fhir")
    assert response.status_code == 200
    assert list(validator("Bundle").iter_errors(response.json())) == []
