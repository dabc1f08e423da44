"""The bedside wizard in a real browser at tablet size: the flows a nurse walks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    PHONE,
    TABLET,
    hold_first_autosave,
    screenshot,
    serious_violations,
    until_held,
)
from tests.browser.steps import (
    answer_neuro,
    answer_symptoms,
    answer_vitals,
    save_and_continue,
    start,
    wait_until_saved,
)
from triage.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_transient_pain_from_start_to_result_with_no_banner(nurse_page, live_server, axe):
    page = nurse_page
    problems = {}
    page.goto(live_server.url + "/encounters/new/")
    problems["patient"] = serious_violations(axe, page)
    screenshot(page, "wizard-patient")
    start(page, live_server)
    answer_symptoms(page)
    problems["symptoms"] = serious_violations(axe, page)
    screenshot(page, "wizard-symptoms")
    save_and_continue(page, "Neuro exam")
    answer_neuro(page)
    problems["neuro"] = serious_violations(axe, page)
    screenshot(page, "wizard-neuro")
    save_and_continue(page, "Vital signs")
    answer_vitals(page)
    expect(page.locator("[data-news2-score='0']")).to_be_visible()
    problems["vitals"] = serious_violations(axe, page)
    screenshot(page, "wizard-vitals")
    save_and_continue(page, "Imaging")
    page.get_by_label("Not done").check()
    problems["imaging"] = serious_violations(axe, page)
    screenshot(page, "wizard-imaging")
    save_and_continue(page, "Check your answers")
    problems["check"] = serious_violations(axe, page)
    screenshot(page, "wizard-check")
    page.get_by_role("button", name="Submit and see the result").click()
    expect(page.get_by_role("heading", name="Result", level=1)).to_be_visible()
    problems["result"] = serious_violations(axe, page)
    screenshot(page, "wizard-result")
    expect(page.locator("[data-pathway='transient_pain']")).to_be_visible()
    expect(page.locator("[data-red-flag]")).to_have_count(0)
    assert problems == {step: [] for step in problems}
    assert Round.objects.get().status == Round.Status.SUBMITTED


def test_new_leg_weakness_raises_the_banner_live_on_the_neuro_step(nurse_page, live_server):
    page = nurse_page
    start(page, live_server)
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    banner = page.locator("#red-flags [data-red-flag='progressive_neuro_deficit']")
    expect(banner).to_have_count(0)
    answer_neuro(page, weak_left_l4="3")
    expect(banner).to_be_visible()  # before any submit: the htmx autosave brought it
    expect(banner).to_contain_text("Call the on-call spinal team now")
    bar = page.locator("#live-bar")
    expect(bar).to_have_attribute("aria-live", "polite")
    expect(bar).to_contain_text("Emergency – red flag: Progressive neurological deficit")
    screenshot(page, "wizard-neuro-red-flag")
    assert Round.objects.get().status == Round.Status.DRAFT


def test_save_and_continue_waits_for_an_autosave_on_its_way(nurse_page, live_server):
    """Tapping the save button while the last answer's autosave is still travelling must not
    race it: the save waits, so it carries the version the autosave moved the record to."""
    page = nurse_page
    start(page, live_server)
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    answer_neuro(page)
    wait_until_saved(page)

    held, full_saves = hold_first_autosave(page, "**/neuro/")
    page.locator("#div_id_bowel_bladder").get_by_label(
        "Problem present before the procedure and unchanged"
    ).check()
    expect(page.locator("form[data-autosave].htmx-request")).to_have_count(1)
    assert until_held(page, held) == 1
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_timeout(500)
    assert full_saves == []  # held back while the autosave is out

    held[0].continue_()
    expect(page.get_by_role("heading", name="Vital signs", level=1)).to_be_visible()
    assert len(full_saves) == 1
    assert Round.objects.get().neuro["bowel_bladder"] == "stable_dysfunction"


def test_an_autosave_that_cannot_reach_the_server_says_so(nurse_page, live_server):
    page = nurse_page
    start(page, live_server)
    page.route("**/symptoms/", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Improving").check()
    expect(page.locator("#save-status")).to_have_text(
        "Not saved yet: the server could not be reached. Your answers are kept on this tablet "
        "and will be sent when the connection is back."
    )
    expect(page.get_by_label("Improving")).to_be_checked()


def test_respiratory_distress_with_news2_of_seven_or_more(nurse_page, live_server, console_errors):
    page = nurse_page
    start(page, live_server)
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    answer_neuro(page)
    save_and_continue(page, "Vital signs")
    answer_vitals(page, respiratory_rate="26", spo2="91", heart_rate="118", systolic_bp="95")
    expect(page.locator("#news2-panel")).to_contain_text("high")
    score = int(page.locator("#news2-panel [data-news2-score]").get_attribute("data-news2-score"))
    assert score >= 7
    expect(page.locator("#red-flags [data-red-flag='respiratory_distress']")).to_be_visible()
    expect(page.locator("#red-flags [data-red-flag='news2_high']")).to_be_visible()
    save_and_continue(page, "Imaging")
    page.get_by_label("Requested").check()
    save_and_continue(page, "Check your answers")
    page.get_by_role("button", name="Submit and see the result").click()
    expect(page.locator("main [data-red-flag='respiratory_distress']")).to_be_visible()
    expect(page.locator("[data-pathway='cement_embolism']")).to_contain_text("suspected")
    assert console_errors == []  # the whole flow ran without a CSP violation


def test_a_draft_resumes_at_the_right_step_after_logout(nurse_page, live_server, sign_in):
    page = nurse_page
    start(page, live_server, identifier="RESUME01")
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in("nurse1")
    page.goto(live_server.url + "/encounters/")
    page.get_by_role("link", name=re.compile("Resume at neuro exam")).click()
    expect(page.get_by_role("heading", name="Neuro exam", level=1)).to_be_visible()
    page.get_by_role("link", name="Symptoms").click()
    expect(page.locator("label.app-scale-4 input")).to_be_checked()


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_an_assessment_can_be_completed_with_the_keyboard_only(nurse_page, live_server):
    page = nurse_page
    start(page, live_server, identifier="KEYS01")
    tab_to(page, "#id_pain_score_0")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # radios move and select with the arrow keys
    for name in (
        "pain_course",
        "radicular_pain",
        "chest_pain",
        "dyspnoea",
        "uncontrolled_despite_analgesia",
    ):
        tab_to(page, f"input[name={name}]")
        page.keyboard.press("ArrowDown")  # second choice: "Unchanged" / "No"
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Neuro exam", level=1)).to_be_visible()
    symptoms = Round.objects.get().symptoms
    assert symptoms["pain_score"] == 3
    assert symptoms["pain_course"] == "unchanged"
    assert symptoms["chest_pain"] is False


TOUCH_TARGETS = ", ".join(
    f"main {css}"
    for css in (
        ".btn",
        ".form-control",
        ".form-select",
        ".form-check",
        ".app-scale-option",
        ".app-level-option",
    )
)
SIZE_CHECK = """(targets) => {
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height < 44) small.push(`${el.className} ${el.id} ${Math.round(r.height)}px`);
  }
  return {width: document.documentElement.scrollWidth, small};
}"""


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_every_step_fits_the_screen_with_large_touch_targets(nurse_page, live_server, viewport):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server, identifier="SIZE01")
    base = page.url.rsplit("/", 2)[0]
    for step in ("patient", "symptoms", "neuro", "vitals", "imaging", "check"):
        page.goto(f"{base}/{step}/")
        measured = page.evaluate(SIZE_CHECK, TOUCH_TARGETS)
        assert measured["width"] <= viewport["width"], (step, measured)
        assert measured["small"] == [], (step, measured["small"])
        screenshot(page, f"step-{step}")
