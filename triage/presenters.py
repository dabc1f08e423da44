"""Shape stored answers and assessments for templates. Presentation only: no clinical rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any, cast

from django.utils import timezone

from triage import wizard
from triage.addresses import address
from triage.clinical import CONTRACT_VERSION
from triage.clinical.explain import (
    ESCALATION_TITLES,
    FIELD_LABELS,
    NOT_ASSESSED_WARNINGS,
    RED_FLAG_TITLES,
    SECTION_TITLES,
    describe_finding,
    field_labels,
)
from triage.clinical.findings import QUESTION_SECTIONS
from triage.clinical.observations_due import ObservationsDue, every, observations_due
from triage.clinical.snapshots import contract_of, stored_escalation
from triage.findings_builder import ARM_MYOTOMES, MYOTOMES, SIDES
from triage.forms.wizard import LEGACY_BOWEL_BLADDER, NeuroForm
from triage.models import Encounter, Round
from triage.moments import moment_text

NEWS2_PARAMETER_LABELS = {
    "respiratory_rate": "Respiratory rate",
    "spo2": "SpO2",
    "air_or_oxygen": "Air or oxygen",
    "systolic_bp": "Systolic BP",
    "heart_rate": "Pulse",
    "consciousness": "Consciousness",
    "temperature": "Temperature",
}
# The NEWS2 bands in words (the engine's band codes stay in the snapshot and the API).
NEWS2_BAND_LABELS = {
    "low": "low",
    "low_medium": "low, but one observation scores 3",
    "medium": "medium",
    "high": "high",
}
_NOT_ASSESSED_TEXT = frozenset(NOT_ASSESSED_WARNINGS.values())
# A v1 snapshot has no escalation of its own: its headline in words, by the escalation its
# red flags and pathways imply (`stored_escalation`).
_V1_HEADLINES = {
    "emergency": "Emergency: a red flag was found",
    "urgent": "Urgent review: no red flag, and reassurance was not offered",
    "routine": "Routine: no red flag found, and reassurance was offered",
}


def encounter_badges(encounter: Encounter) -> dict[str, Any]:
    """What a list of encounters shows of one, from its own columns (no query): the most
    urgent escalation of any round, its red flags in words, and whether it is signed."""
    signed = getattr(encounter, "sign_off", None)  # a missing sign-off is an AttributeError
    return {
        "escalation": encounter.escalation,
        "escalation_title": ESCALATION_TITLES.get(encounter.escalation, ""),
        "red_flags": [RED_FLAG_TITLES.get(code, code) for code in encounter.red_flag_codes],
        "signed": signed is not None,
    }


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, section.replace("_", " ").capitalize())


def assessment_view(
    assessment: dict[str, Any], guidance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The engine's assessment dict as pages show it: the escalation summary first
    (`summary`), section names spelled out, no machine traces (`because`), and each item's
    guidance entry (from the version the round was submitted with) attached as `guidance`.

    A snapshot made under rules v1 is shown as stored; its summary is read from what it said.
    """
    guidance = guidance or {}
    warnings = list(assessment.get("warnings") or [])
    return {
        **assessment,
        "red_flags": [_shown(item, guidance) for item in assessment.get("red_flags") or []],
        "pathways": [_shown(item, guidance) for item in assessment.get("pathways") or []],
        "imaging_detail": _shown(assessment.get("imaging_detail"), guidance),
        "advice": _shown(assessment.get("advice"), guidance),
        "escalation_detail": _shown(assessment.get("escalation_detail"), guidance),
        "summary": escalation_summary(assessment, guidance),
        "rules_version": contract_of(assessment),
        "older_rules": contract_of(assessment) != CONTRACT_VERSION,
        "not_assessed_titles": [section_title(s) for s in assessment.get("not_assessed") or []],
        "incomplete_titles": [section_title(s) for s in assessment.get("incomplete") or []],
        "warnings": warnings,
        "incomplete_warnings": [w for w in warnings if w not in _NOT_ASSESSED_TEXT],
        "news2_rows": _news2_rows((assessment.get("news2_detail") or {}).get("sub_scores")),
        "news2_detail": _news2_in_words(assessment.get("news2_detail")),
        "flagged_answers": flagged_answers(assessment),
    }


