"""The second factor's forms: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms

from triage.two_factor import normalised


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        help_text="The app shows a new code every 30 seconds. Spaces do not matter.",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "app-code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalised(self.cleaned_data["code"])
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("Enter the 6 digits the app shows, like 123 456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Enter one of your recovery codes",
        help_text="Each recovery code works once. Capitals, spaces and dashes do not matter.",
        max_length=24,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "app-code-input",
            }
        ),
    )
