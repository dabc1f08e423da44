"""JSON API: the assessment contract over HTTP.

CSRF: the endpoint accepts only `application/json`, which a browser will not send to another
origin without a CORS preflight (never granted here), so a forged cross-site form cannot reach
it; the session still identifies the user.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from triage.access import CLINICAL_ROLES
from triage.clinical import FindingsError, assess, load_json, parse_findings
from triage.roles import roles_of

MAX_BODY_BYTES = 64 * 1024


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": {"(request)": [message]}}, status=status)


def refusal(request: HttpRequest, *, method: str, use: str, forbidden: str) -> JsonResponse | None:
    """The JSON API's answer to a request it will not serve (405, 401, 403), or None."""
    if request.method != method:
        response = _error(405, use)
        response["Allow"] = method
        return response
    if not request.user.is_authenticated:
        return _error(401, "sign in first, or send an API token")
    if not roles_of(request.user) & CLINICAL_ROLES:
        return _error(403, forbidden)
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
    if request.content_type != "application/json":
        return _error(415, "the body must be application/json")
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            return _error(413, f"the body must be at most {MAX_BODY_BYTES // 1024} KB")
        body = request.body
    except (RequestDataTooBig, ValueError):
        return _error(413, f"the body must be at most {MAX_BODY_BYTES // 1024} KB")
    try:
        assessment = assess(parse_findings(load_json(body)))
    except FindingsError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    return JsonResponse(assessment.to_dict())
