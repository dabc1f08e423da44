"""A physician's decisions on an encounter: sign-off, addenda and overrides (each with the
password as signature where it must be). A refused post shows the record again with the form's
errors and nothing typed lost."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from triage.access import (
    AuthenticatedRequest,
    role_required,
    submitted_encounter_for,
    submitted_round_for,
)
from triage.actions import review as actions
from triage.forms.review import AddendumForm, OverrideForm, SignOffForm
from triage.record import detail_url, encounter_page
from triage.roles import Role


@role_required(Role.PHYSICIAN)
@require_POST
def sign(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = submitted_encounter_for(request, pk)
    form = SignOffForm(request.POST, request=request)
    if not form.is_valid():
        return encounter_page(request, encounter, sign_form=form, status=400)
    try:
        actions.sign_off(
            encounter=encounter,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["lock_version"],
        )
    except actions.AlreadySigned as refused:
        # Their comment is not lost: it waits in the addendum box.
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        addendum = AddendumForm(request=request, initial={"text": form.cleaned_data["comment"]})
        return encounter_page(request, encounter, addendum_form=addendum, status=409)
    except (actions.Conflict, actions.NotReady) as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, sign_form=form, status=409)
    messages.success(request, "Signed off. The record is now locked; addenda can still be added.")
    return redirect(detail_url(encounter, anchor="sign-off"))


@role_required(Role.PHYSICIAN)
@require_POST
def add_addendum(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = submitted_encounter_for(request, pk)
    form = AddendumForm(request.POST, request=request)
    if not form.is_valid():
        return encounter_page(request, encounter, addendum_form=form, status=400)
    try:
        actions.add_addendum(
            encounter=encounter,
            by=request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["lock_version"],
            submission=form.cleaned_data["submission"],
        )
    except actions.Conflict as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, addendum_form=form, status=409)
    messages.success(request, "Addendum added.")
    return redirect(detail_url(encounter, anchor="addenda"))


@role_required(Role.PHYSICIAN)
@require_POST
def add_override(request: AuthenticatedRequest, pk: uuid.UUID, number: int) -> HttpResponse:
    round = submitted_round_for(request, pk, number)
    encounter = round.encounter
    form = OverrideForm(request.POST, round=round, request=request)
    status = 400
    if form.is_valid():
        kind, code = form.cleaned_data["item"]
        try:
            actions.add_override(
                round=round,
                by=request.user,
                kind=kind,
                code=code,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["lock_version"],
            )
        except (actions.Conflict, actions.Locked) as refused:
            messages.error(request, str(refused))
            encounter.refresh_from_db()
            status = 409
        else:
            messages.success(request, "Override recorded beside the original.")
            return redirect(detail_url(encounter, number, anchor="overrides"))
    return encounter_page(
        request, encounter, round_number=number, override_form=form, status=status
    )
