"""When the next observations are due, on the record and the result page, and the observation
chart of every submitted round."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.review.factories import NEW_RED_FLAGS, WEAK_LEG, reassess
from tests.wizard.helpers import vitals_post
from triage.models import Round
from triage.obs_chart import PARAMETERS

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "review.css"


@pytest.fixture
def nurse_client(client, nurse):
    client.force_login(nurse)
    return client


def page_of(client, encounter, path: str = "") -> str:
    response = client.get(f"/encounters/{encounter.pk}/{path}")
    assert response.status_code == 200
    return response.content.decode()


def due_box(page: str) -> str:
    return page.split("data-obs-due")[1].split("</section>")[0]


def drawing(page: str) -> str:
    """The chart's SVG (the image; the row labels beside it are drawn apart)."""
    chart = page.split("data-obs-chart")[1]
    return (
        "<svg"
        + chart.split('<svg xmlns="http://www.w3.org/2000/svg" role="img"')[1].split("</svg>")[0]
    )


def local_clock(at) -> str:
    return f"{timezone.localtime(at):%H:%M}"


def test_the_record_says_when_the_next_observations_are_due(nurse_client, make_encounter):
    # NEWS2 0, three days after the procedure: 12-hourly.
    submitted = timezone.now() - timedelta(minutes=20)
    encounter = make_encounter(submitted_at=submitted, hours_since=72)
    box = due_box(page_of(nurse_client, encounter))
    assert "Next observations due</strong> by" in box
    assert local_clock(submitted + timedelta(hours=12)) in box
    assert re.search(r"\(in 11 h (39|40) min\)", box)  # the clock moves on while it runs
    assert "12-hourly." in box
    assert "NEWS2 of 0: 12-hourly observations" in box
    assert "data-overdue" not in page_of(nurse_client, encounter).split("data-obs-due")[1][:40]


def test_overdue_observations_say_since_when(nurse_client, make_encounter):
    # Within 48 hours of the procedure: 4-hourly, and 5 hours have gone by.
    submitted = timezone.now() - timedelta(hours=5)
    encounter = make_encounter(submitted_at=submitted, hours_since=10)
    page = page_of(nurse_client, encounter)
    box = due_box(page)
    assert "Observations overdue</strong> since" in box
    assert local_clock(submitted + timedelta(hours=4)) in box
    assert re.search(r"\(1 h( 1 min)? ago\)", box)
    assert "Within 48 hours of the procedure" in box
    assert "alert-danger" in page.split("data-obs-due")[0].rsplit("<section", 1)[1]


def test_a_news2_of_7_or_more_says_continuous_monitoring(nurse_client, make_encounter):
    encounter = make_encounter(answers=NEW_RED_FLAGS)
    box = due_box(page_of(nurse_client, encounter))
    assert "Continuous monitoring</strong> of vital signs" in box
    assert "Neuro checks due</strong> by" in box
    assert "Hourly." in box


def test_a_new_deficit_asks_for_hourly_neuro_checks(nurse_client, make_encounter):
    submitted = timezone.now()
    encounter = make_encounter(answers=WEAK_LEG, submitted_at=submitted, hours_since=72)
    box = due_box(page_of(nurse_client, encounter))
    neuro = box.split("data-obs-neuro")[1].split("</p>")[0]
    assert local_clock(submitted + timedelta(hours=1)) in neuro
    assert "Hourly." in neuro
    assert "hourly neuro checks" in box


def test_the_due_time_counts_from_the_latest_round(nurse_client, nurse, make_encounter):
    first = timezone.now() - timedelta(hours=3)
    encounter = make_encounter(submitted_at=first, hours_since=72)
    later = timezone.now() - timedelta(minutes=5)
    reassess(encounter, by=nurse, answers={"vitals": vitals_post(heart_rate="95")}, at=later)
    box = due_box(page_of(nurse_client, encounter, "?round=1"))
    assert "Counted from reassessment 2" in box
    assert "NEWS2 of 1: 4-hourly observations" in box
    assert local_clock(later + timedelta(hours=4)) in box


def test_the_result_page_shows_the_due_time_of_the_latest_round_only(
    nurse_client, nurse, make_encounter
):
    encounter = make_encounter(hours_since=72)
    assert "Next observations due" in page_of(nurse_client, encounter, "rounds/1/")
    reassess(encounter, by=nurse)
    assert "data-obs-due" not in page_of(nurse_client, encounter, "rounds/1/")
    assert "Next observations due" in page_of(nurse_client, encounter, "rounds/2/")


def test_a_signed_off_record_shows_its_due_time_until_discharge(
    physician_client, make_encounter, physician
):
    from tests.review.factories import discharge_now
    from triage.actions import review

    encounter = make_encounter()
    review.sign_off(encounter=encounter, by=physician, comment="", expected_version=None)
    assert "data-obs-due" in page_of(physician_client, encounter)
    assert "data-obs-due" in page_of(physician_client, encounter, "rounds/1/")
    discharge_now(encounter, by=physician)
    assert "data-obs-due" not in page_of(physician_client, encounter)
    assert "data-obs-due" not in page_of(physician_client, encounter, "rounds/1/")


