"""NEWS2 (RCP 2017): every boundary of every parameter on both sides, and every band edge."""

from __future__ import annotations

import pytest

from triage.clinical import assess_json, news2
from triage.clinical.early_warning import News2, round_temperature
from triage.clinical.explain import FIELD_LABELS
from triage.clinical.findings import NEWS2_PARAMETERS, Vitals

# Every parameter in its 0-scoring range, so one change shows one sub-score.
NORMAL = {
    "respiratory_rate": 16,
    "spo2": 97,
    "on_oxygen": False,
    "systolic_bp": 130,
    "heart_rate": 70,
    "consciousness": "A",
    "temperature": 37.0,
}


def score_with(**changes: object) -> News2:
    result = news2(Vitals(**{**NORMAL, **changes}))
    assert result is not None
    return result


def test_normal_vitals_score_zero():
    result = score_with()
    assert (result.score, result.band) == (0, "low")
    assert result.sub_scores == dict.fromkeys(result.sub_scores, 0)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (80, 3)],
)
def test_respiratory_rate(rate: int, expected: int):
    result = score_with(respiratory_rate=rate)
    assert (result.respiratory_rate, result.score) == (expected, expected)


@pytest.mark.parametrize(
    ("spo2", "expected"),
    [(50, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)],
)
@pytest.mark.parametrize("scale", [None, 1])
def test_spo2_scale_1(spo2: int, expected: int, scale: int | None):
    """Scale 1 is the default when spo2_scale is absent."""
    result = score_with(spo2=spo2, spo2_scale=scale)
    assert (result.spo2, result.score, result.spo2_scale) == (expected, expected, 1)


@pytest.mark.parametrize(("spo2", "expected"), [(94, 1), (96, 0), (100, 0)])
def test_spo2_scale_1_does_not_depend_on_oxygen(spo2: int, expected: int):
    result = score_with(spo2=spo2, on_oxygen=True)
    assert (result.spo2, result.air_or_oxygen, result.score) == (expected, 2, expected + 2)


@pytest.mark.parametrize(
    ("spo2", "expected"),
    [
        (50, 3),
        (83, 3),
        (84, 2),
        (85, 2),
        (86, 1),
        (87, 1),
        (88, 0),
        (92, 0),
        (93, 0),
        (94, 0),
        (95, 0),
        (96, 0),
        (97, 0),
        (100, 0),
    ],
)
def test_spo2_scale_2_on_air(spo2: int, expected: int):
    result = score_with(spo2=spo2, spo2_scale=2, on_oxygen=False)
    assert (result.spo2, result.score, result.spo2_scale) == (expected, expected, 2)


@pytest.mark.parametrize(
    ("spo2", "expected"),
    [
        (50, 3),
        (83, 3),
        (84, 2),
        (85, 2),
        (86, 1),
        (87, 1),
        (88, 0),
        (92, 0),
        (93, 1),
        (94, 1),
        (95, 2),
        (96, 2),
        (97, 3),
        (100, 3),
    ],
)
def test_spo2_scale_2_on_oxygen(spo2: int, expected: int):
    """On scale 2, high saturations score only on oxygen (the risk is over-oxygenation)."""
    result = score_with(spo2=spo2, spo2_scale=2, on_oxygen=True)
    assert (result.spo2, result.air_or_oxygen) == (expected, 2)
    assert result.score == expected + 2


@pytest.mark.parametrize(("on_oxygen", "expected"), [(False, 0), (True, 2)])
def test_air_or_oxygen(on_oxygen: bool, expected: int):
    result = score_with(on_oxygen=on_oxygen)
    assert (result.air_or_oxygen, result.score) == (expected, expected)


@pytest.mark.parametrize(
    ("systolic", "expected"),
    [
        (40, 3),
        (90, 3),
        (91, 2),
        (100, 2),
        (101, 1),
        (110, 1),
        (111, 0),
        (219, 0),
        (220, 3),
        (300, 3),
    ],
)
def test_systolic_bp(systolic: int, expected: int):
    result = score_with(systolic_bp=systolic)
    assert (result.systolic_bp, result.score) == (expected, expected)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (20, 3),
        (40, 3),
        (41, 1),
        (50, 1),
        (51, 0),
        (90, 0),
        (91, 1),
        (110, 1),
        (111, 2),
        (130, 2),
        (131, 3),
        (250, 3),
    ],
)
def test_heart_rate(rate: int, expected: int):
    result = score_with(heart_rate=rate)
    assert (result.heart_rate, result.score) == (expected, expected)


@pytest.mark.parametrize(("level", "expected"), [("A", 0), ("C", 3), ("V", 3), ("P", 3), ("U", 3)])
def test_consciousness(level: str, expected: int):
    result = score_with(consciousness=level)
    assert (result.consciousness, result.score) == (expected, expected)


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [
        (30.0, 3),
        (35.0, 3),
        (35.1, 1),
        (36.0, 1),
        (36.1, 0),
        (38.0, 0),
        (38.1, 1),
        (39.0, 1),
        (39.1, 2),
        (45.0, 2),
        (35, 3),  # an int is a temperature too
        (37, 0),
    ],
)
def test_temperature(temperature: float, expected: int):
    result = score_with(temperature=temperature)
    assert (result.temperature, result.score) == (expected, expected)


