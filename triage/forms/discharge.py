"""The discharge checklist: every item confirmed, follow-up and education named, osteoporosis
treatment started or referred (or why not), signed with the physician's password."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from triage.forms.review import MAX_NOTE, SignatureForm
from triage.models import Discharge

NAME = 120


def _confirm(label: str, missing: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": missing})


class DischargeForm(SignatureForm):
    mobilised = _confirm(
        "Supervised mobilisation done",
        "Confirm supervised mobilisation before discharge.",
    )
    pain_controlled = _confirm(
        "Pain controlled on the discharge analgesia",
        "Confirm that the pain is controlled on the analgesia the patient goes home with.",
    )
    follow_up_on = forms.DateField(
        label="Follow-up booked for",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date of the booked follow-up."},
    )
    follow_up_with = forms.CharField(
        label="Follow-up with",
        help_text="The clinic or clinician, e.g. spinal clinic, Dr Patel.",
        max_length=NAME,
        error_messages={"required": "Say who the follow-up is with."},
    )
    educated = _confirm(
        "Patient told to report sudden or new back pain at once",
        "Confirm the patient has been told to report sudden or new back pain at once.",
    )
    educated_by = forms.CharField(
        label="Told by",
        max_length=NAME,
        error_messages={"required": "Say who told the patient."},
    )
    osteoporosis = forms.ChoiceField(
        label="Osteoporosis treatment",
        choices=Discharge.Osteoporosis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the osteoporosis treatment, or say why none."},
    )
    osteoporosis_reason = forms.CharField(
        label="Why not, if none was started or referred",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = [
        "mobilised",
        "pain_controlled",
        "follow_up_on",
        "follow_up_with",
        "educated",
        "educated_by",
        "osteoporosis",
        "osteoporosis_reason",
        "password",
    ]
    id_prefix = "discharge"

    def clean_follow_up_on(self) -> date:
        day: date = self.cleaned_data["follow_up_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("The follow-up must be today or later.")
        if day > today + timedelta(days=366):
            raise forms.ValidationError("The follow-up must be within a year.")
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("osteoporosis") == Discharge.Osteoporosis.NOT_STARTED
            and not (data.get("osteoporosis_reason") or "").strip()
        ):
            self.add_error(
                "osteoporosis_reason",
                "Say why osteoporosis treatment is neither started nor referred.",
            )
        return data
