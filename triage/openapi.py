"""The JSON API described as an OpenAPI 3.1 document, built here and nowhere else.

Served at `GET /api/v1/openapi.json`. The findings and assessment schemas are built from the
clinical engine's own vocabulary (sections and their keys, every enumerated code), so a code
added to the contract appears here without an edit; the numeric ranges (kept with each key's
kind in `triage/clinical/fields.py`, which the FHIR Questionnaire reads too) and the
cross-field rules written below are checked against the engine by `tests/api/test_openapi.py`,
so a changed range fails a test until the document follows.

The document holds no patient data and says nothing the README does not, so it is public: a
client can read it before it has a token.

>>> document()["openapi"], sorted(document()["paths"])[:2]
('3.1.0', ['/api/v1/assess', '/api/v1/encounters/{id}'])
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from triage.clinical import (
    CONTRACT_VERSION,
    ESCALATION_CODES,
    IMAGING_CODES,
    PATHWAY_CODES,
    RED_FLAG_CODES,
)
from triage.clinical.early_warning import BANDS
from triage.clinical.fields import BOOLEANS, CHOICES, INTEGER_CHOICES, LISTS, RANGES
from triage.clinical.findings import COMPLETABLE_SECTIONS, FIELD_NAMES, SECTIONS
from triage.export import EXPORT_VERSION
from triage.fhir.response import FINISHED
from triage.fhir.terminology import FHIR_JSON, QUESTIONNAIRE_URL

Schema = dict[str, Any]
API_VERSION = "v1"
MAX_BODY_KB = 64

WHOLE_NUMBER = "Written as a whole number (7, not 7.0)."


def field_schema(path: str) -> Schema:
    """The JSON schema of one findings key, e.g. ``vitals.spo2``.

    >>> field_schema("vitals.spo2")["minimum"], field_schema("neuro.focal_signs")
    (50, {'type': 'boolean'})
    """
    if path in RANGES:
        kind, low, high = RANGES[path]
        schema: Schema = {"type": kind, "minimum": low, "maximum": high}
        if kind == "integer":
            schema["description"] = WHOLE_NUMBER
        return schema
    if path in BOOLEANS:
        return {"type": "boolean"}
    if path in CHOICES:
        return {"type": "string", "enum": list(CHOICES[path])}
    if path in LISTS:
        items = {"type": "string", "enum": list(LISTS[path])}
        return {"type": "array", "items": items, "minItems": 1, "uniqueItems": True}
    if path in INTEGER_CHOICES:
        schema = {"type": "integer", "enum": list(INTEGER_CHOICES[path])}
        if path == "vitals.spo2_scale":
            schema["description"] = "2 for a target of 88-92%."
        return schema
    raise KeyError(f"{path} has no schema: describe it in triage/openapi.py")


# Rules across keys of one section, as the engine checks them.
SECTION_RULES: dict[str, Schema] = {
    "imaging": {
        "allOf": [
            {
                "if": {"required": ["status"], "properties": {"status": {"const": "done"}}},
                "then": {"required": ["modality", "findings"]},
                "else": {
                    "not": {
                        "anyOf": [
                            {"required": ["findings"]},
                            {"required": ["after_current_symptoms"]},
                        ]
                    }
                },
            },
            {
                "if": {
                    "required": ["findings"],
                    "properties": {"findings": {"contains": {"const": "no_leak"}}},
                },
                "then": {"properties": {"findings": {"maxItems": 1}}},
            },
        ],
        "description": 'A scan that is "done" names its modality and findings (["no_leak"] '
        "for a normal scan); findings and after_current_symptoms only for a done scan.",
    },
    "vitals": {
        "dependentSchemas": {
            "oxygen_reason": {
                "required": ["on_oxygen"],
                "properties": {"on_oxygen": {"const": True}},
            }
        },
        "description": "oxygen_reason only beside on_oxygen: true.",
    },
}


def section_schema(section: str) -> Schema:
    properties = {key: field_schema(f"{section}.{key}") for key in FIELD_NAMES[section]}
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    return schema | SECTION_RULES.get(section, {})


def findings_schema() -> Schema:
    return {
        "type": "object",
        "description": "Every section and key is optional: a missing key means not assessed. "
        "Unknown keys, keys given twice and wrong types are refused (400).",
        "properties": {section: section_schema(section) for section in SECTIONS},
        "additionalProperties": False,
    }


STRINGS: Schema = {"type": "array", "items": {"type": "string"}}
SOURCES: Schema = {"type": "array", "items": {"type": "integer"}}


def explained(codes: tuple[str, ...], *, status: bool = False) -> Schema:
    """A red flag or pathway: its code (and status) as the contract fixes them, explained."""
    properties: Schema = {
        "code": {"type": "string", "enum": list(codes)},
        "reason": {"type": "string"},
        "title": {"type": "string"},
        "because": STRINGS,
        "actions": STRINGS,
        "sources": SOURCES,
        "guidance_key": {"type": "string"},
        "reference": {"type": "string"},
    }
    required = ["code", "reason"]
    if status:
        properties["status"] = {"type": "string", "enum": ["suspected", "confirmed"]}
        required.append("status")
    return {"type": "object", "properties": properties, "required": required}


def detail(codes: tuple[str, ...]) -> Schema:
    return {
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": list(codes)},
            "title": {"type": "string"},
            "headline": {"type": "string"},
            "reason": {"type": "string"},
            "because": STRINGS,
            "actions": STRINGS,
            "sources": SOURCES,
            "guidance_key": {"type": "string"},
        },
        "required": ["code", "reason", "actions"],
    }


def assessment_schema() -> Schema:
    """The contract's eight keys exactly, then the explanations the engine adds."""
    nullable_int = {"type": ["integer", "null"]}
    return {
        "type": "object",
        "properties": {
            "contract": {"const": CONTRACT_VERSION},
            "red_flags": {"type": "array", "items": explained(RED_FLAG_CODES)},
            "pathways": {"type": "array", "items": explained(PATHWAY_CODES, status=True)},
            "news2": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "properties": {
                            "score": {"type": "integer", "minimum": 0, "maximum": 20},
                            "band": {"type": "string", "enum": list(BANDS)},
                        },
                        "required": ["score", "band"],
                        "additionalProperties": False,
                    },
                ]
            },
            "imaging": {"type": "string", "enum": list(IMAGING_CODES)},
            "escalation": {"type": "string", "enum": list(ESCALATION_CODES)},
            "not_assessed": {
                "type": "array",
                "items": {"type": "string", "enum": list(SECTIONS)},
                "uniqueItems": True,
            },
            "incomplete": {
                "type": "array",
                "items": {"type": "string", "enum": list(COMPLETABLE_SECTIONS)},
                "uniqueItems": True,
            },
            "escalation_detail": detail(ESCALATION_CODES),
            "imaging_detail": detail(IMAGING_CODES),
            "news2_detail": {
                "type": "object",
                "properties": {
                    "score": nullable_int,
                    "band": {"enum": [*BANDS, None]},
                    "sub_scores": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "missing": STRINGS,
                    "reason": {"type": "string"},
                    "response": {"type": "string"},
                    "monitoring": {"type": "string"},
                    "reference": {"type": "string"},
                },
                "required": ["score", "band", "reference"],
            },
            "missing": {"type": "object", "additionalProperties": STRINGS},
            "derived_signs": {
                "type": "object",
                "additionalProperties": {"type": ["boolean", "null"]},
            },
            "warnings": STRINGS,
            "advice": {"type": "object"},
        },
        "required": [
            "contract",
            "red_flags",
            "pathways",
            "news2",
            "imaging",
            "escalation",
            "not_assessed",
            "incomplete",
        ],
    }


