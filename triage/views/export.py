"""JSON export of one encounter: what was recorded, what was shown, and what physicians did.

Same access as the encounter page: clinical staff of the encounter's ward. Errors are JSON too
(401 signed out, 403 no clinical role, 404 not on the user's wards, 405 not GET), in the
shape of the assessment API's errors.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, JsonResponse

from triage.access import encounter_for
from triage.actions.review import record_view
from triage.models import Encounter, Override, Round, SignOff, User
from triage.roles import Role, roles_of
from triage.views.api import _error, refusal

EXPORT_VERSION = "v1"


def _user(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _override(override: Override) -> dict[str, Any]:
    return {
        "id": override.pk,
        "kind": override.kind,
        "code": override.code,
        "original": override.original,
        "decision": override.decision,
        "reason": override.reason,
        "by": _user(override.by),
        "at": _at(override.created_at),
    }


def _round(round: Round) -> dict[str, Any]:
    return {
        "number": round.number,
        "status": round.status,
        "created_by": _user(round.created_by),
        "submitted_by": _user(round.submitted_by),
        "submitted_at": _at(round.submitted_at),
        "guidance_version": round.guidance_version.number if round.guidance_version else None,
        # The rules (assessment contract) the snapshot was made under; null for a draft.
        "rules_version": round.rules_version,
        "findings": round.findings,
        "assessment": round.assessment,
        "overrides": [_override(override) for override in round.overrides.all()],
    }


def encounter_export_data(encounter: Encounter) -> dict[str, Any]:
    rounds = encounter.rounds.select_related(
        "created_by", "submitted_by", "guidance_version"
    ).prefetch_related(Prefetch("overrides", queryset=Override.objects.select_related("by")))
    sign_off = SignOff.objects.select_related("signed_by").filter(encounter=encounter).first()
    return {
        "export": EXPORT_VERSION,
        "id": str(encounter.pk),
        "ward": {"id": encounter.ward_id, "name": encounter.ward.name},
        "patient_identifier": encounter.patient_identifier,
        "procedure_at": _at(encounter.procedure_at),
        "levels": encounter.levels,
        "created_by": _user(encounter.created_by),
        "created_at": _at(encounter.created_at),
        "submitted_at": _at(encounter.submitted_at),
        "sign_off": sign_off
        and {
            "signed_by": _user(sign_off.signed_by),
            "signed_at": _at(sign_off.signed_at),
            "comment": sign_off.comment,
        },
        "addenda": [
            {"id": a.pk, "author": _user(a.author), "at": _at(a.created_at), "text": a.text}
            for a in encounter.addenda.select_related("author")
        ],
        "rounds": [_round(round) for round in rounds.order_by("number")],
    }


def encounter_export(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    refused = refusal(
        request,
        method="GET",
        use="use GET",
        forbidden="only nurses and physicians may read patient records",
    )
    if refused is not None:
        return refused
    try:
        encounter = encounter_for(request, pk)
    except Http404:
        return _error(404, "no such encounter on your wards")
    if Role.PHYSICIAN in roles_of(request.user):
        record_view(encounter=encounter, by=request.user, path=request.get_full_path())
    return JsonResponse(encounter_export_data(encounter))
