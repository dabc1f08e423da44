"""The audit trail in a physician's words: one entry per action (who, when, what was done),
each change as a question's label with its answer before and after. Bookkeeping columns (lock
versions, queue ranks, client tokens, foreign keys) are left out here; they stay, raw, in the
audit CSV. Presentation only: the trail itself is read by `views.review.audit_trail`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from django.utils.dateparse import parse_datetime

from triage.actions.review import DECISIONS
from triage.clinical.explain import PATHWAY_TITLES, RED_FLAG_TITLES
from triage.clinical.findings import QUESTION_SECTIONS
from triage.forms.wizard import ImagingForm, NeuroForm, SymptomsForm, VitalsForm
from triage.models import Discharge, Encounter, EscalationCall, Override
from triage.moments import moment_text

ACTIONS = {
    "encounter.start": "Started the assessment",
    "encounter.update_patient": "Changed the patient and procedure",
    "round.save_symptoms": "Saved the symptoms",
    "round.save_neuro": "Saved the neuro exam",
    "round.save_vitals": "Saved the vital signs",
    "round.save_imaging": "Saved the imaging",
    "round.submit": "Submitted the assessment",
    "round.reassess": "Started a reassessment",
    "encounter.sign_off": "Signed off the encounter",
    "encounter.addendum": "Added an addendum",
    "round.override": "Overrode a finding",
    "encounter.discharge": "Discharged the patient",
    "round.escalation_call": "Recorded who was told of the escalation",
    "round.escalation_acknowledged": "Acknowledged the escalation",
}
# The columns a reader is shown, in words; every other column is bookkeeping.
COLUMNS = {
    "patient_identifier": "Patient identifier",
    "procedure_at": "Date and time of the vertebroplasty",
    "levels": "Treated levels",
    "status": "Status",
    "comment": "Comment",
    "text": "Addendum",
    "kind": "Overridden",
    "code": "Finding",
    "original": "The assessment said",
    "decision": "Decided",
    "reason": "Reason",
    "follow_up_on": "Follow-up booked for",
    "follow_up_with": "Follow-up with",
    "educated_by": "Told to report sudden or new back pain by",
    "osteoporosis": "Osteoporosis treatment",
    "osteoporosis_reason": "Why no osteoporosis treatment",
    "escalation_call": "Escalation record",
    "informed_role": "Who was told",
    "informed_name": "Their name",
    "method": "How",
    "called_at": "When they were told",
    "response": "What they said",
    "response_detail": "Their advice or the plan",
}
# Columns whose stored codes have words in the models' choices.
CHOICES = {
    "escalation_call": dict(Encounter.EscalationCall.choices),
    "informed_role": dict(EscalationCall.InformedRole.choices),
    "method": dict(EscalationCall.Method.choices),
    "response": dict(EscalationCall.Response.choices),
    "osteoporosis": dict(Discharge.Osteoporosis.choices),
}
READABLE_WITHOUT_CHANGES = {*ACTIONS.values(), "Read the record"}
VALUES = {True: "Yes", False: "No", "draft": "Draft", "submitted": "Submitted"}


# The page shows at most this many characters of a value (the CSV holds it whole).
SHOWN_BEFORE, SHOWN_AFTER = 200, 300


def shortened(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with "…" as the last when longer.

    >>> shortened("Severe pain", 7), shortened("Severe", 7)
    ('Severe…', 'Severe')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Change:
    label: str
    before: str
    after: str

    @property
    def before_shown(self) -> str:
        return shortened(self.before, SHOWN_BEFORE)

    @property
    def after_shown(self) -> str:
        """What the value became, "(cleared)" when it was emptied."""
        return shortened(self.after or "(cleared)", SHOWN_AFTER)


@dataclass
class AuditAction:
    at: datetime
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)
    times: int = 1  # a reader's reads of the record within the hour, counted together
    until: datetime | None = None


@cache
def _questions() -> dict[str, tuple[str, dict[str, str]]]:
    """Each wizard question's label and its choices in words, from the forms themselves."""
    forms = [SymptomsForm(), NeuroForm(levels=None), VitalsForm(), ImagingForm()]
    return {
        name: (str(question.label), {str(k): str(v) for k, v in getattr(question, "choices", [])})
        for form in forms
        for name, question in form.fields.items()
    }


