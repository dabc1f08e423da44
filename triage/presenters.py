"""Shape stored answers and assessments for templates. Presentation only: no clinical rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from triage.findings_builder import MYOTOMES, SIDES
from triage.forms.wizard import (
    ACVPU_CHOICES,
    ImagingForm,
    SymptomsForm,
)
from triage.models import Encounter, Round

SECTION_TITLES = {
    "symptoms": "Symptoms",
    "neuro": "Neuro exam",
    "vitals": "Vital signs",
    "imaging": "Imaging",
}
NEWS2_PARAMETER_LABELS = {
    "respiratory_rate": "Respiratory rate",
    "spo2": "SpO2",
    "air_or_oxygen": "Air or oxygen",
    "systolic_bp": "Systolic BP",
    "heart_rate": "Pulse",
    "consciousness": "Consciousness",
    "temperature": "Temperature",
}


def assessment_view(
    assessment: dict[str, Any], guidance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The engine's assessment dict with section names spelled out for people, and each item's
    guidance entry (from the version the round was submitted with) attached as `guidance`."""
    if guidance:
        assessment = {
            **assessment,
            "red_flags": [_with_guidance(item, guidance) for item in assessment["red_flags"]],
            "pathways": [_with_guidance(item, guidance) for item in assessment["pathways"]],
            "imaging_detail": _with_guidance(assessment.get("imaging_detail"), guidance),
            "advice": _with_guidance(assessment.get("advice"), guidance),
        }
    return {
        **assessment,
        "not_assessed_titles": [SECTION_TITLES[s] for s in assessment.get("not_assessed", [])],
        "news2_rows": [
            (NEWS2_PARAMETER_LABELS.get(name, name), score)
            for name, score in (
                (assessment.get("news2_detail") or {}).get("sub_scores") or {}
            ).items()
        ],
    }


def _with_guidance(item: dict[str, Any] | None, guidance: dict[str, Any]) -> dict[str, Any] | None:
    if item is None:
        return None
    return {**item, "guidance": guidance.get(item.get("guidance_key"))}


@dataclass
class SummarySection:
    title: str
    change_url: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    derived: list[tuple[str, str]] = field(default_factory=list)

    @property
    def assessed(self) -> bool:
        return bool(self.rows)


def _choice_label(form_class, name: str, value: Any) -> str:
    choices = dict(form_class.base_fields[name].choices)
    return str(choices.get(value, choices.get(str(value), value)))


def _yes_no(value: Any) -> str:
    return {True: "Yes", False: "No"}.get(value, "—")