# --- the observation chart -----------------------------------------------------------------


@pytest.fixture
def two_rounds(nurse, make_encounter):
    encounter = make_encounter(submitted_at=timezone.now() - timedelta(hours=4), hours_since=30)
    # Breathing 23 (2), SpO2 95 (1), pulse 104 (1), temperature 38.6 (1): NEWS2 5.
    reassess(
        encounter,
        by=nurse,
        answers={
            "vitals": vitals_post(
                respiratory_rate="23", spo2="95", heart_rate="104", temperature="38.6"
            )
        },
    )
    return encounter


def test_the_chart_has_one_mark_per_round_per_parameter_coloured_by_its_score(
    nurse_client, two_rounds
):
    page = page_of(nurse_client, two_rounds)
    chart = drawing(page)
    assert 'aria-labelledby="obs-chart-title"' in chart
    marks = re.findall(
        r'class="app-obs-mark app-obs-(?:score-(\d)|unscored)" data-parameter="(\w+)" '
        r'data-round="(\d)" data-score="(\d?)"',
        chart,
    )
    assert len(marks) == 2 * (len(PARAMETERS) + 1)  # and the NEWS2 total
    rounds = {r.number: r for r in Round.objects.filter(encounter=two_rounds)}
    for band, parameter, number, score in marks:
        assessment = rounds[int(number)].assessment
        if parameter == "news2":
            expected = {0: 0, 5: 2}[assessment["news2"]["score"]]
        else:
            expected = assessment["news2_detail"]["sub_scores"][parameter]
        assert (int(band), int(score)) == (expected, expected), parameter
    assert 'data-parameter="respiratory_rate" data-round="2" data-score="2"' in chart
    assert 'data-parameter="heart_rate" data-round="2" data-score="1"' in chart
    assert "<script" not in chart and "style=" not in chart


def test_the_charts_table_holds_each_rounds_figures(nurse_client, two_rounds):
    page = page_of(nurse_client, two_rounds)
    table = page.split("data-obs-table")[1].split("</table>")[0]
    assert "<caption>" in table
    rows = dict(re.findall(r'<tr data-parameter="(\w+)">(.*?)</tr>', table))
    assert set(rows) == {name for name, _, _ in PARAMETERS} | {"news2"}
    cells = {name: re.findall(r"<td>(.*?)</td>", row) for name, row in rows.items()}
    assert cells["respiratory_rate"] == ["15 per min (scores 0)", "23 per min (scores 2)"]
    assert cells["spo2"] == ["97% (scores 0)", "95% (scores 1)"]
    assert cells["air_or_oxygen"] == ["Air (scores 0)", "Air (scores 0)"]
    assert cells["systolic_bp"] == ["126 mmHg (scores 0)", "126 mmHg (scores 0)"]
    assert cells["heart_rate"] == ["70 per min (scores 0)", "104 per min (scores 1)"]
    assert cells["consciousness"] == ["Alert (scores 0)", "Alert (scores 0)"]
    assert cells["temperature"] == ["36.6 °C (scores 0)", "38.6 °C (scores 1)"]
    assert cells["news2"] == ["0", "5"]
    assert "First assessment" in table and "Reassessment 2" in table


def test_a_draft_round_is_not_charted(nurse_client, nurse, make_encounter):
    from triage.actions import encounters as actions

    encounter = make_encounter()
    actions.start_reassessment(encounter=encounter, by=nurse)
    chart = drawing(page_of(nurse_client, encounter))
    assert 'data-round="2"' not in chart
    assert chart.count("data-parameter=") == len(PARAMETERS) + 1


def test_the_chart_is_printed_whole_on_the_page():
    css = CSS.read_text()
    print_rules = css.split("@media print")[1]
    assert ".app-obs-chart { break-inside: avoid;" in print_rules
    assert ".app-obs-chart-scroll { overflow: visible;" in print_rules


def test_a_round_without_a_news2_is_charted_uncoloured_never_as_normal():
    from triage.obs_chart import observation_chart

    round = Round(
        number=1,
        status=Round.Status.SUBMITTED,
        submitted_at=timezone.now(),
        findings={"vitals": {"respiratory_rate": 18, "on_oxygen": True}},
        assessment={"news2": None, "news2_detail": {"reason": "incomplete"}},
    )
    chart = observation_chart([round])
    assert chart is not None
    marks = {row.parameter: row.marks[0] for row in chart.rows}
    assert all(mark.css_class == "app-obs-unscored" for mark in marks.values())
    assert (marks["respiratory_rate"].text, marks["air_or_oxygen"].text) == ("18", "O2")
    assert marks["heart_rate"].long_text == "not recorded"
    assert marks["news2"].text == "—"
    assert observation_chart([Round(number=1, status=Round.Status.DRAFT)]) is None