@pytest.mark.parametrize(
    ("temperature", "rounded", "expected"),
    [
        (34.96, "35.0", 3),
        (35.04, "35.0", 3),
        (35.05, "35.1", 1),
        (36.04, "36.0", 1),
        (36.05, "36.1", 0),
        (38.04, "38.0", 0),
        (38.05, "38.1", 1),  # 38.05 is 38.0499999... as a float: rounded as typed, not as stored
        (38.049999, "38.0", 0),
        (38.0500001, "38.1", 1),
        (39.04, "39.0", 1),
        (39.05, "39.1", 2),
    ],
)
def test_temperature_is_rounded_half_up_to_one_decimal_before_scoring(
    temperature: float, rounded: str, expected: int
):
    assert str(round_temperature(temperature)) == rounded
    result = score_with(temperature=temperature)
    assert result.temperature == expected
    assert str(result.temperature_scored) == rounded


BAND_CASES = [
    # (changes, score, band)
    ({}, 0, "low"),
    ({"respiratory_rate": 21, "heart_rate": 111}, 4, "low"),
    ({"on_oxygen": True, "respiratory_rate": 21}, 4, "low"),  # oxygen scores 2, never 3
    ({"respiratory_rate": 21, "heart_rate": 111, "temperature": 38.1}, 5, "medium"),
    (
        {"respiratory_rate": 21, "heart_rate": 111, "systolic_bp": 105, "temperature": 38.1},
        6,
        "medium",
    ),
    (
        {"respiratory_rate": 21, "heart_rate": 111, "systolic_bp": 100, "temperature": 38.1},
        7,
        "high",
    ),
    ({"consciousness": "V"}, 3, "low_medium"),
    ({"consciousness": "V", "temperature": 38.1}, 4, "low_medium"),
    ({"consciousness": "V", "respiratory_rate": 21}, 5, "medium"),
    ({"respiratory_rate": 25, "heart_rate": 111}, 5, "medium"),
    ({"respiratory_rate": 25, "heart_rate": 131, "systolic_bp": 90}, 9, "high"),
    ({"respiratory_rate": 8, "on_oxygen": True, "consciousness": "U"}, 8, "high"),
]


@pytest.mark.parametrize(("changes", "score", "band"), BAND_CASES)
def test_band_edges(changes: dict, score: int, band: str):
    result = score_with(**changes)
    assert (result.score, result.band) == (score, band)
    assert result.score == sum(result.sub_scores.values())


@pytest.mark.parametrize(
    ("changes", "response_words", "monitoring_words"),
    [
        ({}, "Routine monitoring", "12 hours"),  # a score of 0 is not the 1-4 response
        ({"heart_rate": 91}, "registered nurse", "4-6 hours"),
        ({"consciousness": "C"}, "informs the medical team", "every hour"),
        (
            {"respiratory_rate": 21, "heart_rate": 111, "temperature": 38.1},
            "urgently",
            "every hour",
        ),
        (
            {"respiratory_rate": 25, "heart_rate": 131, "systolic_bp": 90},
            "critical-care",
            "Continuous",
        ),
    ],
)
def test_each_band_calls_for_its_response_and_monitoring(
    changes: dict, response_words: str, monitoring_words: str
):
    result = score_with(**changes)
    assert response_words in result.response
    assert monitoring_words in result.monitoring


@pytest.mark.parametrize("missing", NEWS2_PARAMETERS)
def test_it_is_null_unless_all_seven_parameters_are_present(missing: str):
    vitals = {**NORMAL}
    del vitals[missing]
    assert news2(Vitals(**vitals)) is None
    result = assess_json({"vitals": vitals}).to_dict()
    assert result["news2"] is None
    assert result["news2_detail"]["score"] is None
    assert result["news2_detail"]["missing"] == [missing]
    label = FIELD_LABELS[f"vitals.{missing}"]
    assert result["news2_detail"]["reason"] == f"NEWS2 not scored yet: record {label}"
    assert f"Vital signs incomplete: {label} not recorded" in " ".join(result["warnings"])
    assert result["incomplete"] == ["vitals"]


def test_it_is_null_without_vitals():
    assert news2(None) is None
    result = assess_json({}).to_dict()
    assert result["news2"] is None
    assert result["news2_detail"]["missing"] == list(NEWS2_PARAMETERS)


def test_spo2_scale_alone_does_not_make_a_score():
    assert news2(Vitals(spo2_scale=2)) is None


def test_the_assessment_reports_score_band_and_sub_scores():
    result = assess_json({"vitals": {**NORMAL, "consciousness": "P"}}).to_dict()
    assert result["news2"] == {"score": 3, "band": "low_medium"}
    detail = result["news2_detail"]
    assert detail["sub_scores"] == {
        "respiratory_rate": 0,
        "spo2": 0,
        "air_or_oxygen": 0,
        "systolic_bp": 0,
        "heart_rate": 0,
        "consciousness": 3,
        "temperature": 0,
    }
    assert detail["single_parameter_3"] is True
    assert detail["spo2_scale"] == 1
    assert "every hour" in detail["monitoring"]
