"""Discharge with its checklist, by a physician of the ward. A refused post shows the record
again with the form's errors and nothing typed lost."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from triage.access import AuthenticatedRequest, role_required, submitted_encounter_for
from triage.actions import discharge as actions
from triage.forms.discharge import DischargeForm
from triage.record import detail_url, encounter_page
from triage.roles import Role


@role_required(Role.PHYSICIAN)
@require_POST
def discharge(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = submitted_encounter_for(request, pk)
    form = DischargeForm(request.POST, request=request)
    if not form.is_valid():
        return encounter_page(request, encounter, discharge_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.discharge(
            encounter=encounter,
            by=request.user,
            follow_up_on=data["follow_up_on"],
            follow_up_with=data["follow_up_with"],
            educated_by=data["educated_by"],
            osteoporosis=data["osteoporosis"],
            osteoporosis_reason=data["osteoporosis_reason"],
            expected_version=data["lock_version"],
        )
    except actions.AlreadyDischarged as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, status=409)
    except (actions.Conflict, actions.NotDischargeable) as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, discharge_form=form, status=409)
    messages.success(request, "Discharged. The patient has left the ward board.")
    return redirect(detail_url(encounter, anchor="discharge"))
