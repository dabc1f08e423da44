"""Answers a nurse would give, as form posts, for the wizard tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from triage.findings_builder import ARM_MYOTOMES, MYOTOMES, SIDES


def patient_post(ward, *, hours_ago: float = 12, levels=("L1",), identifier="RX1234") -> dict:
    at = timezone.localtime(timezone.now() - timedelta(hours=hours_ago))
    return {
        "patient_identifier": identifier,
        "ward": str(ward.pk),
        "procedure_at": at.strftime("%Y-%m-%dT%H:%M"),
        "levels": list(levels),
    }


def symptoms_post(**overrides) -> dict:
    data = {
        "pain_score": "5",
        "pain_course": "improving",
        "radicular_pain": "no",
        "chest_pain": "no",
        "dyspnoea": "no",
        "uncontrolled_despite_analgesia": "no",
    }
    return {**data, **overrides}


def neuro_post(
    *,
    weak: dict[tuple[str, str], tuple[str, str]] | None = None,
    arms: bool = True,
    **overrides,
) -> dict:
    """Normal power (5/5, baseline 5/5) everywhere unless `weak` says (baseline, now), normal
    sensation, no new focal signs. The arms' answers are included unless `arms` is false: a
    form for a lumbar level does not ask them, so it drops them."""
    data: dict[str, str] = {}
    myotomes = [*MYOTOMES, *ARM_MYOTOMES] if arms else MYOTOMES
    for myotome, _ in myotomes:
        for side in SIDES:
            baseline, now = (weak or {}).get((myotome, side), ("5", "5"))
            data[f"power_{myotome}_{side}_baseline"] = baseline
            data[f"power_{myotome}_{side}"] = now
    for prefix in ("sensation", "arm_sensation") if arms else ("sensation",):
        for side in SIDES:
            data[f"{prefix}_{side}_baseline"] = "normal"
            data[f"{prefix}_{side}"] = "normal"
    data.update(saddle_anaesthesia="no", bowel_bladder="normal", focal_signs="no")
    return {**data, **overrides}


def vitals_post(**overrides) -> dict:
    data = {
        "respiratory_rate": "15",
        "spo2": "97",
        "spo2_scale": "1",
        "on_oxygen": "no",
        "systolic_bp": "126",
        "heart_rate": "70",
        "consciousness": "A",
        "temperature": "36.6",
    }
    return {**data, **overrides}


def imaging_post(**overrides) -> dict:
    return {"status": "not_done", **overrides}


def scan_post(*findings: str, modality: str = "mri", after: str = "yes", **overrides) -> dict:
    """A scan done after the current symptoms began, showing `findings` (normal if none)."""
    return {
        "status": "done",
        "modality": modality,
        "findings": list(findings) or ["no_leak"],
        "after_current_symptoms": after,
        **overrides,
    }


def session_ends(client) -> None:
    """The server forgets the session (idle timeout), while the browser keeps its cookies."""
    from django.conf import settings

    from triage.models import BrowserSession

    BrowserSession.objects.filter(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).delete()
