"""JSON API: the assessment contract over HTTP, one encounter's export (as JSON and as a FHIR
Bundle), the OpenAPI document that describes them (`triage/openapi.py`) and the FHIR
Questionnaire (`triage/fhir/`); both documents are public: they hold no patient data.

Errors are JSON too (401 signed out, 403 no clinical role, 404 not on the user's wards, 405
wrong method), in the shape of the contract's findings errors. The exports have the encounter
page's access (clinical staff of the encounter's ward) and a physician's read is audited.

CSRF: the assess endpoint accepts only `application/json` and `application/fhir+json`, which a
browser will not send to another origin without a CORS preflight (never granted here), so a
forged cross-site form cannot reach it; the session still identifies the user.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from triage.access import (
    CLINICAL_ROLES,
    AuthenticatedRequest,
    encounter_for,
    record_read,
)
from triage.clinical import FindingsError, assess, load_json, parse_findings
from triage.export import encounter_export_data
from triage.fhir.bundle import encounter_bundle
from triage.fhir.questionnaire import questionnaire
from triage.fhir.response import parse_response
from triage.fhir.terminology import FHIR_JSON
from triage.models import Encounter
from triage.openapi import document
from triage.record import WHOLE_RECORD
from triage.roles import roles_of

MAX_BODY_BYTES = 64 * 1024


def json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": {"(request)": [message]}}, status=status)


def wrong_method(request: HttpRequest, method: str, use: str) -> JsonResponse | None:
    """405 (in JSON, naming the allowed method) unless the request uses `method`."""
    if request.method == method:
        return None
    response = json_error(405, use)
    response["Allow"] = method
    return response


def refusal(request: HttpRequest, *, method: str, use: str, forbidden: str) -> JsonResponse | None:
    """The JSON API's answer to a request it will not serve (405, 401, 403), or None."""
    refused = wrong_method(request, method, use)
    if refused is not None:
        return refused
    if not request.user.is_authenticated:
        return json_error(401, "sign in first, or send an API token")
    if not roles_of(request.user) & CLINICAL_ROLES:
        return json_error(403, forbidden)
    return None


@csrf_exempt
def assess_view(request: HttpRequest) -> JsonResponse:
    refused = refusal(
        request,
        method="POST",
        use="use POST with findings JSON",
        forbidden="only nurses and physicians may request assessments",
    )
    if refused is not None:
        return refused
    # Findings JSON, or a FHIR QuestionnaireResponse to the product's Questionnaire.
    read = {"application/json": parse_findings, FHIR_JSON: parse_response}.get(
        request.content_type or ""
    )
    if read is None:
        return json_error(415, f"the body must be application/json or {FHIR_JSON}")
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            return json_error(413, f"the body must be at most {MAX_BODY_BYTES // 1024} KB")
        body = request.body
    except (RequestDataTooBig, ValueError):
        return json_error(413, f"the body must be at most {MAX_BODY_BYTES // 1024} KB")
    try:
        assessment = assess(read(load_json(body)))
    except FindingsError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    return JsonResponse(assessment.to_dict())


def readable_encounter(request: HttpRequest, pk: uuid.UUID) -> Encounter | JsonResponse:
    """The encounter an export may show this user (the read recorded), or the refusal."""
    refused = refusal(
        request,
        method="GET",
        use="use GET",
        forbidden="only nurses and physicians may read patient records",
    )
    if refused is not None:
        return refused
    # Not refused: the user is signed in (by session or API token) with a clinical role.
    signed_in = cast(AuthenticatedRequest, request)
    try:
        encounter = encounter_for(signed_in, pk, WHOLE_RECORD)
    except Http404:
        return json_error(404, "no such encounter on your wards")
    record_read(signed_in, encounter)
    return encounter


def encounter_export(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    encounter = readable_encounter(request, pk)
    if isinstance(encounter, JsonResponse):
        return encounter
    return JsonResponse(encounter_export_data(encounter))


def encounter_fhir(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    """The same encounter as a FHIR Bundle (refusals as the JSON export's)."""
    encounter = readable_encounter(request, pk)
    if isinstance(encounter, JsonResponse):
        return encounter
    return JsonResponse(encounter_bundle(encounter), content_type=FHIR_JSON)


def openapi_document(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 document of this API, for anyone: it describes, it holds no data."""
    return wrong_method(request, "GET", "use GET") or JsonResponse(document())


def fhir_questionnaire(request: HttpRequest) -> JsonResponse:
    """The bedside assessment as a FHIR Questionnaire, for anyone: it holds no patient data."""
    refused = wrong_method(request, "GET", "use GET")
    return refused or JsonResponse(questionnaire(), content_type=FHIR_JSON)
