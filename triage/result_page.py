"""A submitted round's result page: the result as shown at submission and, for an emergency or
urgent assessment, its escalation record (the calls recorded and the form to record one). The
wizard's result view and the escalation record's view both render it."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpResponse
from django.shortcuts import render

from triage import wizard
from triage.access import AuthenticatedRequest
from triage.actions.escalation import needs_escalation_call
from triage.escalation_record import acknowledgement_of, calls_of
from triage.forms.escalation import EscalationCallForm
from triage.guidance import entries_by_key
from triage.models import Encounter, Round
from triage.presenters import answers_summary, assessment_view, next_observations

FRAGMENT = "escalation_record"


def escalation_context(
    round: Round, *, form: EscalationCallForm | None = None, signed: bool
) -> dict[str, Any]:
    """What the escalation record part of the page shows (nothing for a routine round)."""
    if not needs_escalation_call(round):
        return {"needs_escalation_call": False}
    return {
        "needs_escalation_call": True,
        "escalation_calls": calls_of(round),
        "escalation_acknowledgement": acknowledgement_of(round),
        # Once signed off, nothing can be added to the record but addenda.
        "escalation_form": None if signed else form or EscalationCallForm(round=round),
    }


def result_page(
    request: AuthenticatedRequest,
    encounter: Encounter,
    round: Round,
    *,
    escalation_form: EscalationCallForm | None = None,
    fragment: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The result page of a submitted round (or, with `fragment`, its escalation record)."""
    signed = hasattr(encounter, "sign_off")
    context: dict[str, Any] = {
        "encounter": encounter,
        "round": round,
        **escalation_context(round, form=escalation_form, signed=signed),
    }
    template = wizard.RESULT.template
    if fragment:
        return render(request, f"{template}#{FRAGMENT}", context, status=status)
    context |= {
        "step": wizard.RESULT,
        # Submitted: its assessment is stored.
        "result": assessment_view(
            cast("dict[str, Any]", round.assessment), entries_by_key(round.guidance_version)
        ),
        "guidance_version": round.guidance_version,
        "summary": answers_summary(encounter, round, round.findings),
        # Only the latest round sets when the next observations are due, until discharge.
        "obs_due": next_observations(encounter, round)
        if round.submitted_at == encounter.last_submitted_at
        and getattr(encounter, "discharge", None) is None
        else None,
    }
    return render(request, template, context, status=status)