_ANSWER_PATH = re.compile(r"\b(?:symptoms|neuro|vitals|imaging)\.\w+")


def flagged_answers(assessment: dict[str, Any]) -> list[tuple[str, str]]:
    """Each answer that raised a red flag, with the titles of the flags it raised, read from
    the flags' machine traces, so a page can show the flag beside the answer.

    >>> flagged_answers({"red_flags": [
    ...     {"title": "Respiratory distress",
    ...      "because": ["symptoms.dyspnoea = true", "vitals.respiratory_rate = 28 (> 20)"]},
    ...     {"title": "Circulatory compromise",
    ...      "because": ["vitals.heart_rate = 118 (>= vitals.systolic_bp = 96)"]}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('symptoms.dyspnoea', 'Respiratory distress'),
     ('vitals.respiratory_rate', 'Respiratory distress'),
     ('vitals.heart_rate', 'Circulatory compromise'),
     ('vitals.systolic_bp', 'Circulatory compromise')]
    """
    titles: dict[str, list[str]] = {}
    for flag in assessment.get("red_flags") or []:
        title = flag.get("title") or flag.get("code", "")
        for trace in flag.get("because") or []:
            for path in _ANSWER_PATH.findall(trace):
                if title not in titles.setdefault(path, []):
                    titles[path].append(title)
    return [(path, ", ".join(names)) for path, names in titles.items()]


