"""The bridge from stored answers to the clinical engine (which knows nothing of Django)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from triage.clinical import Assessment, assess_json
from triage.clinical.findings import QUESTION_SECTIONS
from triage.findings_builder import build_findings
from triage.models import Round


def round_findings(
    round: Round, *, at: datetime, replace: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The contract findings of a round as of `at`; `replace` swaps in unsaved step answers."""
    sections = {name: getattr(round, name) for name in QUESTION_SECTIONS} | (replace or {})
    encounter = round.encounter
    return build_findings(
        procedure_at=encounter.procedure_at, levels=encounter.levels, sections=sections, at=at
    )


def assess_round(
    round: Round, *, at: datetime, replace: dict[str, dict[str, Any]] | None = None
) -> tuple[dict[str, Any], Assessment]:
    findings = round_findings(round, at=at, replace=replace)
    return findings, assess_json(findings)
