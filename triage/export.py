"""One encounter as JSON: what was recorded, what was shown, what nurses and physicians did
(escalation calls, acknowledgements, sign-off, addenda, overrides) and the discharge (the API's
export; its version is `EXPORT_VERSION`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from triage.escalation_record import acknowledgement_of, calls_of
from triage.models import Discharge, Encounter, EscalationCall, Override, Round, User
from triage.record_parts import rounds_with_overrides, sign_off_and_addenda

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


def _call(call: EscalationCall) -> dict[str, Any]:
    return {
        "informed_role": call.informed_role,
        "informed_name": call.informed_name,
        "method": call.method,
        "called_at": _at(call.called_at),
        "response": call.response,
        "response_detail": call.response_detail,
        "recorded_by": _user(call.recorded_by),
        "recorded_at": _at(call.recorded_at),
    }


def _discharge(discharge: Discharge | None) -> dict[str, Any] | None:
    if discharge is None:
        return None
    return {
        "discharged_by": _user(discharge.discharged_by),
        "discharged_at": _at(discharge.discharged_at),
        "mobilised": discharge.mobilised,
        "pain_controlled": discharge.pain_controlled,
        "follow_up_on": discharge.follow_up_on.isoformat(),
        "follow_up_with": discharge.follow_up_with,
        "educated_by": discharge.educated_by,
        "osteoporosis": discharge.osteoporosis,
        "osteoporosis_reason": discharge.osteoporosis_reason,
    }


def _round(round: Round, overrides: list[Override]) -> dict[str, Any]:
    acknowledgement = acknowledgement_of(round)
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
        "overrides": [_override(override) for override in overrides],
        # The escalation record of an emergency or urgent round: who was called, and whether
        # a physician acknowledged it.
        "escalation_calls": [_call(call) for call in calls_of(round)],
        "escalation_acknowledgement": acknowledgement
        and {"by": _user(acknowledgement.by), "at": _at(acknowledgement.acknowledged_at)},
    }


def encounter_export_data(encounter: Encounter) -> dict[str, Any]:
    """The export; `encounter` best read `with_record_parts` (fewer queries)."""
    sign_off, addenda = sign_off_and_addenda(encounter)
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
        # "missing", "recorded" or "acknowledged" once a round needed a call; null before.
        "escalation_call": encounter.escalation_call or None,
        "sign_off": sign_off
        and {
            "signed_by": _user(sign_off.signed_by),
            "signed_at": _at(sign_off.signed_at),
            "comment": sign_off.comment,
        },
        "addenda": [
            {"id": a.pk, "author": _user(a.author), "at": _at(a.created_at), "text": a.text}
            for a in addenda
        ],
        "rounds": [
            _round(round, overrides) for round, overrides in rounds_with_overrides(encounter)
        ],
        "discharge": _discharge(getattr(encounter, "discharge", None)),
    }
