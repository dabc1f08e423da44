"""FHIR test helpers: validation with a kept library (fhir.resources' R4B models, which match R4
for every resource used here), and QuestionnaireResponses built from findings."""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from triage.clinical import CONTRACT_VERSION
from triage.fhir.response import response_items
from triage.fhir.terminology import QUESTIONNAIRE_URL

FHIR_JSON = "application/fhir+json"


def validated(resource: dict[str, Any]) -> Any:
    """The resource parsed by its fhir.resources model (raises on anything invalid); a
    Bundle's entries are each validated by their own model too."""
    data = json.loads(json.dumps(resource))  # as it travels
    model = get_fhir_model_class(data["resourceType"]).model_validate(data)
    for entry in data.get("entry", ()):
        validated(entry["resource"])
    return model


def questionnaire_response(findings: dict, **envelope: Any) -> dict[str, Any]:
    """A completed response to the product's Questionnaire giving `findings`."""
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{CONTRACT_VERSION}",
        "status": "completed",
        "authored": "2026-12-01T10:00:00+00:00",
        "item": response_items(findings),
        **envelope,
    }


def question(path: str, *answers: dict[str, Any]) -> dict[str, Any]:
    """A response holding the one question `path` with `answers`."""
    section = path.split(".", 1)[0]
    item = {"linkId": path, "answer": list(answers)}
    return questionnaire_response({}, item=[{"linkId": section, "item": [item]}])
