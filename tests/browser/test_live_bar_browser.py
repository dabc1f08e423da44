"""A red flag is seen where the nurse is looking: the live bar stays in view at the bottom of a
long step, without covering the answer just given, and the flag is shown beside that answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.browser.steps import (
    answer_neuro,
    answer_symptoms,
    answer_vitals,
    save_and_continue,
    start,
    start_to_neuro,
    wait_until_saved,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
IN_VIEW = """(selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
}"""
OVERLAP = """([a, b]) => {
  const r = document.querySelector(a).getBoundingClientRect();
  const s = document.querySelector(b).getBoundingClientRect();
  return !(r.bottom <= s.top || s.bottom <= r.top);
}"""


@SIZES
def test_a_bladder_problem_at_the_foot_of_the_neuro_step_shows_the_bar_in_view(
    nurse_page, live_server, viewport, axe
):
    page = nurse_page
    start_to_neuro(page, live_server, viewport)
    answer_neuro(page)
    expect(page.locator("#live-bar [data-live-bar]")).to_have_count(0)
    answer = page.locator("#div_id_bowel_bladder").get_by_label(
        "New retention, incontinence or loss of control"
    )
    answer.scroll_into_view_if_needed()
    page.mouse.wheel(0, 5000)  # right at the foot of the page, as a nurse finishing the exam
    assert page.evaluate("() => window.scrollY") > 500
    answer.check()

    bar = page.locator("#live-bar [data-live-bar='emergency']")
    expect(bar).to_contain_text("Progressive neurological deficit")
    assert page.evaluate(IN_VIEW, "#live-bar [data-live-bar]")
    assert not page.evaluate(OVERLAP, ["#live-bar", "#id_bowel_bladder_2"])
    note = page.locator("#div_id_bowel_bladder [data-flag-note]")
    expect(note).to_have_text("Red flag Progressive neurological deficit")
    expect(page.locator("[data-flag-note]")).to_have_count(1)
    page.screenshot(path=f"screenshots/{viewport['width']}x{viewport['height']}-live-bar.png")
    assert serious_violations(axe, page) == []

    page.locator("#div_id_bowel_bladder").get_by_label("Normal").check()
    expect(page.locator("#live-bar [data-live-bar]")).to_have_count(0)
    expect(page.locator("[data-flag-note]")).to_have_count(0)


@SIZES
def test_chest_pain_and_breathlessness_show_the_bar_and_the_flag_beside_each(
    nurse_page, live_server, viewport
):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server)
    answer_symptoms(page)
    page.locator("#div_id_chest_pain").get_by_label("Yes").check()
    page.locator("#div_id_dyspnoea").get_by_label("Yes").check()
    expect(page.locator("#live-bar")).to_contain_text("Respiratory distress")
    assert page.evaluate(IN_VIEW, "#live-bar [data-live-bar]")
    for question in ("chest_pain", "dyspnoea"):
        expect(page.locator(f"#div_id_{question} [data-flag-note]")).to_contain_text(
            "Respiratory distress"
        )
    expect(page.locator("#div_id_radicular_pain [data-flag-note]")).to_have_count(0)
    screenshot(page, "symptoms-live-bar")

    page.get_by_role("link", name="What to do now").click()
    expect(page.locator("#escalation")).to_be_focused()
    expect(page.locator("#escalation")).to_contain_text("ABCDE")


@SIZES
def test_the_answer_just_given_stays_still_when_a_red_flag_appears_above_it(
    nurse_page, live_server, viewport
):
    """At the very top of a step the browser does not keep the content still (hazard A22):
    the page scrolls by what the regions above grew, so the next tap lands where it was aimed."""
    page = nurse_page
    start_to_neuro(page, live_server, viewport)
    answer_neuro(page)
    save_and_continue(page, "Vital signs")
    answer_vitals(page)
    wait_until_saved(page)
    expect(page.locator("#red-flags [data-red-flag]")).to_have_count(0)
    page.evaluate("() => window.scrollTo(0, 0)")
    answer = page.locator("#id_respiratory_rate")
    top = answer.evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 < top < viewport["height"] - 100  # in view, the page at its very top
    answer.fill("35")
    answer.press("Tab")
    expect(page.locator("#red-flags [data-red-flag]").first).to_be_visible()
    grown = page.evaluate("() => document.querySelector('#red-flags').offsetHeight")
    assert grown > 40  # the banner did grow above the question
    assert page.evaluate("() => window.scrollY") >= grown  # the page scrolled by as much
    assert abs(answer.evaluate("(el) => el.getBoundingClientRect().top") - top) <= 1
    expect(page.locator("#live-bar")).to_contain_text("Respiratory")