def export_schema() -> Schema:
    at = {"type": ["string", "null"], "format": "date-time"}
    user = {"type": ["string", "null"]}
    override = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "code": {"type": "string"},
            "original": {"type": "string"},
            "decision": {"type": "string"},
            "reason": {"type": "string"},
            "by": user,
            "at": at,
        },
        "required": ["kind", "code", "decision", "reason"],
    }
    call = {
        "type": "object",
        "description": "A call about an emergency or urgent round: who was told, how, when, "
        "and what they said they would do.",
        "properties": {
            "informed_role": {"type": "string"},
            "informed_name": {"type": "string"},
            "method": {"type": "string"},
            "called_at": at,
            "response": {"type": "string"},
            "response_detail": {"type": "string"},
            "recorded_by": user,
            "recorded_at": at,
        },
        "required": ["informed_role", "informed_name", "method", "called_at", "response"],
    }
    discharge = {
        "type": ["object", "null"],
        "description": "The discharge checklist as completed; null while the patient is in.",
        "properties": {
            "discharged_by": user,
            "discharged_at": at,
            "mobilised": {"type": "boolean"},
            "pain_controlled": {"type": "boolean"},
            "follow_up_on": {"type": "string", "format": "date"},
            "follow_up_with": {"type": "string"},
            "educated_by": {"type": "string"},
            "osteoporosis": {"type": "string"},
            "osteoporosis_reason": {"type": "string"},
        },
        "required": ["discharged_by", "discharged_at", "follow_up_on", "follow_up_with"],
    }
    round_ = {
        "type": "object",
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": ["draft", "submitted"]},
            "created_by": user,
            "submitted_by": user,
            "submitted_at": at,
            "guidance_version": {"type": ["integer", "null"]},
            "rules_version": {"type": ["string", "null"]},
            "findings": {"type": ["object", "null"]},
            "assessment": {
                "type": ["object", "null"],
                "description": "As stored: an assessment under the rules of `rules_version`.",
            },
            "overrides": {"type": "array", "items": override},
            "escalation_calls": {"type": "array", "items": call},
            "escalation_acknowledgement": {
                "type": ["object", "null"],
                "properties": {"by": user, "at": at},
                "required": ["by", "at"],
            },
        },
        "required": [
            "number",
            "status",
            "findings",
            "assessment",
            "overrides",
            "escalation_calls",
            "escalation_acknowledgement",
        ],
    }
    return {
        "type": "object",
        "properties": {
            "export": {"const": EXPORT_VERSION},
            "id": {"type": "string", "format": "uuid"},
            "ward": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            },
            "patient_identifier": {"type": "string"},
            "procedure_at": at,
            "levels": STRINGS,
            "created_by": user,
            "created_at": at,
            "submitted_at": at,
            "escalation_call": {
                "type": ["string", "null"],
                "enum": ["missing", "recorded", "acknowledged", None],
                "description": "Once a round was emergency or urgent: whether a call was "
                "recorded, and whether a physician acknowledged it.",
            },
            "sign_off": {"type": ["object", "null"]},
            "addenda": {"type": "array", "items": {"type": "object"}},
            "rounds": {"type": "array", "items": round_},
            "discharge": discharge,
        },
        "required": ["export", "id", "ward", "patient_identifier", "rounds", "discharge"],
    }


