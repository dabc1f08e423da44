"""Stored rounds for the look-back: v1 snapshots as the v1 engine made them, and v2 rounds
submitted through the product's own actions."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import axe, browser_context_args, sign_in  # noqa: F401
from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory, reassess
from triage.clinical.snapshots import ESCALATION_RANK, stored_escalation
from triage.models import Encounter, Round

V1_SNAPSHOTS = json.loads((Path(__file__).parent / "v1_snapshots.json").read_text())["rounds"]
# Submitted before today's rules change, the first of the file the oldest.
V1_BASE = timezone.now().replace(microsecond=0) - timedelta(days=30)

# What the current rules (contract v2) change, worked out from the two contracts (see
# test_lookback.py): the most dangerous change first, then the newest.
EXPECTED_ORDER = [
    # routine (transient pain offered) -> emergency: two levels more urgent
    "systolic-82-pulse-128",
    "new-oxygen-spo2-95",
    "respiratory-rate-8",
    "unresponsive-systolic-90",
    # routine -> urgent: one level
    "fever-39-5",
    "neuro-partly-recorded",
    "radicular-pain-clear-ct",
    # same escalation, different pathways: emergency before urgent
    "new-weakness-mri-clear",
    "worse-pain-at-100-hours",
]
UNCHANGED = [
    "chest-pain-respiratory-distress",
    "sudden-increase-after-improvement",
    "foraminal-leak-on-ct",
]


def store_submitted_round(
    *, ward, nurse, guidance, name: str, findings, assessment, at, number: int = 1, encounter=None
) -> Round:
    """A submitted round inserted as it was stored in its day, with its encounter."""
    escalation = stored_escalation(assessment)
    if escalation not in ESCALATION_RANK:  # a malformed snapshot: queue it at the top
        escalation = "emergency"
    if encounter is None:
        encounter = Encounter.objects.create(
            ward=ward,
            patient_identifier=name[:32],
            procedure_at=at - timedelta(hours=12),
            levels=["L1"],
            created_by=nurse,
            submitted_at=at,
            last_submitted_at=at,
            escalation=escalation,
            queue_rank=ESCALATION_RANK[escalation],
            red_flag_codes=[flag["code"] for flag in assessment["red_flags"]],
            pathway_codes=[pathway["code"] for pathway in assessment["pathways"]],
        )
    return Round.objects.create(
        encounter=encounter,
        number=number,
        status=Round.Status.SUBMITTED,
        created_by=nurse,
        submitted_by=nurse,
        submitted_at=at,
        findings=findings,
        assessment=assessment,
        guidance_version=guidance,
        last_step="result",
    )


@pytest.fixture
def seed_v1(nurse, published_guidance):
    """Store v1 snapshots (all twelve by default) on `ward` (the nurse's by default); returns
    the rounds by name."""

    def seed(names=None, *, ward=None, prefix: str = "") -> dict[str, Round]:
        rounds = {}
        for index, item in enumerate(V1_SNAPSHOTS):
            if names is not None and item["name"] not in names:
                continue
            rounds[item["name"]] = store_submitted_round(
                ward=ward or nurse.wards.get(),
                nurse=nurse,
                guidance=published_guidance,
                name=prefix + item["name"],
                findings=item["findings"],
                assessment=item["assessment"],
                at=V1_BASE + timedelta(hours=index),
            )
        return rounds

    return seed


@pytest.fixture
def v2_rounds(nurse, published_guidance) -> list[Encounter]:
    """Rounds submitted today through the wizard's forms and actions, under the current rules:
    a well patient, one with new weakness, and one reassessed."""
    now = timezone.now()
    ward = nurse.wards.get()
    well = SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="V2-WELL")
    weak = SubmittedEncounterFactory(
        ward=ward, created_by=nurse, patient_identifier="V2-WEAK", answers=WEAK_LEG
    )
    twice = SubmittedEncounterFactory(
        ward=ward, created_by=nurse, patient_identifier="V2-TWICE", submitted_at=now
    )
    reassess(twice, by=nurse, answers=WEAK_LEG, at=now + timedelta(minutes=30))
    return [well, weak, twice]
