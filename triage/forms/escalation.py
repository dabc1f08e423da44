"""The escalation record's form: who the nurse told, how, when, and what they said."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from triage.actions.escalation import call_time_problem
from triage.models import EscalationCall, Round

MAX_DETAIL = 2000
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class EscalationCallForm(forms.Form):
    informed_role = forms.ChoiceField(
        label="Who did you tell?",
        choices=[("", "Choose…"), *EscalationCall.InformedRole.choices],
        error_messages={"required": "Choose who you told."},
    )
    informed_name = forms.CharField(
        label="Their name",
        max_length=100,
        error_messages={"required": "Write the name of the person you told."},
    )
    method = forms.ChoiceField(
        label="How did you tell them?",
        choices=EscalationCall.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you told them."},
    )
    called_at = forms.DateTimeField(
        label="When",
        help_text="The date and time you told them.",
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
        error_messages={
            "required": "Enter the date and time you told them.",
            "invalid": "Enter the date and time you told them, for example 6 Dec 2026 14:05.",
        },
    )
    response = forms.ChoiceField(
        label="What did they say?",
        choices=EscalationCall.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they said."},
    )
    response_detail = forms.CharField(
        label="Their advice or the plan",
        help_text="Needed when they gave advice or you agreed a plan.",
        required=False,
        max_length=MAX_DETAIL,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # One per rendering of the form: a double tap sends it twice, and it is recorded once.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_call_%s")  # beside the other forms of the record
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["submission"].initial = uuid.uuid4()
        self.fields["called_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_informed_name(self) -> str:
        name: str = self.cleaned_data["informed_name"].strip()
        if not name:
            raise forms.ValidationError("Write the name of the person you told.")
        return name

    def clean_called_at(self) -> datetime:
        called_at: datetime = self.cleaned_data["called_at"]
        problem = call_time_problem(called_at, self.round, timezone.now())
        if problem:
            raise forms.ValidationError(problem)
        return called_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        detail = data.get("response_detail", "").strip()
        data["response_detail"] = detail
        if data.get("response") in ("advice", "plan") and not detail:
            what = "advice they gave" if data["response"] == "advice" else "plan you agreed"
            self.add_error("response_detail", f"Write the {what}.")
        return data