def test_two_charts_share_a_key_only_when_they_show_the_same():
    """The chart's key (of its rendered HTML) is a digest of all it is drawn from."""
    from triage.obs_chart import observation_chart

    at = timezone.now()

    def chart(number=1, when=at, rate=18, news2=1, sub_score=1):
        return observation_chart(
            [
                Round(
                    number=number,
                    status=Round.Status.SUBMITTED,
                    submitted_at=when,
                    findings={"vitals": {"respiratory_rate": rate}},
                    assessment={
                        "news2": {"score": news2, "band": "low"},
                        "news2_detail": {"sub_scores": {"respiratory_rate": sub_score}},
                    },
                )
            ]
        )

    assert chart().key == chart().key
    others = [
        chart(number=2),
        chart(when=at + timedelta(minutes=1)),
        chart(rate=19),
        chart(news2=2),
        chart(sub_score=0),
    ]
    assert len({chart().key, *(other.key for other in others)}) == 1 + len(others)
    here = chart().key
    with timezone.override("America/New_York"):  # its times are written in another zone
        assert chart().key != here


def test_a_chart_is_laid_out_only_when_drawn_and_a_kept_one_never():
    """A chart's key is worked out from its figures; its columns and cells only when its HTML
    is rendered, not when the HTML kept under that key is used."""
    from django.core.cache import caches
    from django.template.loader import render_to_string

    from triage.obs_chart import observation_chart

    def chart():
        at = timezone.now().replace(second=0, microsecond=0)
        findings = {"vitals": {"respiratory_rate": 24, "on_oxygen": False}}
        assessment = {"news2": {"score": 3, "band": "low_medium"}, "news2_detail": {}}
        return observation_chart(
            [
                Round(
                    number=1,
                    status=Round.Status.SUBMITTED,
                    submitted_at=at,
                    findings=findings,
                    assessment=assessment,
                )
            ]
        )

    caches["rendered"].clear()
    first, kept = chart(), chart()
    assert first.key == kept.key and "rows" not in vars(first) and "columns" not in vars(first)
    drawn = render_to_string("encounters/_obs_chart.html", {"chart": first, "chart_id": "c"})
    assert "rows" in vars(first) and ">24<" in drawn
    assert render_to_string("encounters/_obs_chart.html", {"chart": kept, "chart_id": "c"}) == drawn
    assert "rows" not in vars(kept) and "columns" not in vars(kept)


def test_the_schedule_kept_for_a_round_is_what_the_rules_give_for_it():
    from triage.clinical.observations_due import observations_due
    from triage.presenters import observations_due_in_words

    at = timezone.now() - timedelta(hours=1)
    cases = [
        ({"news2": {"score": 0, "band": "low"}}, at - timedelta(hours=72)),
        ({"news2": {"score": 0, "band": "low"}}, at - timedelta(hours=2)),  # early: differs
        ({"news2": {"score": 1}, "news2_detail": {"sub_scores": {"spo2": 3}}}, None),
        ({"news2": {"score": 1}, "red_flags": [{"code": "progressive_neuro_deficit"}]}, None),
        ({"news2": None, "pathways": [{"code": "cement_leak_neural"}]}, None),
        # A value no rule writes, that cannot be a key: worked out all the same.
        ({"news2": {"score": 2}, "news2_detail": {"sub_scores": {"spo2": [3]}}}, None),
    ]
    shown = []
    for assessment, procedure_at in cases:
        news2 = assessment.get("news2") or {}
        expected = observations_due(
            at=at,
            news2_total=news2.get("score"),
            sub_scores=(assessment.get("news2_detail") or {}).get("sub_scores"),
            band=news2.get("band"),
            red_flags=[flag["code"] for flag in assessment.get("red_flags") or []],
            pathways=[pathway["code"] for pathway in assessment.get("pathways") or []],
            procedure_at=procedure_at,
        )
        for _ in range(2):  # worked out, then kept
            due = observations_due_in_words(
                assessment, number=1, submitted_at=at, procedure_at=procedure_at
            )
            assert due["reasons"] == list(expected.reasons)
            assert due["neuro"]["at"] == expected.neuro_due
            assert due["continuous"] == expected.continuous
            if not expected.continuous:
                assert due["vitals"]["at"] == expected.vitals_due
        shown.append((due["vitals_every"], due["neuro_every"]))
    assert shown[0] != shown[1]  # the same scores, one round in the first 48 hours


def test_a_due_times_words_kept_for_one_time_zone_are_never_shown_in_another():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from triage.presenters import observations_due_in_words

    # Submitted 23:30 in London, neuro checks due at 03:30: the next day there, the same day
    # in New York (22:30).
    at = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    now = datetime(2026, 12, 6, 23, 45, tzinfo=UTC)
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    same_instant = at.astimezone(new_york)  # equal to `at`: kept under the same time

    def neuro(submitted_at, zone) -> str:
        due = observations_due_in_words(
            {"news2": {"score": 0, "band": "low"}},
            number=1,
            submitted_at=submitted_at,
            procedure_at=None,
            now=now,
            zone=zone,
        )
        return due["neuro"]["text"]

    for _ in range(2):  # written, then kept
        assert neuro(at, london) == "by 7 Dec 03:30 (in 3 h 45 min)"
        assert neuro(same_instant, new_york) == "by 22:30 (in 3 h 45 min)"
        assert neuro(same_instant, london) == neuro(at, london)
