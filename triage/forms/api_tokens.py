from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=80,
        help_text="For example “ward dashboard script”. It helps you revoke the right one later.",
        error_messages={"required": "Enter what the token is for"},
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter what the token is for")
        return name
