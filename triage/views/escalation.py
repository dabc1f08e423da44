"""The escalation record: the nurse records who she told of an emergency or urgent assessment
(on its result page, without a reload with htmx, or as a plain form post); a physician
acknowledges the escalation on the encounter page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from triage.access import (
    AuthenticatedRequest,
    clinical_required,
    role_required,
    submitted_encounter_for,
    submitted_round_for,
)
from triage.actions import escalation as actions
from triage.forms.escalation import EscalationCallForm
from triage.record import detail_url, encounter_page
from triage.result_page import result_page
from triage.roles import Role


@clinical_required
@require_POST
def record_call(request: AuthenticatedRequest, pk: uuid.UUID, number: int) -> HttpResponse:
    round = submitted_round_for(request, pk, number)
    encounter = round.encounter
    if not actions.needs_escalation_call(round):
        raise Http404("This assessment has no emergency or urgent escalation to record.")
    form = EscalationCallForm(request.POST, round=round)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_call(
                round=round,
                by=request.user,
                informed_role=data["informed_role"],
                informed_name=data["informed_name"],
                method=data["method"],
                called_at=data["called_at"],
                response=data["response"],
                response_detail=data["response_detail"],
                submission=data["submission"],
            )
        except actions.Locked as refused:
            form.add_error(None, str(refused))
        except ValueError as refused:  # the time, checked again as it is recorded
            form.add_error("called_at", str(refused))
        else:
            if request.htmx:
                return result_page(request, encounter, round, fragment=True)
            messages.success(request, "The call is recorded.")
            url = reverse("encounters:round", kwargs={"pk": encounter.pk, "number": number})
            return redirect(f"{url}#escalation-record")
    # htmx swaps only a success, so its refusal is a 200 with the errors in place.
    return result_page(
        request,
        encounter,
        round,
        escalation_form=form,
        fragment=bool(request.htmx),
        status=200 if request.htmx else 400,
    )


@role_required(Role.PHYSICIAN)
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = submitted_encounter_for(request, pk)
    version = request.POST.get("lock_version", "")
    if not version.isdecimal():
        # Only the encounter page's button sends it: say which version was read.
        messages.error(request, "The page was not sent in full: acknowledge again.")
        return encounter_page(request, encounter, status=400)
    try:
        made = actions.acknowledge(
            encounter=encounter, by=request.user, expected_version=int(version)
        )
    except (actions.Conflict, actions.Locked) as refused:
        messages.error(request, str(refused))
    else:
        if made:
            messages.success(request, "Escalation acknowledged.")
    return redirect(detail_url(encounter, anchor="escalation-record"))
