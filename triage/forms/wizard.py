"""The bedside wizard's step forms.

Each form collects what a nurse can observe; it stores its cleaned answers as JSON on the
round. Range and consistency checks are the clinical engine's (one source of truth): a form
builds its contract section and lets `triage.clinical.parse_findings` judge it, then shows each
problem on the field it names.

A follow-up question (the reason for oxygen, the side of radicular pain, the scan's details)
applies only after a certain answer to another question. Its inputs carry that condition as
data attributes, so `static/js/reveal.js` can hide (and empty) it while it does not apply;
without JavaScript every question is shown and the form drops the answers that do not apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from triage.clinical import FindingsError, parse_findings
from triage.clinical.findings import LEVELS, needs_upper_limb
from triage.findings_builder import (
    ARM_MYOTOMES,
    MAX_HOURS_SINCE,
    MYOTOMES,
    SIDES,
    section_from_answers,
)
from triage.forms.choices import (
    ListedModelChoiceField,
    SharedChoicesMetaclass,
    SharedChoicesModelFormMetaclass,
    own_copy,
)
from triage.forms.rendering import RenderedOnce
from triage.models import Encounter, Ward

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(label: str, help_text: str = "", required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        required=required,
        error_messages={"required": f"Answer: {label.rstrip('?').lower()}?"},
    )


def summarised_as(field: forms.Field, label: str) -> forms.Field:
    """The words for `field` in an answers summary, where its question reads badly as a row."""
    field.summary_label = label  # type: ignore[attr-defined]
    return field


def follow_up(field: forms.Field, *, of: str, values: tuple[str, ...]) -> forms.Field:
    """Mark `field` as asked only when the question `of` has one of `values` (for reveal.js)."""
    field.widget.attrs.update({"data-reveal-when": of, "data-reveal-values": " ".join(values)})
    return field


def number_input(*, decimal: bool = False, **attrs: Any) -> forms.NumberInput:
    """A number box that brings up the numeric keypad on a tablet."""
    return forms.NumberInput(
        attrs={"inputmode": "decimal" if decimal else "numeric", "class": "app-number", **attrs}
    )


class DecimalCommaField(forms.FloatField):
    """A decimal number that may be written with a comma, as on many European keyboards
    ("37,5" is 37.5, never 375). Typed as text: a number box would drop the comma."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "app-number"})

    # FloatField answers floats; its stubs type it after IntegerField, which it subclasses.
    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def nhs_number(text: str) -> str | None:
    """The 10-digit NHS number written in `text` (spaces or dashes allowed), or None when
    `text` is not 10 digits. Raises ValueError when its check digit (modulus 11) is wrong.

    >>> nhs_number("943 476 5919"), nhs_number("943-476-5919"), nhs_number("RX1234")
    ('9434765919', '9434765919', None)
    >>> nhs_number("943 476 5918")
    Traceback (most recent call last):
    ValueError: check digit
    """
    digits = "".join(ch for ch in text if ch not in " -")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return None
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    if check == 10 or check != int(digits[9]):
        raise ValueError("check digit")
    return digits


# The engine's messages name contract codes (they serve the API); the wizard says them in words.
ENGINE_MESSAGES = {
    ("imaging.modality", 'required when status is "done"'): (
        "Choose the type of scan: it is needed when imaging is done."
    ),
    ("imaging.findings", 'required when status is "done" (use ["no_leak"] for a normal scan)'): (
        "Tick what the scan showed, or “No cement leak or other abnormality” for a normal scan."
    ),
    ("imaging.findings", 'not allowed unless status is "done"'): (
        "Findings can be recorded only for a scan that is done."
    ),
    ("imaging.after_current_symptoms", 'not allowed unless status is "done"'): (
        "Say when the scan was done only for a scan that is done."
    ),
    ("imaging.findings", '"no_leak" cannot be combined with other findings'): (
        "“No cement leak or other abnormality” cannot be ticked with another finding."
    ),
}


