"""The SBAR handover of an encounter: each section from what is stored, in words, with the
record's access rules; a physician's read is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.review.factories import BREATHLESS, draft_encounter
from triage.handover import baselines, build
from triage.models import EncounterView
from triage.record_parts import rounds_with_overrides


def url(encounter) -> str:
    return f"/encounters/{encounter.pk}/handover/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def section(text: str, title: str, following: str | None) -> str:
    start = text.index(f" {title} ")
    return text[start : text.index(f" {following} ", start) if following else None]


def test_each_section_says_what_is_stored_in_words(client, nurse, exported):
    client.force_login(nurse)
    response = client.get(url(exported))
    assert response.status_code == 200
    text = text_of(response)
    situation = section(text, "Situation", "Background")
    background = section(text, "Background", "Assessment")
    assessment = section(text, "Assessment", "Recommendation")
    recommendation = section(text, "Recommendation", None)
    # Situation: the latest round (breathless) leads, in words, never in codes.
    assert "Respiratory distress" in situation
    assert "respiratory_distress" not in text
    # Background: the procedure, levels and the legs before it.
    assert exported.patient_identifier in background
    assert ", ".join(exported.levels) in background
    assert "Leg power before the procedure full (5/5) in every movement tested" in background
    # Assessment: the latest findings, NEWS2, and the trend of both rounds, legs included.
    assert "Reassessment 2" in assessment
    assert re.search(r"NEWS2 \d+ \(", assessment)
    trend = [row for row in response.context["handover"].trend if row["legs"] != "not assessed"]
    assert len(trend) == 2 and trend[0]["legs"] != trend[1]["legs"]  # weak leg, then normal
    # Recommendation: what to do, the imaging and the sign-off.
    assert "To do" in recommendation
    assert response.context["handover"].recommendation.items
    assert "signed off by physician1" in recommendation
    assert "Next observations" in recommendation  # signed off, but still on the ward


def test_the_recommendation_says_whether_the_escalation_was_passed_on(
    client, nurse, physician, red_flag_encounter
):
    from triage.actions import escalation

    client.force_login(nurse)
    rows = dict(client.get(url(red_flag_encounter)).context["handover"].recommendation.rows)
    assert rows["Escalation"].startswith("not recorded")
    escalation.acknowledge(encounter=red_flag_encounter, by=physician, expected_version=None)
    rows = dict(client.get(url(red_flag_encounter)).context["handover"].recommendation.rows)
    assert rows["Escalation"] == f"acknowledged by Dr {physician.last_name or physician.username}"


def test_an_open_record_says_when_the_next_observations_are_due(client, nurse, red_flag_encounter):
    client.force_login(nurse)
    response = client.get(url(red_flag_encounter))
    rows = dict(response.context["handover"].recommendation.rows)
    # A new leg weakness: a red flag, so continuous monitoring and hourly neuro checks,
    # whatever the NEWS2.
    assert rows["Neuro checks"].endswith(", hourly")
    assert rows["Next observations"] == "continuous monitoring"
    assert rows["Why that often"].startswith("A red flag (emergency): continuous monitoring")
    # Each reason a sentence: none runs into the next after a semicolon.
    why = rows["Why that often"]
    assert "; " not in why and why.endswith(".") and why.count(". ") >= 1
    assert "Observation chart" in response.content.decode()


def test_a_single_round_has_no_trend_table_and_an_unsigned_record_says_so(
    client, nurse, red_flag_encounter
):
    client.force_login(nurse)
    content = client.get(url(red_flag_encounter)).content.decode()
    assert "Trend across assessments" not in content
    assert "not signed off yet" in content


def test_the_hours_since_the_procedure_are_counted_to_now(red_flag_encounter):
    encounter = red_flag_encounter
    rounds = [round for round, _ in rounds_with_overrides(encounter)]
    later = encounter.procedure_at + timedelta(hours=30, minutes=10)
    rows = dict(build(encounter, rounds, None, now=later).background.rows)
    assert rows["Time since the procedure"] == "30 hours"
    encounter.procedure_at = None
    rows = dict(build(encounter, rounds, None, now=later).background.rows)
    assert rows["Time since the procedure"].startswith("not known")


@pytest.mark.parametrize(
    ("answers", "power", "sensation"),
    [
        ({}, "not recorded", "not recorded"),
        (
            {"power_L4_left_baseline": "5", "sensation_left_baseline": "normal"},
            "full (5/5) in every movement tested",
            "normal in both legs",
        ),
        (
            {
                "power_L4_left_baseline": "3",
                "power_L5_right_baseline": "unknown",
                "power_S1_left_baseline": "5",
                "sensation_left_baseline": "reduced",
            },
            "Left L4 ankle dorsiflexion 3/5; Right L5 big toe extension not recorded; the rest 5/5",
            "Left leg reduced",
        ),
    ],
)
def test_the_legs_before_the_procedure_are_summed_up_or_each_exception_named(
    answers, power, sensation
):
    rows = dict(baselines(answers))
    assert rows["Leg power before the procedure"] == power
    assert rows["Leg sensation before the procedure"] == sensation


def test_a_draft_has_no_handover(client, nurse, published_guidance, ward):
    draft = draft_encounter(by=nurse, ward=ward)
    client.force_login(nurse)
    assert client.get(url(draft)).status_code == 404


def test_a_physicians_read_is_audited_a_nurses_is_not(client, nurse, physician, exported):
    client.force_login(nurse)
    client.get(url(exported))
    assert not EncounterView.objects.filter(path=url(exported)).exists()
    client.force_login(physician)
    assert client.get(url(exported)).status_code == 200
    assert EncounterView.objects.get(path=url(exported)).user == physician


def test_the_record_page_links_to_the_handover(client, nurse, red_flag_encounter):
    client.force_login(nurse)
    page = client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    assert f'href="{url(red_flag_encounter)}"' in page


def test_scan_findings_are_each_said_in_words(client, nurse, make_encounter):
    from tests.review.factories import NEW_RED_FLAGS

    encounter = make_encounter(patient_identifier="SCAN1", answers=NEW_RED_FLAGS)
    client.force_login(nurse)
    rows = dict(client.get(url(encounter)).context["handover"].assessment.rows)
    assert "Cement embolism in the heart" in rows["Imaging"]
    assert "cardiac_cement_embolism" not in rows["Imaging"]


def test_breathless_alone_leads_with_its_red_flag(client, nurse, make_encounter):
    encounter = make_encounter(patient_identifier="BREATH1", answers=BREATHLESS)
    client.force_login(nurse)
    situation = section(text_of(client.get(url(encounter))), "Situation", "Background")
    assert "Emergency" in situation or "emergency" in situation
