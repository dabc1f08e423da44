"""The encounter record of two submitted rounds: when the next observations are due and the
observation chart, on a tablet and a phone, accessible (axe)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.review.factories import SubmittedEncounterFactory, reassess
from tests.wizard.helpers import vitals_post
from triage.obs_chart import PARAMETERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "() => document.documentElement.scrollWidth"
# What sticks out past the right edge, to say what to fix.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def test_the_record_shows_the_due_time_and_the_chart(
    nurse_page: Page, live_server, nurse, axe, console_errors
):
    page = nurse_page
    encounter = SubmittedEncounterFactory(
        ward=nurse.wards.get(),
        created_by=nurse,
        patient_identifier="OBS001",
        submitted_at=timezone.now() - timedelta(hours=3),
        hours_since=20,
    )
    # Breathing 23 (2), SpO2 95 (1), pulse 104 (1), temperature 38.6 (1): NEWS2 5, hourly; but
    # breathing 23 is respiratory distress, a red flag: continuous monitoring, neuro checks hourly.
    answers = vitals_post(respiratory_rate="23", spo2="95", heart_rate="104", temperature="38.6")
    reassess(encounter, by=nurse, answers={"vitals": answers}, at=timezone.now())
    for viewport, name in ((TABLET, "tablet"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/encounters/{encounter.pk}/")
        due = page.locator("[data-obs-due]")
        expect(due).to_contain_text("Continuous monitoring of vital signs")
        expect(due).to_contain_text("Neuro checks due by")
        expect(due).to_contain_text("(in 59 min)")
        expect(due).to_contain_text("A red flag (emergency): continuous monitoring")
        expect(due).to_contain_text("NEWS2 of 5: hourly observations")
        expect(due).to_contain_text("Within 48 hours of the procedure")
        chart = page.get_by_role("img", name="Observation chart")
        expect(chart).to_be_visible()
        expect(chart.locator("[data-parameter]")).to_have_count(2 * (len(PARAMETERS) + 1))
        expect(page.locator('[data-parameter="respiratory_rate"][data-round="2"]')).to_have_class(
            "app-obs-mark app-obs-score-2"
        )
        table = page.get_by_role("table", name="Observation chart figures")
        expect(table).to_contain_text("23 per min (scores 2)")
        assert page.evaluate(WIDTH) <= viewport["width"], (name, page.evaluate(TOO_WIDE))
        assert serious_violations(axe, page) == [], name
        screenshot(page, f"observations-{name}")
        # What a nurse sees first, without scrolling.
        page.screenshot(path=str(screenshot_path(page, f"observations-first-screen-{name}")))
        page.locator("[data-obs-chart]").screenshot(
            path=str(screenshot_path(page, f"observations-chart-{name}"))
        )
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/encounters/{encounter.pk}/rounds/2/")
    expect(page.locator("[data-obs-due]")).to_contain_text("Continuous monitoring of vital signs")
    assert serious_violations(axe, page) == []
    screenshot(page, "observations-result")
    page.goto(f"{live_server.url}/encounters/{encounter.pk}/")
    page.emulate_media(media="print")
    expect(page.get_by_role("img", name="Observation chart")).to_be_visible()
    page.locator("[data-obs-chart]").screenshot(
        path=str(screenshot_path(page, "observations-chart-print"))
    )
    page.emulate_media(media="screen")


def screenshot_path(page: Page, name: str):
    from tests.browser.conftest import SCREENSHOTS

    size = page.viewport_size
    return SCREENSHOTS / f"{size['width']}x{size['height']}-{name}.png"


def test_a_long_chart_scrolls_in_its_own_box_with_the_latest_round_in_view(
    nurse_page: Page, live_server, nurse
):
    page = nurse_page
    start = timezone.now() - timedelta(hours=12)
    encounter = SubmittedEncounterFactory(
        ward=nurse.wards.get(), created_by=nurse, submitted_at=start, hours_since=20
    )
    for hour in range(1, 10):
        reassess(encounter, by=nurse, at=start + timedelta(hours=hour))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/encounters/{encounter.pk}/")
    assert page.evaluate(WIDTH) <= PHONE["width"], page.evaluate(TOO_WIDE)

    def across(number: int) -> tuple[float, float]:
        box = page.locator(f'[data-parameter="news2"][data-round="{number}"]').bounding_box()
        assert box is not None
        return box["x"], box["x"] + box["width"]

    left, right = across(10)
    assert left >= 0 and right <= PHONE["width"]  # the latest in view without scrolling
    assert across(1)[1] < 0  # the oldest scrolled off to the left
    page.locator("[data-obs-chart]").screenshot(
        path=str(screenshot_path(page, "observations-chart-long"))
    )
