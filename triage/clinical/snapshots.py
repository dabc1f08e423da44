"""Assessments stored under an earlier contract: reading them, and re-assessing their findings.

Every submitted round keeps the assessment it showed, made by the rules of its day (its
``contract`` key; v1 before the clinical safety review, v2 since). Nothing stored is ever
recomputed in place. Two readers need to compare across versions: the review queue (how
urgent is each encounter?) and the look-back (which patients would the current rules treat
differently?). This module is their one place for what an old snapshot means today.

>>> stored_escalation({"contract": "v1", "red_flags": [], "pathways": [
...     {"code": "transient_pain", "status": "suspected"}]})
'routine'
>>> upgrade_findings({"imaging": {"status": "done", "modality": "ct", "findings": []}}, "v1")
{'imaging': {'status': 'done', 'modality': 'ct', 'findings': ['no_leak']}}
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from triage.clinical.assessment import CONTRACT_VERSION

# Escalations from least to most urgent; the rank orders the review queue.
ESCALATION_RANK: dict[str, int] = {"routine": 1, "urgent": 2, "emergency": 3}


def contract_of(snapshot: Mapping[str, Any]) -> str:
    """The contract a stored assessment was made under ("v1" if it does not say)."""
    return str(snapshot.get("contract") or "v1")


def stored_escalation(snapshot: Mapping[str, Any]) -> str:
    """The escalation a stored assessment implies.

    v2 assessments carry their own. v1 had none; the v2 rule read over v1's own output gives
    it: emergency on a red flag, routine when transient pain was offered, otherwise urgent.
    (v1's reassurance was sometimes wrong, which is what the look-back finds; this reads what
    it *said*.)

    >>> stored_escalation({"contract": "v2", "escalation": "urgent"})
    'urgent'
    >>> stored_escalation({"contract": "v1", "red_flags": [{"code": "news2_high"}]})
    'emergency'
    >>> stored_escalation({"contract": "v1", "red_flags": [], "pathways": []})
    'urgent'
    """
    if "escalation" in snapshot:
        return str(snapshot["escalation"])
    if snapshot.get("red_flags"):
        return "emergency"
    codes = {pathway.get("code") for pathway in snapshot.get("pathways") or ()}
    return "routine" if "transient_pain" in codes else "urgent"


def upgrade_findings(findings: Mapping[str, Any], version: str) -> dict[str, Any]:
    """Findings stored under contract `version`, in the current contract's vocabulary.

    v1 to v2: every v1 value is still a v2 value, except that v1 allowed a done scan with no
    findings (``[]``) for a normal scan, which v2 writes ``["no_leak"]``. What v1 never asked
    stays missing: no ``focal_signs`` (so the neuro exam reads as incomplete), no
    ``after_current_symptoms`` (so a scan excludes nothing), no ``oxygen_reason`` (so oxygen
    counts as started for a low saturation). That is the point: v1 reassured patients it had
    not asked those questions about.
    """
    if version not in ("v1", CONTRACT_VERSION):
        raise ValueError(f"unknown contract version {version!r}")
    upgraded = copy.deepcopy(dict(findings))
    imaging = upgraded.get("imaging")
    if (
        version == "v1"
        and isinstance(imaging, dict)
        and imaging.get("status") == "done"
        and imaging.get("findings") == []
    ):
        imaging["findings"] = ["no_leak"]
    return upgraded
