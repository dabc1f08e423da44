"""A fast neuro exam: a normal exam in at most six taps, shortcuts that can be undone, a
reassessment that starts from the last baselines, and every choice readable on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.browser.steps import (
    answer_neuro,
    save_and_continue,
    start_to_neuro,
    submit_from_vitals,
)
from triage.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
COUNT_TAPS = "addEventListener('pointerdown', () => { sessionStorage.taps = +(sessionStorage.taps || 0) + 1 }, true)"  # noqa: E501
CLIPPED_OR_OFFSCREEN = """() => [...document.querySelectorAll('main select')].filter(s => {
  const r = s.getBoundingClientRect();
  return r.right > window.innerWidth || r.left < 0 || r.width < 120;
}).map(s => s.id)"""


@SIZES
def test_a_normal_neuro_exam_takes_at_most_six_taps(nurse_page, live_server, viewport, axe):
    page = nurse_page
    start_to_neuro(page, live_server, viewport)
    page.add_init_script(COUNT_TAPS)
    page.reload()
    page.get_by_role("button", name="All normal, before and now").click()
    page.locator("#div_id_saddle_anaesthesia").get_by_label("No", exact=True).check()
    page.locator("#div_id_bowel_bladder").get_by_label("Normal").check()
    page.locator("#div_id_focal_signs").get_by_label("No", exact=True).check()
    assert serious_violations(axe, page) == []
    screenshot(page, "neuro-all-normal")
    save_and_continue(page, "Vital signs")
    assert int(page.evaluate("() => sessionStorage.taps")) <= 6
    neuro = Round.objects.get().neuro
    assert neuro["power_L4_left_baseline"] == "5" and neuro["power_S1_right"] == "5"
    assert neuro["sensation_right_baseline"] == "normal" and neuro["sensation_left"] == "normal"


def test_a_shortcut_can_be_undone(nurse_page, live_server):
    page = nurse_page
    start_to_neuro(page, live_server, TABLET)
    page.locator("#id_power_L4_left_baseline").select_option("4")
    page.get_by_role("button", name="All normal, before and now").click()
    expect(page.locator("#id_power_L4_left_baseline")).to_have_value("5")
    expect(page.locator("[data-fill-status]")).to_contain_text("set to normal")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#id_power_L4_left_baseline")).to_have_value("4")
    expect(page.locator("#id_power_L4_left")).to_have_value("")
    expect(page.get_by_role("button", name="Undo")).to_be_hidden()


def test_now_the_same_as_before_copies_each_known_baseline_and_names_the_rest(
    nurse_page, live_server
):
    page = nurse_page
    start_to_neuro(page, live_server, TABLET)
    answer_neuro(page)
    page.locator("#id_power_L4_left_baseline").select_option("4")
    page.locator("#id_power_L5_right_baseline").select_option("unknown")
    page.locator("#id_power_L4_left").select_option("2")
    page.get_by_role("button", name="Now the same as before the procedure").click()
    expect(page.locator("#id_power_L4_left")).to_have_value("4")
    expect(page.locator("[data-fill-status]")).to_contain_text("1 “now” choices have no")
    expect(page.locator("#id_power_L5_right")).to_have_value("5")  # left as it was


def test_a_reassessment_shows_the_carried_baselines_to_check(nurse_page, live_server):
    page = nurse_page
    start_to_neuro(page, live_server, TABLET)
    answer_neuro(page)
    page.locator("#id_power_L4_left_baseline").select_option("4")
    page.locator("#id_power_L4_left").select_option("4")
    save_and_continue(page, "Vital signs")
    submit_from_vitals(page)
    page.goto(page.url.split("/rounds/")[0] + "/")
    page.get_by_role("button", name="Reassess the patient").click()
    page.get_by_role("link", name="Neuro exam").click()
    expect(page.locator("[data-carried-baselines]")).to_contain_text("assessment 1")
    expect(page.locator("#id_power_L4_left_baseline")).to_have_value("4")
    expect(page.locator("#id_power_L4_left")).to_have_value("")


@pytest.mark.parametrize("level", ["L1", "C6"])
@SIZES
def test_every_neuro_choice_is_on_screen_and_wide_enough_to_read(
    nurse_page, live_server, viewport, level
):
    page = nurse_page
    start_to_neuro(page, live_server, viewport, level=level)
    assert page.evaluate(CLIPPED_OR_OFFSCREEN) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"neuro-{level}")
