"""When the next observations are due: each NEWS2 band edge, the first 48 hours after the
procedure, neuro red flags, and the most frequent rule winning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from triage.clinical.explain import RED_FLAG_CODES
from triage.clinical.observations_due import (
    CONTINUOUS,
    FOUR_HOURLY,
    HOURLY,
    TWELVE_HOURLY,
    observations_due,
)

AT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
LATE = AT - timedelta(hours=72)  # well after the first 48 hours


def due(
    total: int | None = 0,
    *,
    sub_scores: dict[str, int] | None = None,
    red_flags: tuple[str, ...] = (),
    pathways: tuple[str, ...] = (),
    procedure_at: datetime | None = LATE,
    band: str | None = None,
):
    return observations_due(
        at=AT,
        news2_total=total,
        sub_scores=sub_scores,
        red_flags=red_flags,
        pathways=pathways,
        procedure_at=procedure_at,
        band=band,
    )


@pytest.mark.parametrize(
    ("total", "interval"),
    [
        pytest.param(0, TWELVE_HOURLY, id="0"),
        pytest.param(1, FOUR_HOURLY, id="1"),
        pytest.param(4, FOUR_HOURLY, id="4"),
        pytest.param(5, HOURLY, id="5"),
        pytest.param(6, HOURLY, id="6"),
    ],
)
def test_each_news2_band_edge_sets_the_interval(total, interval):
    result = due(total)
    assert result.vitals_interval == interval
    assert result.vitals_due == AT + interval
    assert result.reasons[0].startswith(f"NEWS2 of {total}: ")


@pytest.mark.parametrize("total", [7, 8, 20])
def test_a_news2_of_7_or_more_needs_continuous_monitoring(total):
    result = due(total)
    assert result.vitals_due == CONTINUOUS
    assert result.continuous
    assert result.vitals_interval is None
    assert result.reasons[0] == f"NEWS2 of {total}: continuous monitoring"
    # Neuro checks cannot be continuous: at least hourly.
    assert result.neuro_interval == HOURLY


def test_a_single_parameter_scoring_3_is_hourly_whatever_the_total():
    result = due(3, sub_scores={"respiratory_rate": 3, "spo2": 0, "air_or_oxygen": 0})
    assert result.vitals_interval == HOURLY
    assert "one observation scoring 3" in result.reasons[0]


def test_air_or_oxygen_scoring_2_is_not_a_single_3():
    assert due(2, sub_scores={"air_or_oxygen": 2}).vitals_interval == FOUR_HOURLY


def test_a_stored_band_says_single_3_when_the_sub_scores_are_missing():
    assert due(3, band="low_medium").vitals_interval == HOURLY


def test_no_news2_calculated_asks_for_observations_within_the_hour():
    result = due(None)
    assert result.vitals_interval == HOURLY
    assert result.reasons[0].startswith("NEWS2 not calculated")


@pytest.mark.parametrize(
    ("after", "within"),
    [
        pytest.param(timedelta(hours=47, minutes=59), True, id="47h59"),
        pytest.param(timedelta(hours=48), True, id="48h00"),
        pytest.param(timedelta(hours=48, minutes=1), False, id="48h01"),
    ],
)
def test_the_first_48_hours_need_at_least_4_hourly_vitals_and_neuro_checks(after, within):
    result = due(0, procedure_at=AT - after)
    expected = FOUR_HOURLY if within else TWELVE_HOURLY
    assert result.vitals_interval == expected
    assert result.neuro_interval == expected
    assert any(r.startswith("Within 48 hours") for r in result.reasons) is within


def test_an_unknown_procedure_time_counts_as_within_48_hours():
    result = due(0, procedure_at=None)
    assert result.vitals_interval == FOUR_HOURLY
    assert result.neuro_interval == FOUR_HOURLY
    assert "Procedure time not recorded" in result.reasons[0]


@pytest.mark.parametrize(
    ("red_flags", "pathways"),
    [
        pytest.param(("progressive_neuro_deficit",), (), id="deficit"),
        pytest.param(("cord_compression",), (), id="cord-compression"),
        pytest.param(("stroke_signs",), (), id="stroke"),
        pytest.param(("altered_consciousness",), (), id="consciousness"),
        pytest.param(("systemic_embolism",), (), id="embolism"),
        pytest.param((), ("cord_compression",), id="cord-compression-suspected"),
        pytest.param((), ("cement_leak_neural",), id="neural-leak"),
    ],
)
def test_a_neuro_red_flag_or_pathway_needs_hourly_neuro_checks(red_flags, pathways):
    result = due(0, red_flags=red_flags, pathways=pathways)
    assert result.neuro_interval == HOURLY
    assert result.neuro_due == AT + HOURLY
    # A red flag is an emergency: its vital signs are monitored continuously; a suspected
    # pathway alone leaves them with NEWS2.
    assert result.vitals_interval == (None if red_flags else TWELVE_HOURLY)
    assert any("hourly neuro checks" in r for r in result.reasons)


@pytest.mark.parametrize("red_flag", RED_FLAG_CODES)
def test_any_red_flag_needs_continuous_monitoring_whatever_the_news2(red_flag):
    result = due(0, red_flags=(red_flag,))
    assert result.continuous and result.vitals_due == CONTINUOUS
    assert result.neuro_interval == HOURLY  # at least hourly while monitored continuously
    assert result.reasons[0] == (
        "A red flag (emergency): continuous monitoring until the emergency team has seen "
        "the patient"
    )
    assert "NEWS2 of 0: 12-hourly observations" in result.reasons  # listed, not followed


def test_a_pathway_without_a_red_flag_leaves_the_neuro_checks_with_the_observations():
    result = due(2, pathways=("infection",))
    assert result.neuro_interval == FOUR_HOURLY
    assert result.reasons == ("NEWS2 of 2: 4-hourly observations",)


def test_the_most_frequent_schedule_wins():
    # NEWS2 0 (12-hourly) within 48 hours (4-hourly): 4-hourly, its reason first.
    early = due(0, procedure_at=AT - timedelta(hours=6))
    assert early.vitals_interval == FOUR_HOURLY
    assert early.reasons[0].startswith("Within 48 hours")
    assert early.reasons[1] == "NEWS2 of 0: 12-hourly observations"
    # NEWS2 5 (hourly) within 48 hours (4-hourly): hourly.
    assert due(5, procedure_at=AT - timedelta(hours=6)).vitals_interval == HOURLY
    # NEWS2 7 (continuous) beats everything; a neuro flag keeps the neuro checks hourly.
    worst = due(7, red_flags=("progressive_neuro_deficit",), procedure_at=None)
    assert worst.continuous
    assert worst.neuro_interval == HOURLY
    assert worst.reasons[0].startswith("A red flag (emergency): continuous monitoring")
    assert worst.reasons[1] == "NEWS2 of 7: continuous monitoring"