class StepForm(RenderedOnce, forms.Form, metaclass=SharedChoicesMetaclass):
    """A step whose answers form one section of the contract's findings. Its choice fields
    share their declared choices across forms (`SharedChoicesMetaclass`); unposted, its
    fields are drawn once for the same answers (`RenderedOnce`, `step.html`)."""

    section: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @classmethod
    def initial_from(cls, answers: dict | None) -> dict:
        """Stored answers back into form values (booleans become the yes/no radios)."""
        initial: dict = {}
        for name, value in (answers or {}).items():
            if isinstance(value, bool):
                initial[name] = "yes" if value else "no"
            elif isinstance(value, int | float) and not isinstance(value, bool):
                initial[name] = str(value)
            else:
                initial[name] = value
        return initial

    def answers(self) -> dict:
        """The answers to store: cleaned data without empty optional values."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    def partial_answers(self) -> dict:
        """The fields that are valid so far, for live red-flag banners while typing."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    def clean(self) -> dict[str, Any]:
        """The engine checks what is valid so far in the same pass, so every problem (a value
        out of range beside a missing answer) is reported at once, in words."""
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns
        try:
            # cleaned_data holds only the fields that passed their own checks.
            parse_findings({self.section: section_from_answers(self.section, self.answers())})
        except FindingsError as error:
            for path, messages in error.errors.items():
                field = self.field_for_path(path)
                if field in self.errors:
                    continue  # its own message already says what is wrong
                for message in messages:
                    label = self.fields[field].label if field else self.section.capitalize()
                    self.add_error(
                        field, ENGINE_MESSAGES.get((path, message), f"{label} {message}")
                    )
        return cleaned

    def field_for_path(self, path: str) -> str | None:
        name = path.split(".", 1)[-1].split("[", 1)[0]
        return name if name in self.fields else None


HOSPITAL_NUMBER = re.compile(r"[A-Za-z0-9-]{3,32}")


class PatientForm(RenderedOnce, forms.ModelForm, metaclass=SharedChoicesModelFormMetaclass):
    """Who the patient is and what was done: the encounter's own fields. Its treated levels
    share their choices across forms (`SharedChoicesModelFormMetaclass`); unposted, its fields
    are drawn once for the same values (`RenderedOnce`, `patient.html`)."""

    patient_identifier = forms.CharField(
        label="Patient identifier",
        help_text="Hospital number or NHS number, as on the wristband.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    ward = ListedModelChoiceField(
        Ward,
        label="Ward",
        empty_label="Choose the ward",
        error_messages={"required": "Choose the ward the patient is on."},
    )
    procedure_at = forms.DateTimeField(
        label="Date and time of the vertebroplasty",
        help_text="From the procedure record. Used to work out the hours since the procedure.",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter the date and time as day, month, year, hours, minutes."},
    )
    levels = forms.MultipleChoiceField(
        label="Treated vertebral levels",
        choices=[(level, level) for level in LEVELS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "app-levels"}),
        error_messages={"required": "Select at least one treated level."},
    )

    class Meta:
        model = Encounter
        fields = ["patient_identifier", "ward", "procedure_at", "levels"]

    def __init__(self, *args: Any, wards: Sequence[Ward] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ListedModelChoiceField, self.fields["ward"]).options = wards
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def rendering_inputs(self) -> Any:
        """The value each field shows (a time as shown in the current time zone: the instance's
        own is in UTC)."""
        return {name: self[name].value() for name in self.fields}

    def clean_patient_identifier(self) -> str:
        """A 10-digit NHS number (spaces or dashes allowed) is stored as its 10 digits once
        its check digit is right; any other hospital number is kept as written."""
        value = self.cleaned_data["patient_identifier"].strip()
        try:
            digits = nhs_number(value)
        except ValueError:
            raise forms.ValidationError(
                "This NHS number is not right: its last digit does not match the others. "
                "Check it against the wristband."
            ) from None
        if digits:
            return digits
        if not HOSPITAL_NUMBER.fullmatch(value):
            raise forms.ValidationError(
                "Enter the hospital number (3 to 32 letters, digits or hyphens) or the "
                "10-digit NHS number, as on the wristband."
            )
        return value

    def clean_procedure_at(self):
        value = self.cleaned_data["procedure_at"]
        now = timezone.now()
        if value > now + timedelta(minutes=5):
            raise forms.ValidationError("The procedure time cannot be in the future.")
        if value < now - timedelta(hours=MAX_HOURS_SINCE):
            raise forms.ValidationError("The procedure must be within the last year.")
        return value


ADEQUATE_TRIAL = (
    "An adequate trial means regular simple analgesia plus an opioid, at suitable doses, given "
    "long enough to work (local policy; usually several hours), without acceptable relief."
)