def questionnaire_response_schema() -> Schema:
    """The envelope of a QuestionnaireResponse the engine reads (its answers are checked as
    findings are, by field path); the Questionnaire itself is at
    /fhir/Questionnaire/vertebroplasty-pain-triage."""
    item: Schema = {
        "type": "object",
        "properties": {"linkId": {"type": "string"}, "answer": {"type": "array"}},
        "required": ["linkId"],
    }
    return {
        "type": "object",
        "description": "A FHIR R4 QuestionnaireResponse answering the product's Questionnaire: "
        "each question's linkId is a findings field path (vitals.spo2) inside the group of its "
        "section (vitals). A question without an answer is not assessed.",
        "properties": {
            "resourceType": {"const": "QuestionnaireResponse"},
            "status": {"enum": list(FINISHED)},
            "questionnaire": {
                "type": "string",
                "enum": [QUESTIONNAIRE_URL, f"{QUESTIONNAIRE_URL}|{CONTRACT_VERSION}"],
            },
            "item": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "linkId": {"type": "string", "enum": list(SECTIONS)},
                        "item": {"type": "array", "items": item},
                    },
                    "required": ["linkId"],
                },
            },
        },
        "required": ["resourceType", "status", "questionnaire"],
    }


def bundle_schema() -> Schema:
    return {
        "type": "object",
        "description": "A FHIR R4 Bundle (collection): Patient, Practitioners, and per "
        "submitted round a QuestionnaireResponse, vital-sign and NEWS2 Observations, a "
        "RiskAssessment and a Flag per red flag; the sign-off as a Provenance.",
        "properties": {
            "resourceType": {"const": "Bundle"},
            "type": {"const": "collection"},
            "entry": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "fullUrl": {"type": "string"},
                        "resource": {
                            "type": "object",
                            "properties": {"resourceType": {"type": "string"}},
                            "required": ["resourceType"],
                        },
                    },
                    "required": ["fullUrl", "resource"],
                },
            },
        },
        "required": ["resourceType", "type", "entry"],
    }


