"""Forms of the physician's review: queue filters, sign-off, addendum, override."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from triage.actions.review import DECISIONS, override_items
from triage.actions.signing import SignatureRefused, check_signature
from triage.clinical.explain import PATHWAY_TITLES, RED_FLAG_TITLES
from triage.forms.choices import ListedModelChoiceField, SharedChoicesMetaclass
from triage.forms.rendering import RenderedOnce
from triage.models import Override, Round, Ward
from triage.moments import moment_text

if TYPE_CHECKING:  # the signing forms are used only behind the sign-in guard
    from triage.access import AuthenticatedRequest

MAX_NOTE = 4000


class QueueFilterForm(RenderedOnce, forms.Form, metaclass=SharedChoicesMetaclass):
    """The queue's filters (every field optional). Posted: the search text is kept on the
    server, never in an address (`triage.queue_search`); the other filters go into the
    address of the results."""

    SEARCH_FIELD = "q"
    STATUS_CHOICES = [("", "All"), ("unsigned", "Unsigned only"), ("signed", "Signed only")]

    q = forms.CharField(
        label="Patient identifier",
        required=False,
        max_length=32,
        help_text="The start of the identifier is enough.",
    )
    ward = ListedModelChoiceField(Ward, required=False, empty_label="All my wards")
    escalation = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("emergency", "Emergency"),
            ("urgent", "Urgent"),
            ("routine", "Routine"),
            ("not_recorded", "Unknown (signed before escalations were kept)"),
        ],
    )
    red_flag = forms.ChoiceField(
        label="Red flag",
        required=False,
        choices=[("", "Any or none"), *RED_FLAG_TITLES.items()],
    )
    pathway = forms.ChoiceField(
        required=False, choices=[("", "Any or none"), *PATHWAY_TITLES.items()]
    )
    status = forms.ChoiceField(label="Sign-off", required=False, choices=STATUS_CHOICES)
    submitted_from = forms.DateField(
        label="Submitted from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label="Submitted to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, wards: Sequence[Ward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ListedModelChoiceField, self.fields["ward"]).options = wards
        # The choices and dates apply as soon as they change; the search when it is sent.
        for name, field in self.fields.items():
            if name != self.SEARCH_FIELD:
                field.widget.attrs["class"] = "app-apply-on-change"

    # The dates an encounter can have been submitted on, with room either side.
    EARLIEST = date(2000, 1, 1)
    LATEST = date(2099, 12, 31)

    def _clean_day(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise forms.ValidationError(
                f"Enter a date between {moment_text(self.EARLIEST, 'day')} and "
                f"{moment_text(self.LATEST, 'day')}."
            )
        return day

    def clean_submitted_from(self) -> date | None:
        return self._clean_day("submitted_from")

    def clean_submitted_to(self) -> date | None:
        return self._clean_day("submitted_to")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", "Submitted to must be on or after submitted from.")
        return data

    @staticmethod
    def day_start(day: date) -> datetime:
        """Local midnight at the start of `day`, as an aware datetime."""
        return timezone.make_aware(datetime.combine(day, time.min))

    def submitted_range(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) of the submission dates asked for, whole local days inclusive."""
        start, end = self.cleaned_data.get("submitted_from"), self.cleaned_data.get("submitted_to")
        return (
            self.day_start(start) if start else None,
            self.day_start(end + timedelta(days=1)) if end else None,
        )


class SignatureForm(RenderedOnce, forms.Form, metaclass=SharedChoicesMetaclass):
    """A form signed by re-entering one's password (an electronic signature). Its choice fields
    share their declared choices across forms; unposted, its fields are drawn once for the
    same key (`RenderedOnce`, `{% form_fields %}`).

    `lock_version` is the encounter version the page showed; the template renders it from the
    encounter, so after a conflict the page carries the version it now shows.
    """

    password = forms.CharField(
        label="Your password",
        help_text="Re-enter the password you sign in with: it is your electronic signature.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to sign."},
    )
    lock_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    id_prefix = ""  # several forms share the encounter page: their ids must not clash

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        request: AuthenticatedRequest,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, auto_id=f"id_{self.id_prefix}_%s", **kwargs)
        self.request = request

    def clean_password(self) -> str:
        # Counted apart from sign-in: wrong signatures pause this user's signing only.
        try:
            check_signature(user=self.request.user, password=self.cleaned_data["password"])
        except SignatureRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return ""  # never kept


class SignOffForm(SignatureForm):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["comment", "password"]
    id_prefix = "sign"


class AddendumForm(SignatureForm):
    text = forms.CharField(
        label="Addendum",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the addendum."},
    )
    # One per rendering of the form: a double click sends it twice, and it is stored once. Not
    # in the form's key: it is drawn apart from the fields kept under that key, each time.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)
    field_order = ["text", "password"]
    id_prefix = "addendum"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4()


class OverrideForm(SignatureForm):
    """A physician's decision on one red flag or pathway of a submitted round, signed with
    their password like a sign-off: it changes what the record says about the patient."""

    item = forms.ChoiceField(
        label="Which item", error_messages={"required": "Choose the red flag or pathway."}
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=list(DECISIONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your decision."},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Required: why you decided this. It is shown beside the original.",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for your decision."},
    )
    field_order = ["item", "decision", "reason", "password"]
    id_prefix = "override"

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = override_items(round)
        kind_labels = dict(Override.Kind.choices)
        cast(forms.ChoiceField, self.fields["item"]).choices = [
            ("", "Choose…"),
            *(
                (f"{kind}:{code}", f"{kind_labels[kind]}: {item['title']} ({item['original']})")
                for (kind, code), item in self.items.items()
            ),
        ]

    def rendering_inputs(self) -> Any:
        """The round's items that may be decided on, as offered."""
        return cast(forms.ChoiceField, self.fields["item"]).choices

    def clean_item(self) -> tuple[str, str]:
        kind, _, code = self.cleaned_data["item"].partition(":")
        return kind, code