class SymptomsForm(StepForm):
    section = "symptoms"

    pain_score = forms.TypedChoiceField(
        label="Pain score now (0 = no pain, 10 = worst imaginable)",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "app-pain-scale"}),
        error_messages={"required": "Choose the pain score from 0 to 10."},
    )
    pain_course = forms.ChoiceField(
        label="Course of the pain since the procedure",
        choices=[
            ("improving", "Improving"),
            ("unchanged", "Unchanged"),
            ("worse_since_procedure", "Worse since the procedure"),
            ("sudden_increase_after_improvement", "Sudden increase after it had improved"),
            ("new_back_pain", "New back pain at another level of the spine"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the pain has changed."},
    )
    radicular_pain = yes_no_field(
        "New or worse radicular pain?",
        "Pain shooting along a nerve into a leg, an arm or around the chest.",
    )
    radicular_side = follow_up(
        forms.ChoiceField(
            label="Which side is the radicular pain?",
            choices=[("left", "Left"), ("right", "Right"), ("both", "Both")],
            widget=forms.RadioSelect,
            required=False,
        ),
        of="radicular_pain",
        values=("yes",),
    )
    chest_pain = yes_no_field("New chest pain?")
    dyspnoea = yes_no_field("New or worse shortness of breath?")
    uncontrolled_despite_analgesia = yes_no_field(
        "Pain uncontrolled despite an adequate analgesic trial?", ADEQUATE_TRIAL
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("radicular_pain") is True and not cleaned.get("radicular_side"):
            self.add_error("radicular_side", "Choose which side the radicular pain is on.")
        if cleaned.get("radicular_pain") is False:
            cleaned["radicular_side"] = ""
        return cleaned


MRC_CHOICES = [  # short enough to read in a phone's select; the page's key gives each in full
    ("5", "5 – normal"),
    ("4", "4 – some resistance"),
    ("3", "3 – against gravity"),
    ("2", "2 – gravity removed"),
    ("1", "1 – flicker"),
    ("0", "0 – none"),
]
BASELINE_UNKNOWN = ("unknown", "Not recorded")
SENSATION_CHOICES = [("normal", "Normal"), ("reduced", "Reduced"), ("absent", "Absent")]


BOWEL_BLADDER_CHOICES = [
    ("normal", "Normal"),
    (
        "stable_dysfunction",
        "Problem present before the procedure and unchanged (including a long-term catheter)",
    ),
    ("new_dysfunction", "New retention, incontinence or loss of control"),
    ("worsening_dysfunction", "Problem present before, now worse"),
    ("new_catheter", "Catheter put in since the procedure (cannot be assessed)"),
]
# The first wizard's answer for a known, unchanged problem, still held by old drafts (looked
# up with any stored answer; the others are kept as they are).
LEGACY_BOWEL_BLADDER: dict[object, str] = {"pre_existing_unchanged": "stable_dysfunction"}


def _before_and_now(
    name: str, label: str, choices: list[tuple[str, str]], required: tuple[str, str]
) -> dict[str, forms.ChoiceField]:
    """One finding asked twice: before the procedure (which may not have been recorded) and
    now; `required` says what to choose for each when it is missing."""
    return {
        f"{name}_baseline": forms.ChoiceField(
            label=f"{label} before the procedure",
            choices=[("", "Choose"), BASELINE_UNKNOWN, *choices],
            error_messages={"required": required[0]},
        ),
        name: forms.ChoiceField(
            label=f"{label} now",
            choices=[("", "Choose"), *choices],
            error_messages={"required": required[1]},
        ),
    }


def _power_fields(myotome: str, movement: str, side: str) -> dict[str, forms.ChoiceField]:
    where = f"{side.capitalize()} {myotome} ({movement})"
    return _before_and_now(
        f"power_{myotome}_{side}",
        f"{where}: power",
        MRC_CHOICES,
        (f"Choose the baseline power for {where}.", f"Choose the power now for {where}."),
    )


def _sensation_fields(prefix: str, limb: str, side: str) -> dict[str, forms.ChoiceField]:
    return _before_and_now(
        f"{prefix}_{side}",
        f"{side.capitalize()} {limb} sensation",
        SENSATION_CHOICES,
        (
            f"Choose the {side} {limb}'s baseline sensation.",
            f"Choose the {side} {limb}'s sensation now.",
        ),
    )


@cache
def _exam_tables(asks_arms: bool) -> dict[str, forms.ChoiceField]:
    """The neuro exam's power and sensation fields, as laid out: the legs, then the arms when
    asked about. Made once per process for each; each form gets its own copies (`own_copy`)."""
    regions: list[tuple[tuple[tuple[str, str], ...], str, str]] = [(MYOTOMES, "sensation", "leg")]
    if asks_arms:
        regions.append((ARM_MYOTOMES, "arm_sensation", "arm"))
    fields: dict[str, forms.ChoiceField] = {}
    for myotomes, sensation, limb in regions:
        for myotome, movement in myotomes:
            for side in SIDES:
                fields.update(_power_fields(myotome, movement, side))
        for side in SIDES:
            fields.update(_sensation_fields(sensation, limb, side))
    return fields


class NeuroForm(StepForm):
    """Power per myotome and sensation, each beside its pre-procedure baseline: the legs always,
    the arms too when a treated level (or unknown levels) can affect them."""

    section = "neuro"

    saddle_anaesthesia = forms.ChoiceField(
        label="Saddle anaesthesia (numbness around the buttocks, perineum, inner thighs)",
        choices=[
            ("no", "No"),
            ("new", "Yes – new since the procedure"),
            ("pre_existing_unchanged", "Yes – present before and unchanged"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Answer whether there is saddle anaesthesia."},
    )
    bowel_bladder = forms.ChoiceField(
        label="Bowel and bladder function",
        choices=BOWEL_BLADDER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Answer how bowel and bladder function compares."},
    )
    focal_signs = yes_no_field(
        "New facial droop, speech disturbance or loss of vision?",
        "Signs of a stroke. Compare with how the patient was before the procedure.",
    )

    def __init__(
        self, *args: Any, levels: list[str] | tuple[str, ...] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = list(levels or ())
        # Unknown levels cannot rule out the arms, so they are examined too.
        self.asks_arms = needs_upper_limb(tuple(levels) if levels else None)
        tables = {name: own_copy(field) for name, field in _exam_tables(self.asks_arms).items()}
        # Field order: the tables first (as they are laid out), then the questions.
        self.fields = {**tables, **self.fields}

    def rendering_inputs(self) -> dict[str, Any]:
        return {"levels": self.levels}  # they decide whether the arms are asked about

    @classmethod
    def initial_from(cls, answers: dict | None) -> dict:
        initial = super().initial_from(answers)
        value = initial.get("bowel_bladder")
        initial["bowel_bladder"] = LEGACY_BOWEL_BLADDER.get(value, value)
        return {k: v for k, v in initial.items() if v is not None}

    @classmethod
    def baselines_from(cls, answers: dict | None) -> dict:
        """The pre-procedure answers of an exam, to start the next round's exam from.

        >>> NeuroForm.baselines_from({"power_L4_left_baseline": "5", "power_L4_left": "3"})
        {'power_L4_left_baseline': '5'}
        """
        return {k: v for k, v in cls.initial_from(answers).items() if k.endswith("_baseline")}

    def field_for_path(self, path: str) -> str | None:
        if path == "neuro.focal_signs":
            return "focal_signs"
        return None  # the other contract values are derived and have no field of their own

    def _rows(self, myotomes: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
        return [
            {
                "myotome": myotome,
                "movement": movement,
                "fields": [
                    self[f"power_{myotome}_{side}{suffix}"]
                    for side in SIDES
                    for suffix in ("_baseline", "")
                ],
            }
            for myotome, movement in myotomes
        ]

    def power_rows(self) -> list[dict[str, Any]]:
        """One table row per leg myotome: left before, left now, right before, right now."""
        return self._rows(MYOTOMES)

    def arm_power_rows(self) -> list[dict[str, Any]]:
        """The same for the arms' myotomes, when the arms are examined."""
        return self._rows(ARM_MYOTOMES) if self.asks_arms else []

    def sensation_fields(self) -> list[forms.BoundField]:
        return [self[f"sensation_{side}{suffix}"] for side in SIDES for suffix in ("_baseline", "")]

    def arm_sensation_fields(self) -> list[forms.BoundField]:
        if not self.asks_arms:
            return []
        return [
            self[f"arm_sensation_{side}{suffix}"] for side in SIDES for suffix in ("_baseline", "")
        ]


ACVPU_CHOICES = [
    ("A", "A – Alert"),
    ("C", "C – new Confusion"),
    ("V", "V – responds to Voice"),
    ("P", "P – responds to Pain"),
    ("U", "U – Unresponsive"),
]


class VitalsForm(StepForm):
    section = "vitals"

    respiratory_rate = forms.IntegerField(
        label="Respiratory rate (breaths per minute)", widget=number_input()
    )
    spo2 = forms.IntegerField(label="SpO2 (%)", widget=number_input())
    spo2_scale = forms.TypedChoiceField(
        label="SpO2 scale",
        choices=[
            ("1", "Scale 1 – the usual scale"),
            ("2", "Scale 2 – target 88–92% (hypercapnic respiratory failure, prescribed)"),
        ],
        coerce=int,
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the SpO2 scale."},
    )
    on_oxygen = yes_no_field("On supplemental oxygen?")
    oxygen_reason = follow_up(
        forms.ChoiceField(
            label="Why is the patient on oxygen?",
            choices=[
                ("routine", "Routine oxygen after sedation"),
                ("long_term", "Their usual home oxygen, at the usual flow"),
                ("low_saturation", "Started or increased because the saturation was falling"),
            ],
            widget=forms.RadioSelect,
            required=False,
        ),
        of="on_oxygen",
        values=("yes",),
    )
    systolic_bp = forms.IntegerField(label="Systolic blood pressure (mmHg)", widget=number_input())
    heart_rate = forms.IntegerField(label="Pulse (beats per minute)", widget=number_input())
    consciousness = forms.ChoiceField(
        label="Consciousness (ACVPU)",
        choices=ACVPU_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of consciousness."},
    )
    temperature = DecimalCommaField(label="Temperature (°C)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, example in (
            ("respiratory_rate", "18"),
            ("spo2", "96"),
            ("systolic_bp", "120"),
            ("heart_rate", "80"),
            ("temperature", "37.5"),
        ):
            what = str(self.fields[name].label).split(" (")[0]
            what = what if what.startswith("SpO2") else what.lower()
            kind = "a number" if name == "temperature" else "a whole number"
            self.fields[name].error_messages.update(
                {
                    "required": f"Enter the {what}.",
                    "invalid": f"Enter the {what} as {kind}, like {example}.",
                }
            )

    def clean(self) -> dict:
        on_oxygen = self.cleaned_data.get("on_oxygen")
        if on_oxygen is not True:
            self.cleaned_data["oxygen_reason"] = ""  # not asked on air
        cleaned = super().clean()
        # After the engine's checks, so their problems are reported in the same pass.
        if on_oxygen is True and not cleaned.get("oxygen_reason"):
            self.add_error("oxygen_reason", "Choose why the patient is on oxygen.")
        return cleaned


class ImagingForm(StepForm):
    section = "imaging"

    status = forms.ChoiceField(
        label="Cross-sectional imaging (CT or MRI)",
        choices=[("not_done", "Not done"), ("requested", "Requested"), ("done", "Done")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether imaging is done, requested or not done."},
    )
    modality = follow_up(
        forms.ChoiceField(
            label="Type of scan",
            choices=[("ct", "CT"), ("mri", "MRI"), ("ct_and_mri", "CT and MRI")],
            widget=forms.RadioSelect,
            required=False,
            help_text="Required when imaging is done; optional when requested.",
        ),
        of="status",
        values=("requested", "done"),
    )
    after_current_symptoms = follow_up(
        summarised_as(
            yes_no_field(
                "Was the scan done after the current symptoms began?",
                "A scan from before the symptoms began cannot rule out a new problem.",
                required=False,
            ),
            "Done after the current symptoms began",
        ),
        of="status",
        values=("done",),
    )
    findings = follow_up(
        forms.MultipleChoiceField(
            label="Imaging findings",
            choices=[
                ("no_leak", "No cement leak or other abnormality"),
                ("foraminal_leak", "Cement in a neural foramen"),
                ("epidural_leak", "Cement in the epidural space"),
                ("paravertebral_venous_leak", "Cement in paravertebral veins"),
                ("intradiscal_leak", "Cement in the disc"),
                ("pulmonary_cement_embolism", "Cement embolism in the lungs"),
                ("cardiac_cement_embolism", "Cement embolism in the heart"),
                ("cerebral_cement_embolism", "Cement embolism in the brain"),
                ("new_adjacent_fracture", "New fracture at an adjacent level"),
                ("cord_compression", "Spinal cord compression"),
                ("infection", "Infection (spondylodiscitis or epidural abscess)"),
            ],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Only when imaging is done. Tick “No cement leak” for a normal scan.",
        ),
        of="status",
        values=("done",),
    )

    def clean(self) -> dict:
        status = self.cleaned_data.get("status")
        if status == "done":
            # A done scan with nothing ticked must not read as a normal scan.
            if not self.cleaned_data.get("findings"):
                self.add_error(
                    "findings",
                    "Tick what the scan showed, or “No cement leak or other abnormality” for a "
                    "normal scan.",
                )
        else:
            self.cleaned_data["after_current_symptoms"] = ""  # asked only of a done scan
        if status == "not_done":
            self.cleaned_data["modality"] = ""  # no scan, no type of scan
        # Findings given for a scan that is not done are refused, never dropped: a ticked
        # finding may be real and the status wrong.
        cleaned = super().clean()
        if status == "done" and cleaned.get("after_current_symptoms") in (None, ""):
            self.add_error(
                "after_current_symptoms",
                "Answer whether the scan was done after the current symptoms began.",
            )
        return cleaned