def errors_schema() -> Schema:
    return {
        "type": "object",
        "description": 'Each field path (or "(root)", "(request)") with its messages.',
        "properties": {
            "errors": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                },
                "minProperties": 1,
            },
            "status": {"const": "unavailable"},
        },
        "required": ["errors"],
    }


def error(description: str, **headers: str) -> Schema:
    response: Schema = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return response


# What every JSON API view may answer besides its own success and refusals.
FAULTS = {
    "500": error("The server failed; the fault is logged."),
    "503": error("The database cannot be reached; try again in a minute."),
}
SIGNED = {
    "401": error(
        "Not signed in, or a wrong, revoked or expired token.",
        **{"WWW-Authenticate": 'Bearer error="invalid_token" when a token was refused'},
    ),
    "403": error("Signed in without a clinical role (nurse or physician)."),
    "405": error("Another method.", Allow="The method this address answers."),
}


def assess_operation() -> Schema:
    return {
        "operationId": "assess",
        "summary": "Assess findings (contract v2)",
        "description": "The engine's answer to the findings, as `manage.py assess` prints it.",
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Findings"}},
                FHIR_JSON: {"schema": {"$ref": "#/components/schemas/QuestionnaireResponse"}},
            },
        },
        "responses": {
            "200": {
                "description": "The assessment.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Assessment"}}
                },
            },
            "400": error("Findings that cannot be assessed: every problem, by field path."),
            **SIGNED,
            "413": error(f"A body larger than {MAX_BODY_KB} KB."),
            "415": error(f"A body that is neither application/json nor {FHIR_JSON}."),
            **FAULTS,
        },
    }


def export_operation() -> Schema:
    return {
        "operationId": "exportEncounter",
        "summary": "One encounter of your wards as JSON",
        "description": "A physician's read is recorded in the encounter's audit trail.",
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "responses": {
            "200": {
                "description": "The encounter: rounds, findings, assessments, escalation calls "
                "and acknowledgements, sign-off, addenda, overrides, discharge.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/EncounterExport"}}
                },
            },
            **SIGNED,
            "404": error("No such encounter on your wards (or not an encounter id)."),
            **FAULTS,
        },
    }


def fhir_export_operation() -> Schema:
    operation = export_operation()
    return operation | {
        "operationId": "exportEncounterFhir",
        "summary": "One encounter of your wards as a FHIR Bundle",
        "description": "As the JSON export (same access; a physician's read is recorded), as "
        f"FHIR R4 resources ({FHIR_JSON}). Submitted rounds only.",
        "responses": operation["responses"]
        | {
            "200": {
                "description": "The encounter as a collection Bundle.",
                "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/Bundle"}}},
            }
        },
    }


def document_operation() -> Schema:
    return {
        "operationId": "openapi",
        "summary": "This document",
        "security": [],
        "responses": {
            "200": {
                "description": "The OpenAPI 3.1 document of the API.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            # Public, but a request naming a token is never served as if it had none.
            "401": error("A wrong, revoked or expired token (send none to read it)."),
            "405": SIGNED["405"],
            **FAULTS,
        },
    }


def document() -> Schema:
    """The whole OpenAPI 3.1 document (paths relative to the server's root)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Post-vertebroplasty pain triage API",
            "version": API_VERSION,
            "description": "Findings in, assessment out (assessment contract "
            f"{CONTRACT_VERSION}), and one encounter's export (as JSON, or as a FHIR R4 Bundle). "
            "Findings may also be sent as a FHIR QuestionnaireResponse to the Questionnaire at "
            "/fhir/Questionnaire/vertebroplasty-pain-triage. Sign calls with a personal API "
            "token (`Authorization: Bearer vpt_...`, made at /accounts/api-tokens/) or a "
            "browser session. Every answer, errors included, is JSON (the FHIR export "
            f"{FHIR_JSON}).",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": {
            "/api/v1/assess": {"post": assess_operation()},
            "/api/v1/encounters/{id}": {"get": export_operation()},
            "/api/v1/encounters/{id}/fhir": {"get": fhir_export_operation()},
            "/api/v1/openapi.json": {"get": document_operation()},
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "vpt_ followed by 43 URL-safe characters",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                },
            },
            "schemas": {
                "Findings": findings_schema(),
                "Assessment": assessment_schema(),
                "EncounterExport": export_schema(),
                "QuestionnaireResponse": questionnaire_response_schema(),
                "Bundle": bundle_schema(),
                "Errors": errors_schema(),
            },
        },
    }
