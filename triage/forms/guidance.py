"""Forms of guidance administration: one entry of a draft, and the publish step."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.datastructures import MultiValueDict

from triage.guidance import SOURCE_NUMBERS, entry_token
from triage.models import GuidanceEntry


def _one_newline_style(text: str) -> str:
    """Browsers post textareas with CRLF line ends; stored text uses LF, so an untouched
    field compares equal to what was published and shows no change in the diff."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class EntryForm(forms.Form):
    title = forms.CharField(max_length=120, error_messages={"required": "Enter a title"})
    body = forms.CharField(
        label="Guidance text",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, a line starting “- ” for a list, "
        "[link text](https://…). Other HTML is removed.",
        error_messages={"required": "Enter the guidance text"},
    )
    actions = forms.CharField(
        label="Recommended actions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One action per line.",
    )
    citations = forms.TypedMultipleChoiceField(
        label="Sources",
        required=False,
        coerce=int,
        choices=[(n, f"[{n}]") for n in SOURCE_NUMBERS],
        widget=forms.CheckboxSelectMultiple,
        help_text="The numbered sources of the clinical source document that support this text.",
    )
    # The entry's text as this editor last loaded or saved it (`entry_token`): a save over a
    # change made since by someone else is refused rather than silently overwriting it.
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns
        # "Save my text over theirs" after a conflict names the text it replaces.
        if self.data.get("overwrite"):
            cleaned["base"] = self.data["overwrite"]
        if not cleaned.get("base"):
            # A page from before this field existed; an error on a hidden field has no place
            # to be shown, so it is the form's.
            raise forms.ValidationError("This page is out of date: reload it to edit the entry")
        return cleaned

    def clean_body(self) -> str:
        return _one_newline_style(self.cleaned_data["body"])

    def clean_actions(self) -> str:
        return _one_newline_style(self.cleaned_data["actions"])

    @classmethod
    def for_entry(cls, entry: GuidanceEntry, data=None) -> EntryForm:
        initial = {
            "title": entry.title,
            "body": entry.body,
            "actions": entry.actions,
            "citations": list(entry.citations),
            "base": entry_token(entry),
        }
        return cls(data, initial=initial)

    def unsaved_entry(self, entry: GuidanceEntry) -> GuidanceEntry:
        """The entry as typed so far (valid or not), for the live preview; never saved."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        # As posted: a bound form's data is the request's QueryDict (an unbound form's an empty
        # MultiValueDict).
        posted = cast("MultiValueDict[str, str]", self.data)
        citations = data.get("citations")
        if citations is None:
            offered = {str(n) for n in SOURCE_NUMBERS}  # never int() of whatever was posted
            citations = [int(n) for n in posted.getlist("citations") if n in offered]
        return GuidanceEntry(
            version=entry.version,
            key=entry.key,
            title=data.get("title", posted.get("title", "")).strip(),
            body=data.get("body", _one_newline_style(posted.get("body", ""))),
            actions=data.get("actions", _one_newline_style(posted.get("actions", ""))),
            citations=sorted(set(citations)),
        )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the changes",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why the guidance changed and what changed, for the version history.",
        error_messages={"required": "Enter a summary of the changes"},
    )