def answers_summary(
    encounter: Encounter, round: Round, findings: dict[str, Any] | None
) -> list[SummarySection]:
    """Every answer of the round, each with a link back to its step ("check your answers")."""

    def url(name: str) -> str:
        return reverse(f"encounters:{name}", kwargs={"pk": encounter.pk}) + "?next=check"

    findings = findings or {}
    local_time = timezone.localtime(encounter.procedure_at) if encounter.procedure_at else None
    patient = SummarySection(
        "Patient and procedure",
        url("patient"),
        [
            ("Patient identifier", encounter.patient_identifier),
            ("Ward", encounter.ward.name),
            (
                "Procedure",
                f"{local_time:%d %b %Y %H:%M}" if local_time else "Not recorded",
            ),
            (
                "Hours since the procedure",
                str((findings.get("procedure") or {}).get("hours_since", "—")),
            ),
            ("Treated levels", ", ".join(encounter.levels) or "Not recorded"),
        ],
    )
    symptoms = SummarySection("Symptoms", url("symptoms"))
    if round.symptoms:
        s = round.symptoms
        symptoms.rows = [
            ("Pain score", f"{s.get('pain_score')}/10"),
            (
                "Course of the pain",
                _choice_label(SymptomsForm, "pain_course", s.get("pain_course")),
            ),
            (
                "Radicular pain",
                _yes_no(s.get("radicular_pain"))
                + (f" ({s['radicular_side']})" if s.get("radicular_side") else ""),
            ),
            ("Chest pain", _yes_no(s.get("chest_pain"))),
            ("Shortness of breath", _yes_no(s.get("dyspnoea"))),
            (
                "Uncontrolled despite adequate analgesia",
                _yes_no(s.get("uncontrolled_despite_analgesia")),
            ),
        ]
    neuro = SummarySection("Neuro exam", url("neuro"))
    if round.neuro:
        n = round.neuro
        for myotome, movement in MYOTOMES:
            for side in SIDES:
                base = n.get(f"power_{myotome}_{side}_baseline", "—")
                base_text = "not recorded" if base == "unknown" else f"{base}/5"
                neuro.rows.append(
                    (
                        f"{side.capitalize()} {myotome} {movement}",
                        f"{n.get(f'power_{myotome}_{side}', '—')}/5 (before: {base_text})",
                    )
                )
        for side in SIDES:
            base = n.get(f"sensation_{side}_baseline", "—")
            neuro.rows.append(
                (
                    f"{side.capitalize()} leg sensation",
                    f"{n.get(f'sensation_{side}', '—')} (before: "
                    f"{'not recorded' if base == 'unknown' else base})",
                )
            )
        neuro.rows.append(
            ("Saddle anaesthesia", str(n.get("saddle_anaesthesia", "—")).replace("_", " "))
        )
        neuro.rows.append(("Bowel and bladder", str(n.get("bowel_bladder", "—")).replace("_", " ")))
        derived = findings.get("neuro") or {}
        neuro.derived = [
            (k.replace("_", " ").capitalize(), str(v).replace("_", " ")) for k, v in derived.items()
        ]
    vitals = SummarySection("Vital signs", url("vitals"))
    if round.vitals:
        v = round.vitals
        vitals.rows = [
            ("Respiratory rate", f"{v.get('respiratory_rate')}/min"),
            ("SpO2", f"{v.get('spo2')}% (scale {v.get('spo2_scale', 1)})"),
            ("On oxygen", _yes_no(v.get("on_oxygen"))),
            ("Systolic BP", f"{v.get('systolic_bp')} mmHg"),
            ("Pulse", f"{v.get('heart_rate')}/min"),
            ("Consciousness", dict(ACVPU_CHOICES).get(v.get("consciousness"), "—")),
            ("Temperature", f"{v.get('temperature')} °C"),
        ]
    imaging = SummarySection("Imaging", url("imaging"))
    if round.imaging:
        i = round.imaging
        imaging.rows = [
            ("Status", _choice_label(ImagingForm, "status", i.get("status"))),
            (
                "Modality",
                _choice_label(ImagingForm, "modality", i.get("modality"))
                if i.get("modality")
                else "—",
            ),
            (
                "Findings",
                ", ".join(_choice_label(ImagingForm, "findings", f) for f in i.get("findings", []))
                or "—",
            ),
        ]
    return [patient, symptoms, neuro, vitals, imaging]


def trend(rounds: list[Round]) -> list[dict[str, Any]]:
    """Pain score and NEWS2 of each submitted round, oldest first, with the change from before."""
    points = []
    for round in rounds:
        if round.status != Round.Status.SUBMITTED:
            continue
        pain = (round.findings.get("symptoms") or {}).get("pain_score")
        news2 = (round.assessment.get("news2") or {}).get("score")
        previous = points[-1] if points else None
        points.append(
            {
                "number": round.number,
                "at": round.submitted_at,
                "pain": pain,
                "news2": news2,
                "pain_change": _change(previous and previous["pain"], pain),
                "news2_change": _change(previous and previous["news2"], news2),
            }
        )
    return points


def _change(before: int | None, now: int | None) -> str:
    if before is None or now is None:
        return ""
    if now > before:
        return f"up {now - before}"
    if now < before:
        return f"down {before - now}"
    return "no change"
