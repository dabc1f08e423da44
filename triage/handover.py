"""An encounter as an SBAR handover: Situation, Background, Assessment, Recommendation.

Read from what is stored (each round's findings and its assessment as shown at submission, the
encounter's procedure and sign-off); presentation only, no clinical rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, cast

from django.utils import timezone

from triage.clinical.explain import describe_finding
from triage.content_digest import digest
from triage.findings_builder import MYOTOMES, SIDES
from triage.guidance import entries_by_key
from triage.models import Encounter, GuidanceEntry, Round, SignOff
from triage.moments import moment_text
from triage.obs_chart import Chart, observation_chart
from triage.presenters import assessment_view, next_observations, trend

Row = tuple[str, str]


@dataclass
class Section:
    letter: str
    title: str
    rows: list[Row] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a list under the rows (actions, flags)


@dataclass
class Handover:
    encounter: Encounter
    latest: Round
    rounds_submitted: int
    result: dict[str, Any]  # the latest submitted round's assessment as the pages show it
    situation: Section
    background: Section
    assessment: Section
    recommendation: Section
    trend: list[dict[str, Any]]  # each submitted round: time, pain, NEWS2, legs (in words)
    chart: Chart | None  # the observation chart, printed with the handover
    written_at: datetime

    @property
    def sections(self) -> list[Section]:
        return [self.situation, self.background, self.assessment, self.recommendation]

    @cached_property
    def key(self) -> str:
        """The key of the handover's rendered HTML on its own page (`_sbar.html`; the ward's
        handover keys each patient by what it is written from: `ward_handover`): a digest of
        all it shows (each section's letter, title, rows and items, the trend table, the
        patient, the escalation and the observation chart's own key) and the time zone its
        times are written in. A handover whose text changes with the time (time since the
        procedure, observations due) gets a new key as its text changes."""
        summary = self.result["summary"]
        return digest(
            (
                self.encounter.patient_identifier,
                summary["code"],
                summary["title"],
                [(s.letter, s.title, s.rows, s.items) for s in self.sections],
                self.trend,
                self.chart.key if self.chart else None,
                timezone.get_current_timezone_name(),
            )
        )


def _when(moment: datetime | None) -> str:
    return moment_text(moment) or "not recorded"


def time_since_procedure(procedure_at: datetime | None, now: datetime) -> str:
    """The time since the procedure, in whole hours at `now`."""
    if procedure_at is None:
        return "not known: the procedure time was not recorded"
    hours = (now - procedure_at).total_seconds() / 3600
    return f"{hours:.0f} hours" if hours >= 1 else "less than an hour"


def baselines(neuro: dict[str, Any] | None) -> list[Row]:
    """The legs before the procedure, as recorded in a round's neuro exam: power and sensation,
    summed up when all normal, each exception named otherwise."""
    answers = neuro or {}
    power = {
        f"{side.capitalize()} {myotome} {movement}": answers.get(f"power_{myotome}_{side}_baseline")
        for myotome, movement in MYOTOMES
        for side in SIDES
        if f"power_{myotome}_{side}_baseline" in answers
    }
    sensation = {
        f"{side.capitalize()} leg": answers.get(f"sensation_{side}_baseline")
        for side in SIDES
        if f"sensation_{side}_baseline" in answers
    }
    rows: list[Row] = []
    if not power:
        rows.append(("Leg power before the procedure", "not recorded"))
    elif all(value == "5" for value in power.values()):
        rows.append(("Leg power before the procedure", "full (5/5) in every movement tested"))
    else:
        rows.append(
            (
                "Leg power before the procedure",
                "; ".join(
                    f"{name} {'not recorded' if value in (None, 'unknown') else f'{value}/5'}"
                    for name, value in power.items()
                    if value != "5"
                )
                + "; the rest 5/5",
            )
        )
    if not sensation:
        rows.append(("Leg sensation before the procedure", "not recorded"))
    elif all(value == "normal" for value in sensation.values()):
        rows.append(("Leg sensation before the procedure", "normal in both legs"))
    else:
        rows.append(
            (
                "Leg sensation before the procedure",
                "; ".join(
                    f"{name} {'not recorded' if value in (None, 'unknown') else value}"
                    for name, value in sensation.items()
                ),
            )
        )
    return rows


def _findings_rows(findings: dict[str, Any]) -> list[Row]:
    """The latest round's findings in words, section by section (vital signs as NEWS2)."""
    labels = {"symptoms": "Symptoms", "neuro": "Neuro exam", "imaging": "Imaging"}
    rows = []
    for section, label in labels.items():
        values = findings.get(section) or {}
        words = [
            describe_finding(f"{section}.{key}", item)
            for key, value in values.items()
            if value is not None
            for item in (value if isinstance(value, list | tuple) else [value])
        ]
        rows.append((label, "; ".join(words) if words else "not assessed"))
    return rows


def _legs_in_words(findings: dict[str, Any] | None) -> str:
    neuro = (findings or {}).get("neuro") or {}
    words = [
        describe_finding(f"neuro.{key}", neuro[key]) for key in ("motor", "sensory") if key in neuro
    ]
    return "; ".join(words) or "not assessed"


def _actions(result: dict[str, Any]) -> list[str]:
    """What is to be done, most urgent first: the escalation's actions, then each red flag's
    and each pathway's, each once."""
    actions = list(result["summary"]["actions"])
    for item in [*result["red_flags"], *result["pathways"]]:
        actions += item.get("actions") or []
    return list(dict.fromkeys(actions))


ESCALATION_RECORD_WORDS: dict[str, str] = {
    Encounter.EscalationCall.MISSING: "not recorded: record who was told on the result page",
    Encounter.EscalationCall.RECORDED: "recorded (who was told, how, when, their answer)",
}


def _escalation_rows(encounter: Encounter) -> list[Row]:
    """Whether the emergency or urgent escalation was passed on (none for a routine one)."""
    state = encounter.escalation_call
    if not state:
        return []
    if state == Encounter.EscalationCall.ACKNOWLEDGED:
        by = getattr(encounter, "escalation_acknowledged_by", None)
        return [("Escalation", f"acknowledged by Dr {by}" if by else "acknowledged")]
    return [("Escalation", ESCALATION_RECORD_WORDS.get(state, state))]


def is_discharged(encounter: Encounter) -> bool:
    return getattr(encounter, "discharge", None) is not None


def observations_rows(due: dict[str, Any] | None) -> list[Row]:
    """When the next observations and neuro checks are due (`due`: `next_observations` of the
    latest round; None once the patient is discharged), as the record says it."""
    if due is None:
        return []
    if due["continuous"]:
        vitals = "continuous monitoring"
    else:
        vitals = f"{due['vitals']['text']}, {due['vitals_every']}"
    return [
        ("Next observations", vitals),
        ("Neuro checks", f"{due['neuro']['text']}, {due['neuro_every']}"),
        # Each reason is a sentence of its own ("Within 48 hours of the procedure: ...").
        ("Why that often", " ".join(f"{reason}." for reason in due["reasons"])),
    ]


def build(
    encounter: Encounter,
    rounds: list[Round],
    sign_off: SignOff | None,
    now: datetime | None = None,
    guidance: dict[Any, dict[str, GuidanceEntry]] | None = None,
) -> Handover:
    """The SBAR of an encounter with at least one submitted round (`rounds` oldest first).
    `guidance`: the entries of each guidance version by its primary key, shared by the
    handovers of one page (read-only), filled as versions are met."""
    now = now or timezone.now()
    submitted = [r for r in rounds if r.status == Round.Status.SUBMITTED]
    latest = submitted[-1]
    findings = cast("dict[str, Any]", latest.findings)  # submitted: stored
    guidance = {} if guidance is None else guidance
    version = latest.guidance_version_id
    if version not in guidance:
        guidance[version] = entries_by_key(latest.guidance_version)
    result = assessment_view(cast("dict[str, Any]", latest.assessment), guidance[version])
    summary = result["summary"]
    news2 = result.get("news2") or {}
    band = (result.get("news2_detail") or {}).get("band_label") or news2.get("band", "")

    situation = Section("S", "Situation")
    situation.rows = [
        ("Escalation", summary["headline"] or summary["title"]),
        (
            "Red flags now",
            ", ".join(flag["title"] for flag in result["red_flags"]) or "none",
        ),
        (
            "Pathways now",
            ", ".join(f"{p['title']} ({p['status']})" for p in result["pathways"]) or "none",
        ),
    ]
    if summary["reason"]:
        situation.rows.insert(1, ("Why", summary["reason"]))

    background = Section("B", "Background")
    background.rows = [
        ("Patient", encounter.patient_identifier),
        ("Ward", encounter.ward.name),
        ("Procedure", f"vertebroplasty on {_when(encounter.procedure_at)}"),
        ("Treated levels", ", ".join(encounter.levels) or "not recorded"),
        ("Time since the procedure", time_since_procedure(encounter.procedure_at, now)),
        *baselines(latest.neuro),
    ]

    points = trend(submitted)
    for point, round in zip(points, submitted, strict=True):
        point["legs"] = _legs_in_words(round.findings)
    assessment = Section("A", "Assessment")
    title = "First assessment" if latest.number == 1 else f"Reassessment {latest.number}"
    assessment.rows = [
        ("Latest", f"{title}, submitted {_when(latest.submitted_at)}"),
        *_findings_rows(findings),
        (
            "NEWS2",
            f"{news2['score']} ({band})"
            if news2.get("score") is not None
            else "not calculated: vital signs incomplete",
        ),
    ]

    recommendation = Section("R", "Recommendation")
    imaging = result.get("imaging_detail") or {}
    recommendation.rows = [
        *_escalation_rows(encounter),
        *observations_rows(
            None if is_discharged(encounter) else next_observations(encounter, latest, now)
        ),
        (
            "Imaging",
            imaging.get("title") or describe_finding("imaging.status", result.get("imaging")),
        ),
        (
            "Physician sign-off",
            f"signed off by {sign_off.signed_by.get_username()} on {_when(sign_off.signed_at)}"
            if sign_off
            else "not signed off yet",
        ),
    ]
    recommendation.items = _actions(result)

    return Handover(
        encounter=encounter,
        latest=latest,
        rounds_submitted=len(submitted),
        result=result,
        situation=situation,
        background=background,
        assessment=assessment,
        recommendation=recommendation,
        trend=points,
        chart=observation_chart(submitted),
        written_at=now,
    )
