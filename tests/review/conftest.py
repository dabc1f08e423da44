from __future__ import annotations

import pytest

from tests.browser.conftest import axe, browser_context_args, sign_in  # noqa: F401
from tests.review.factories import BREATHLESS, WEAK_LEG, SubmittedEncounterFactory, reassess
from triage.actions import review as actions


@pytest.fixture
def make_encounter(nurse, published_guidance):
    """Submitted encounters of the ward, entered by `nurse`."""

    def make(**kwargs):
        kwargs.setdefault("ward", nurse.wards.get())
        kwargs.setdefault("created_by", nurse)
        return SubmittedEncounterFactory(**kwargs)

    return make


@pytest.fixture
def red_flag_encounter(make_encounter):
    return make_encounter(patient_identifier="RED001", answers=WEAK_LEG)


@pytest.fixture
def physician_client(client, physician):
    client.force_login(physician)
    return client


@pytest.fixture
def exported(red_flag_encounter, nurse, physician):
    """Round 1 with a weak leg (a red flag), overridden; round 2 breathless; signed off, with an
    addendum: an encounter with something in every part of its record."""
    encounter = red_flag_encounter
    reassess(encounter, by=nurse, answers=BREATHLESS)
    actions.add_override(
        round=encounter.rounds.get(number=1),
        by=physician,
        kind="pathway",
        code="cord_compression",
        decision="confirmed",
        reason="MRI: cement in the canal",
        expected_version=None,
    )
    actions.sign_off(encounter=encounter, by=physician, comment="Seen", expected_version=None)
    actions.add_addendum(encounter=encounter, by=physician, text="Surgery", expected_version=None)
    return encounter


@pytest.fixture
def with_v1_round(red_flag_encounter, nurse, published_guidance):
    """The red-flag encounter with a second round stored as assessed under rules v1."""
    from django.utils import timezone

    from tests.lookback.conftest import V1_SNAPSHOTS, store_submitted_round

    old = V1_SNAPSHOTS[0]
    store_submitted_round(
        ward=red_flag_encounter.ward,
        nurse=nurse,
        guidance=published_guidance,
        name="unused",
        findings=old["findings"],
        assessment=old["assessment"],
        at=timezone.now(),
        number=2,
        encounter=red_flag_encounter,
    )
    return red_flag_encounter
