"""The encounter record as one page: every round with its result as shown, the answers, the
trend, sign-off, addenda, overrides and who did what. The record, sign-off, addendum and override
views all render it (the review forms again, with their errors, after a refused post)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.http import HttpResponse
from django.shortcuts import render

from triage.access import AuthenticatedRequest, EncounterRead, record_read
from triage.actions import review as actions
from triage.actions.discharge import refusal as discharge_refusal
from triage.actions.escalation import needs_escalation_call
from triage.addresses import address
from triage.escalation_record import acknowledgement_of, acknowledger_name, calls_of
from triage.forms.discharge import DischargeForm
from triage.forms.review import AddendumForm, OverrideForm, SignOffForm
from triage.guidance import entries_by_key
from triage.models import (
    Encounter,
    EscalationAcknowledgement,
    EscalationCall,
    Round,
    SignOff,
)
from triage.obs_chart import observation_chart
from triage.presenters import answers_summary, assessment_view, next_observations, trend
from triage.record_parts import rounds_with_overrides, sign_off_and_addenda, with_record_parts
from triage.roles import Role, has_role

# The whole record in one query, as its page and its JSON export read it.
WHOLE_RECORD = EncounterRead(with_record_parts)

TEMPLATE = "encounters/detail.html"


@dataclass
class RoundView:
    round: Round
    result: dict[str, Any] | None
    overrides: list[dict[str, Any]] = field(default_factory=list)
    # Its escalation record (an emergency or urgent round): the calls, the acknowledgement.
    needs_call: bool = False
    calls: list[EscalationCall] = field(default_factory=list)
    acknowledgement: EscalationAcknowledgement | None = None

    @property
    def title(self) -> str:
        return "First assessment" if self.round.number == 1 else f"Reassessment {self.round.number}"


def _round_views(encounter: Encounter) -> list[RoundView]:
    views = []
    for round, overrides in rounds_with_overrides(encounter):
        view = RoundView(
            round,
            assessment_view(round.assessment) if round.assessment else None,
            needs_call=needs_escalation_call(round),
            calls=calls_of(round),
            acknowledgement=acknowledgement_of(round),
        )
        if round.assessment:
            items = actions.override_items(round)
            view.overrides = [
                {
                    "override": override,
                    "title": items.get((override.kind, override.code), {}).get(
                        "title", override.code
                    ),
                    "decision": actions.DECISIONS.get(override.decision, override.decision),
                }
                for override in overrides
            ]
        views.append(view)
    return views


def _activity(
    encounter: Encounter, rounds: list[RoundView], sign_off: SignOff | None, addenda: list
) -> list[tuple[datetime, str, str]]:
    """Who did what when, from the records on the page (the audit trail has every change)."""
    events = [(encounter.created_at, encounter.created_by.get_username(), "started the encounter")]
    for view in rounds:
        round = view.round
        if round.submitted_at and round.submitted_by:  # both, or neither (a draft)
            events.append(
                (
                    round.submitted_at,
                    round.submitted_by.get_username(),
                    f"submitted the {view.title.lower()}",
                )
            )
        events += [
            (
                call.recorded_at,
                call.recorded_by.get_username(),
                f"recorded a call to {call.get_informed_role_display().lower()} "
                f"{call.informed_name} about the {view.title.lower()}",
            )
            for call in view.calls
        ]
        if view.acknowledgement:
            events.append(
                (
                    view.acknowledgement.acknowledged_at,
                    view.acknowledgement.by.get_username(),
                    f"acknowledged the escalation of the {view.title.lower()}",
                )
            )
        for item in view.overrides:
            override = item["override"]
            events.append(
                (
                    override.created_at,
                    override.by.get_username(),
                    f"overrode {item['title']} in {view.title.lower()}: {item['decision']}",
                )
            )
    events += [
        (addendum.created_at, addendum.author.get_username(), "added an addendum")
        for addendum in addenda
    ]
    if sign_off:
        events.append((sign_off.signed_at, sign_off.signed_by.get_username(), "signed it off"))
    return sorted(events, key=lambda event: event[0])


def _escalation_record(rounds: list[RoundView], may_acknowledge: bool) -> dict[str, Any]:
    """The encounter page's escalation record: the emergency or urgent rounds with their calls
    and acknowledgements, who last acknowledged, and whether this physician can acknowledge."""
    escalated = [view for view in rounds if view.needs_call]
    acknowledgements = [view.acknowledgement for view in escalated if view.acknowledgement]
    latest = max(acknowledgements, key=lambda a: a.acknowledged_at, default=None)
    return {
        "escalated_rounds": escalated,
        "escalation_acknowledged_by": acknowledger_name(latest.by) if latest else None,
        "can_acknowledge": may_acknowledge and any(not v.acknowledgement for v in escalated),
    }


def encounter_page(
    request: AuthenticatedRequest,
    encounter: Encounter,
    *,
    round_number: int | None = None,
    sign_form: SignOffForm | None = None,
    addendum_form: AddendumForm | None = None,
    override_form: OverrideForm | None = None,
    discharge_form: DischargeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The encounter's whole record; physicians also get the review forms. Every rendering
    for a physician is logged as a view of the record. Under htmx (a round chosen), only the
    round panel, worked out without what only the rest of the page shows."""
    rounds = _round_views(encounter)
    submitted = [view for view in rounds if view.result is not None]
    selected = next((v for v in submitted if v.round.number == round_number), submitted[-1])
    sign_off, addenda = sign_off_and_addenda(encounter)
    is_physician = has_role(request.user, Role.PHYSICIAN)
    ready = rounds[-1].round.status == Round.Status.SUBMITTED
    context: dict[str, Any] = {
        "encounter": encounter,
        "rounds": rounds,
        "selected": selected,
        # As the result page showed it, with the guidance text of the round's version.
        "snapshot": assessment_view(
            cast("dict[str, Any]", selected.round.assessment),  # submitted: it is stored
            entries_by_key(selected.round.guidance_version),
        ),
        "summary": answers_summary(encounter, selected.round, selected.round.findings),
        "sign_off": sign_off,
        "is_physician": is_physician,
        "ready_to_sign": ready,
        "has_draft_round": not ready,
    }
    record_read(request, encounter)
    if is_physician and sign_off is None:
        context["override_form"] = override_form or OverrideForm(
            round=selected.round, request=request
        )
    if request.htmx and not request.htmx.boosted:
        return render(request, TEMPLATE + "#round_panel", context, status=status)
    discharge = getattr(encounter, "discharge", None)  # none is an AttributeError
    overrides = [item["override"] for view in rounds for item in view.overrides]
    context |= {
        "trend": trend([view.round for view in rounds]),
        # From the latest submitted round, whatever round is shown below.
        "obs_due": next_observations(encounter, submitted[-1].round),
        "chart": observation_chart([view.round for view in rounds]),
        "addenda": addenda,
        "activity": _activity(encounter, rounds, sign_off, addenda),
        "discharge": discharge,
        "discharge_refusal": ""
        if discharge
        else discharge_refusal([view.round for view in rounds], overrides),
        **_escalation_record(rounds, is_physician and sign_off is None),
    }
    if is_physician:
        context["addendum_form"] = addendum_form or AddendumForm(request=request)
        if sign_off is None and ready:
            context["sign_form"] = sign_form or SignOffForm(request=request)
        if discharge is None and (discharge_form or not context["discharge_refusal"]):
            # Refused, the form comes back with what was typed, under the reason why.
            context["discharge_form"] = discharge_form or DischargeForm(request=request)
    context["error_forms"] = [
        form
        for form in (sign_form, addendum_form, override_form, discharge_form)
        if form and form.errors
    ]
    return render(request, TEMPLATE, context, status=status)


def detail_url(encounter: Encounter, round_number: int | None = None, anchor: str = "") -> str:
    url = address("encounters:detail", pk=encounter.pk)
    return (
        url + (f"?round={round_number}" if round_number else "") + (f"#{anchor}" if anchor else "")
    )
