"""The second factor's forms: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms

from triage.two_factor import normalised


def code_field(label: str, help_text: str, max_length: int, **attrs: str) -> forms.CharField:
    """A one-line code box whose label is also its 'required' message."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": label},
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "app-code-input", **attrs}),
    )


class AppCodeForm(forms.Form):
    code = code_field(
        "Enter the 6-digit code from your authenticator app",
        "The app shows a new code every 30 seconds. Spaces do not matter.",
        12,
        autocomplete="one-time-code",
        inputmode="numeric",
    )

    def clean_code(self) -> str:
        code = normalised(self.cleaned_data["code"])
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("Enter the 6 digits the app shows, like 123 456")
        return code


class RecoveryCodeForm(forms.Form):
    code = code_field(
        "Enter one of your recovery codes",
        "Each recovery code works once. Capitals, spaces and dashes do not matter.",
        24,
        autocomplete="off",
        autocapitalize="none",
    )