def _words(value: Any, choices: dict[str, str] | None = None) -> str:
    if value is None or value in ("", []):
        return ""
    if isinstance(value, list):
        return ", ".join(_words(item, choices) for item in value)
    if isinstance(value, bool):
        return VALUES[value]
    text = str(value)
    return (choices or {}).get(text) or VALUES.get(text, text)


def _section_changes(before: dict | None, after: dict | None) -> list[Change]:
    before, after = before or {}, after or {}
    order = list(_questions())
    changes = []
    names = sorted({*after, *before}, key=lambda n: order.index(n) if n in order else len(order))
    for name in names:
        if before.get(name) == after.get(name):
            continue
        label, choices = _questions().get(name, (name.replace("_", " ").capitalize(), {}))
        changes.append(
            Change(label, _words(before.get(name), choices), _words(after.get(name), choices))
        )
    return changes


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return moment_text(moment)


def _finding(code: str) -> str:
    return RED_FLAG_TITLES.get(code) or PATHWAY_TITLES.get(code) or code.replace("_", " ")


def _column_change(name: str, before: Any, after: Any) -> Change:
    if name == "kind":
        kinds = dict(Override.Kind.choices)
        return Change(COLUMNS[name], kinds.get(before, ""), kinds.get(after, str(after)))
    if name == "code":
        return Change(COLUMNS[name], _finding(before) if before else "", _finding(after))
    if name in ("decision", "original"):
        words = DECISIONS if name == "decision" else {}
        after_words = _words(after, words)
        return Change(
            COLUMNS[name], _words(before, words), after_words[:1].upper() + after_words[1:]
        )
    if name in ("procedure_at", "called_at"):
        return Change(COLUMNS[name], _when(before), _when(after))
    if name in CHOICES:
        return Change(COLUMNS[name], _words(before, CHOICES[name]), _words(after, CHOICES[name]))
    return Change(COLUMNS[name], _words(before), _words(after))


def changes_in_words(diff: dict[str, tuple[Any, Any]]) -> list[Change]:
    """What one recorded change did, in words, from its {column: (before, after)}.

    >>> [vars(c) for c in changes_in_words({
    ...     "symptoms": ({"dyspnoea": False}, {"dyspnoea": True}),
    ...     "lock_version": (3, 4), "status": ("draft", "submitted")})]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'label': 'New or worse shortness of breath?', 'before': 'No', 'after': 'Yes'},
     {'label': 'Status', 'before': 'Draft', 'after': 'Submitted'}]
    """
    changes: list[Change] = []
    for name, (before, after) in diff.items():
        if name in QUESTION_SECTIONS:
            changes += _section_changes(before, after)
        elif name == "assessment" and isinstance(after, dict):
            headline = (after.get("escalation_detail") or {}).get("headline")
            flags = ", ".join(_finding(f["code"]) for f in after.get("red_flags") or [])
            result = headline or _words(after.get("escalation"))
            changes.append(Change("Result", "", f"{result}. Red flags: {flags or 'none'}"))
        elif name in COLUMNS:
            changes.append(_column_change(name, before, after))
    return changes


def in_words(entries: list[Any]) -> list[AuditAction]:
    """The trail's entries (oldest first, as `views.review.audit_trail` reads them), one
    action per recorded request (all the rows it wrote), its changes in words."""
    done: dict[str, AuditAction] = {}
    for index, entry in enumerate(entries):
        key = entry.group or f"entry-{index}"
        if key in done:
            done[key].changes += changes_in_words(entry.diff)
            continue
        what = "Read the record" if entry.what == "Record viewed" else ACTIONS.get(entry.action)
        done[key] = AuditAction(
            entry.at,
            entry.who,
            what or entry.what,
            changes_in_words(entry.diff),
            times=entry.times,
            until=entry.until,
        )
    # A row of bookkeeping alone (a version moved on by no named action) is for the CSV.
    return [a for a in done.values() if a.changes or a.what in READABLE_WITHOUT_CHANGES]
