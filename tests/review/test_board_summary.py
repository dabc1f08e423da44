"""A round's board summary: what a ward board row shows of its assessment, written by the
database from the stored snapshot (`Round.board_summary`), never by the application."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from tests.review.factories import BREATHLESS, WEAK_LEG, draft_encounter, reassess
from triage.models import Round

pytestmark = pytest.mark.django_db

SHOWN = ("escalation", "news2", "news2_detail", "red_flags", "pathways")


def expected_summary(assessment: dict[str, Any]) -> dict[str, Any]:
    """The summary as documented, worked out in Python from the whole assessment."""
    cut = {
        "pathways": lambda value: [pathway["code"] for pathway in value],
        "news2_detail": lambda value: {"sub_scores": value.get("sub_scores")},
        "red_flags": lambda value: (
            [{"code": flag.get("code"), "title": flag.get("title")} for flag in value] or None
        ),
    }
    return {
        key: cut.get(key, lambda value: value)(value)
        for key, value in assessment.items()
        if key in SHOWN
    }


def summary_of(assessment: Any) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT triage_board_summary(%s::jsonb)::text", [json.dumps(assessment)])
        (text,) = cursor.fetchone()
    return None if text is None else json.loads(text)


def test_a_submitted_round_keeps_the_keys_a_board_row_shows(make_encounter, nurse):
    encounter = make_encounter(patient_identifier="RED001", answers=WEAK_LEG)
    reassess(encounter, by=nurse, answers=BREATHLESS)
    for round in Round.objects.filter(encounter=encounter):
        summary, assessment = round.board_summary, round.assessment
        assert summary == expected_summary(assessment)
        assert set(summary) == set(SHOWN)
        # Red flags keep their order, with their code and title only.
        assert [flag["code"] for flag in summary["red_flags"] or []] == [
            flag["code"] for flag in assessment["red_flags"]
        ]
    first = Round.objects.get(encounter=encounter, number=1)
    assert first.board_summary["red_flags"], "a weak leg is a red flag"
    # What a row does not show stays out: the advice, a red flag's reasons and sources.
    assert "advice" in first.assessment and "advice" not in first.board_summary
    assert set(first.assessment["red_flags"][0]) > {"code", "title"}
    assert set(first.board_summary["red_flags"][0]) == {"code", "title"}


def test_a_draft_has_none(nurse):
    encounter = draft_encounter(by=nurse, ward=nurse.wards.get())
    assert Round.objects.get(encounter=encounter).board_summary is None


def test_an_older_assessment_keeps_only_the_keys_it_has():
    # Contract v1 stored no escalation; a malformed list of red flags shows none.
    v1 = {"contract": "v1", "news2": {"score": 3}, "red_flags": None, "pathways": [], "x": 1}
    assert summary_of(v1) == {"news2": {"score": 3}, "red_flags": None, "pathways": []}
    assert summary_of({"red_flags": {"code": "x"}}) == {"red_flags": None}
    assert summary_of({"contract": "v2"}) is None
    assert summary_of(None) is None