def _news2_in_words(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    """The NEWS2 detail with its band in words (`band_label`)."""
    if not detail or not detail.get("band"):
        return detail
    return {**detail, "band_label": NEWS2_BAND_LABELS.get(detail["band"], detail["band"])}


def _news2_rows(sub_scores: dict[str, int] | None) -> list[tuple[str, int]]:
    """NEWS2 sub-scores in the order of the chart (respiratory rate first)."""
    order = list(NEWS2_PARAMETER_LABELS)
    scores = sorted((sub_scores or {}).items(), key=lambda item: _rank(order, item[0]))
    return [(NEWS2_PARAMETER_LABELS.get(name, name), score) for name, score in scores]


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


def escalation_summary(
    assessment: dict[str, Any], guidance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One summary that leads every page: how fast a clinician must see the patient
    (`code`, `title`, `headline`), why (`reason`) and the few actions that matter first."""
    code = stored_escalation(assessment)
    detail = assessment.get("escalation_detail")
    if detail:
        summary = {
            "code": code,
            "title": detail.get("title") or ESCALATION_TITLES.get(code, code),
            "headline": detail.get("headline", ""),
            "reason": detail.get("reason", ""),
            "actions": list(detail.get("actions") or []),
        }
    else:
        flags = assessment.get("red_flags") or []
        summary = {
            "code": code,
            "title": ESCALATION_TITLES.get(code, code),
            "headline": _V1_HEADLINES.get(code, ESCALATION_TITLES.get(code, code)),
            "reason": "Red flag: " + ", ".join(flag.get("title", "") for flag in flags)
            if flags
            else "",
            "actions": list(
                dict.fromkeys(flag["actions"][0] for flag in flags if flag.get("actions"))
            ),
        }
    summary["guidance"] = (guidance or {}).get(f"escalation.{code}")
    # Still being answered: a section the nurse has not reached yet keeps the result from being
    # final (an emergency never waits for that).
    summary["in_progress"] = code != "emergency" and any(
        section in QUESTION_SECTIONS for section in assessment.get("not_assessed") or []
    )
    return summary


def _shown(item: dict[str, Any] | None, guidance: dict[str, Any]) -> dict[str, Any] | None:
    """One explained item for a page: without its machine trace, with its guidance entry."""
    if item is None:
        return None
    shown = {key: value for key, value in item.items() if key != "because"}
    key = item.get("guidance_key")
    shown["guidance"] = guidance.get(key) if key is not None else None
    return shown


@dataclass
class SummarySection:
    title: str
    change_url: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    derived: list[tuple[str, str]] = field(default_factory=list)
    incomplete: str = ""  # what a section that is not complete lacks, in the engine's words

    @property
    def assessed(self) -> bool:
        return bool(self.rows)


def _yes_no(value: Any) -> str:
    return {True: "Yes", False: "No"}.get(value, "—")


def _finding_text(path: str, value: Any) -> str:
    if isinstance(value, list | tuple) and path != "procedure.levels":
        return ", ".join(describe_finding(path, item) for item in value) or "—"
    return describe_finding(path, value)


def _rows_from_findings(section: str, findings: dict[str, Any]) -> list[tuple[str, str]]:
    """A section's stored contract findings in words, for a round without step answers."""
    return [
        (
            FIELD_LABELS.get(f"{section}.{key}", key).capitalize(),
            _finding_text(f"{section}.{key}", value),
        )
        for key, value in findings.items()
    ]


def _power_rows(answers: dict[str, Any], myotomes) -> list[tuple[str, str]]:
    rows = []
    for myotome, movement in myotomes:
        for side in SIDES:
            if f"power_{myotome}_{side}" not in answers:
                continue
            base = answers.get(f"power_{myotome}_{side}_baseline", "—")
            base_text = "not recorded" if base == "unknown" else f"{base}/5"
            rows.append(
                (
                    f"{side.capitalize()} {myotome} {movement}",
                    f"{answers[f'power_{myotome}_{side}']}/5 (before: {base_text})",
                )
            )
    return rows


def _sensation_rows(answers: dict[str, Any], prefix: str, limb: str) -> list[tuple[str, str]]:
    rows = []
    for side in SIDES:
        if f"{prefix}_{side}" not in answers:
            continue
        base = answers.get(f"{prefix}_{side}_baseline", "—")
        rows.append(
            (
                f"{side.capitalize()} {limb} sensation",
                f"{answers[f'{prefix}_{side}'].capitalize()} (before: "
                f"{'not recorded' if base == 'unknown' else base})",
            )
        )
    return rows


# The neuro exam's limb grid is summarised by limb and side (`_power_rows`, `_sensation_rows`).
_GRID_FIELDS = re.compile(r"^(power|sensation|arm_sensation)_")


def _answer_text(field: Any, value: Any) -> str:
    """A stored answer as the form offered it: the option's words, Yes/No, or the value."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _yes_no(value)
    choices = dict(getattr(field, "choices", None) or ())
    if choices:
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(choices.get(v, choices.get(str(v), v))) for v in values)
    return str(value)


def _asked(field: Any, answers: dict[str, Any]) -> bool:
    """Whether a follow-up question applied to these answers (always, for any other)."""
    parent = field.widget.attrs.get("data-reveal-when")
    if parent is None:
        return True
    given = answers.get(parent)
    given = {True: "yes", False: "no"}.get(given, given) if isinstance(given, bool) else given
    return str(given) in field.widget.attrs.get("data-reveal-values", "").split()


def _question_rows(form_class: Any, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Each question of the step's form that applied, in the form's order and its own words
    (`summary_label` where the question reads badly as a row), with the answer given."""
    rows = []
    for name, question in form_class.base_fields.items():
        if _GRID_FIELDS.match(name) or not _asked(question, answers):
            continue
        label = getattr(question, "summary_label", "") or str(question.label).rstrip("?")
        text = _answer_text(question, answers.get(name))
        rows.append((label, "Not recorded" if text == "—" and name not in answers else text))
    return rows


def _neuro_rows(n: dict[str, Any]) -> list[tuple[str, str]]:
    bowel = n.get("bowel_bladder")
    return [
        *_power_rows(n, MYOTOMES),
        *_sensation_rows(n, "sensation", "leg"),
        *_power_rows(n, ARM_MYOTOMES),
        *_sensation_rows(n, "arm_sensation", "arm"),
        *_question_rows(NeuroForm, {**n, "bowel_bladder": LEGACY_BOWEL_BLADDER.get(bowel, bowel)}),
    ]


def _section_rows(step: wizard.QuestionStep, answers: dict[str, Any]) -> list[tuple[str, str]]:
    if step is wizard.NEURO:
        return _neuro_rows(answers)
    return _question_rows(step.form, answers)


def answers_summary(
    encounter: Encounter,
    round: Round,
    findings: dict[str, Any] | None,
    assessment: dict[str, Any] | None = None,
) -> list[SummarySection]:
    """Every answer of the round, each with a link back to its step ("check your answers").

    A section the assessment (`assessment`, else the round's snapshot) found incomplete says
    what it lacks. A round kept without step answers shows its stored findings instead.
    """

    def url(step: wizard.Step) -> str:
        return address(step.url_name, pk=encounter.pk) + "?next=check"

    findings = findings or {}
    assessment = assessment if assessment is not None else (round.assessment or {})
    missing = assessment.get("missing") or {}
    patient = SummarySection(
        wizard.PATIENT.title,
        url(wizard.PATIENT),
        [
            ("Patient identifier", encounter.patient_identifier),
            ("Ward", encounter.ward.name),
            (
                "Procedure",
                moment_text(encounter.procedure_at) or "Not recorded",
            ),
            (
                "Hours since the procedure",
                str((findings.get("procedure") or {}).get("hours_since", "—")),
            ),
            ("Treated levels", ", ".join(encounter.levels) or "Not recorded"),
        ],
    )
    sections = [patient]
    for step in wizard.QUESTION_STEPS:
        name = step.section
        section = SummarySection(step.title, url(step))
        answers = getattr(round, name)
        if answers:
            section.rows = _section_rows(step, answers)
        elif findings.get(name):
            section.rows = _rows_from_findings(name, findings[name])
        if name == "neuro" and answers:
            section.derived = [
                (
                    FIELD_LABELS.get(f"neuro.{key}", key).capitalize(),
                    _finding_text(f"neuro.{key}", v),
                )
                for key, v in (findings.get("neuro") or {}).items()
            ]
        if missing.get(name):
            said = f"{section_title(name)} incomplete"
            section.incomplete = next(
                (w for w in assessment.get("warnings") or [] if w.startswith(said)),
                f"{said}: {field_labels(name, missing[name])} not recorded",
            )
        sections.append(section)
    return sections


def trend(rounds: list[Round]) -> list[dict[str, Any]]:
    """Pain score and NEWS2 of each submitted round, oldest first, with the change from before."""
    points: list[dict[str, Any]] = []
    for round in rounds:
        if round.status != Round.Status.SUBMITTED:
            continue
        # Submitted: its findings and assessment are stored.
        findings = cast("dict[str, Any]", round.findings)
        assessment = cast("dict[str, Any]", round.assessment)
        pain = (findings.get("symptoms") or {}).get("pain_score")
        news2 = (assessment.get("news2") or {}).get("score")
        previous = points[-1] if points else None
        points.append(
            {
                "number": round.number,
                "at": round.submitted_at,
                "pain": pain,
                "news2": news2,
                "pain_change": change_in_words(previous["pain"] if previous else None, pain),
                "news2_change": change_in_words(previous["news2"] if previous else None, news2),
            }
        )
    return points


def change_in_words(before: int | None, now: int | None) -> str:
    """A score's change from one round to the next: "up 3", "down 1", "no change" ("" when
    either is missing)."""
    if before is None or now is None:
        return ""
    if now > before:
        return f"up {now - before}"
    if now < before:
        return f"down {before - now}"
    return "no change"


def next_observations(
    encounter: Encounter, round: Round, now: datetime | None = None, zone: tzinfo | None = None
) -> dict[str, Any] | None:
    """When the next vital signs and neuro checks are due after a submitted round, in words
    and against `now`: "due by 14:30 (in 40 min)" or "overdue since 13:10", the interval and
    the reasons. From the round's stored assessment and the encounter's procedure time (no
    query). None for a draft."""
    if round.status != Round.Status.SUBMITTED or not round.assessment or not round.submitted_at:
        return None
    return observations_due_in_words(
        round.assessment,
        number=round.number,
        submitted_at=round.submitted_at,
        procedure_at=encounter.procedure_at,
        now=now,
        zone=zone,
    )


def observations_due_in_words(
    assessment: dict[str, Any],
    *,
    number: int,
    submitted_at: datetime,
    procedure_at: datetime | None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """`next_observations` of a submitted round given by its stored assessment (the keys
    `news2`, `news2_detail.sub_scores`, `red_flags` and `pathways` codes are read), number and
    time, for lists that read only those. `zone`: the time zone the times are written in (the
    current one unless given: a list of many rows looks it up once for all)."""
    news2 = assessment.get("news2") or {}
    sub_scores = (assessment.get("news2_detail") or {}).get("sub_scores")
    inputs = (
        submitted_at,
        news2.get("score"),
        None if sub_scores is None else tuple(sub_scores.items()),
        news2.get("band"),
        tuple(flag["code"] for flag in assessment.get("red_flags") or []),
        tuple(pathway["code"] for pathway in assessment.get("pathways") or []),
        procedure_at,
    )
    try:
        due = _schedule(*inputs)
    except TypeError:  # a stored value that cannot be a key (not one the rules write)
        due = _schedule.__wrapped__(*inputs)
    now = now or timezone.now()
    zone = zone or timezone.get_current_timezone()  # looked up once for the vitals and neuro
    neuro = _due_in_words(due.neuro_due, now, zone)
    vitals = None if due.continuous else _due_in_words(cast(datetime, due.vitals_due), now, zone)
    return {
        "continuous": due.continuous,
        "vitals": vitals,
        "vitals_every": every(due.vitals_interval) if due.vitals_interval else "",
        "neuro": neuro,
        "neuro_every": every(due.neuro_interval),
        "overdue": due.continuous or neuro["overdue"] or bool(vitals and vitals["overdue"]),
        "reasons": list(due.reasons),
        "from_title": "the first assessment" if number == 1 else f"reassessment {number}",
        "from_at": submitted_at,
    }


@lru_cache(maxsize=4096)
def _schedule(
    at: datetime,
    news2_total: int | None,
    sub_scores: tuple[tuple[str, int], ...] | None,
    band: str | None,
    red_flags: tuple[str, ...],
    pathways: tuple[str, ...],
    procedure_at: datetime | None,
) -> ObservationsDue:
    """`observations_due`, worked out once per process for the same round (a board works out
    every patient's on every refresh): it depends on nothing but these."""
    return observations_due(
        at=at,
        news2_total=news2_total,
        sub_scores=None if sub_scores is None else dict(sub_scores),
        band=band,
        red_flags=red_flags,
        pathways=pathways,
        procedure_at=procedure_at,
    )


@lru_cache(maxsize=8192)
def _clock(when: datetime, zone: tzinfo) -> tuple[date, str, str]:
    """A due time's day, time of day ("14:30") and day with time ("7 Dec 14:30") in `zone`,
    written once per process: a board writes every patient's due times on every refresh, and
    they change only with a new round."""
    local = timezone.localtime(when, zone)
    return local.date(), f"{local:%H:%M}", moment_text(local, "short", zone)


def _due_in_words(when: datetime, now: datetime, zone: tzinfo | None = None) -> dict[str, Any]:
    """ "by 14:30 (in 40 min)", or "overdue since 13:10"; the day too when it is not today.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 12, 6, 13, 50, tzinfo=UTC)
    >>> _due_in_words(datetime(2026, 12, 6, 14, 30, tzinfo=UTC), now)["text"]
    'by 14:30 (in 40 min)'
    >>> _due_in_words(datetime(2026, 12, 6, 13, 10, tzinfo=UTC), now)["text"]
    'overdue since 13:10 (40 min ago)'
    >>> _due_in_words(datetime(2026, 12, 7, 1, 50, tzinfo=UTC), now)["text"]
    'by 7 Dec 01:50 (in 12 h)'
    >>> _due_in_words(datetime(2026, 12, 1, 10, 50, tzinfo=UTC), now)["text"]
    'overdue since 1 Dec 10:50 (5 days 3 h ago)'
    """
    zone = zone or timezone.get_current_timezone()
    day, time_of_day, day_and_time = _clock(when, zone)
    clock = time_of_day if day == timezone.localtime(now, zone).date() else day_and_time
    minutes = int(abs((when - now).total_seconds()) // 60)
    hours, rest = divmod(minutes, 60)
    span = f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"
    if hours >= 48:  # an old record: whole days and hours read faster
        span = f"{hours // 24} days {hours % 24} h" if hours % 24 else f"{hours // 24} days"
    overdue = when <= now
    moment = f"{clock} ({span} ago)" if overdue else f"{clock} (in {span})"
    return {
        "at": when,
        "overdue": overdue,
        "clock": clock,
        "moment": moment,
        "text": f"overdue since {moment}" if overdue else f"by {moment}",
    }
