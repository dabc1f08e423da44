"""Rules v2 in the browser: the escalation leads live and on the result, the arms are examined
after a cervical level, and follow-up questions appear only when they apply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TABLET, serious_violations
from tests.browser.steps import (
    answer_neuro,
    answer_symptoms,
    answer_vitals,
    save_and_continue,
    start,
    wait_until_saved,
)
from tests.browser.test_wizard_browser import SIZE_CHECK, TOUCH_TARGETS
from triage.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Is the first element before the second in the page (document order)?
PRECEDES = """([a, b]) => {
  const first = document.querySelector(a), second = document.querySelector(b);
  if (!first || !second) return false;
  return Boolean(first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def test_an_unresponsive_patient_shows_the_emergency_live_and_the_result_leads_with_it(
    nurse_page, live_server, axe, console_errors
):
    page = nurse_page
    start(page, live_server, identifier="UNRESP01")
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    answer_neuro(page)
    save_and_continue(page, "Vital signs")
    summary = page.locator("#escalation [data-escalation]")
    answer_vitals(page)
    expect(summary).to_have_attribute("data-escalation", "routine")  # a well patient so far
    page.get_by_label("U – Unresponsive").check()
    expect(summary).to_have_attribute("data-escalation", "emergency")  # live, by the autosave
    expect(summary.get_by_role("heading")).to_have_text("Emergency: call the emergency team now")
    expect(summary).to_contain_text("ABCDE assessment now")
    expect(page.locator("#red-flags [data-red-flag='altered_consciousness']")).to_be_visible()
    assert page.evaluate(PRECEDES, ["#escalation", "#red-flags"])
    assert Round.objects.get().status == Round.Status.DRAFT  # before any submit
    problems = {"vitals": serious_violations(axe, page)}
    save_and_continue(page, "Imaging")
    page.get_by_label("Not done").check()
    save_and_continue(page, "Check your answers")
    expect(page.locator("#escalation [data-escalation='emergency']")).to_be_visible()
    page.get_by_role("button", name="Submit and see the result").click()
    expect(page.get_by_role("heading", name="Result", level=1)).to_be_visible()
    lead = page.locator("main [data-escalation]").first
    expect(lead).to_have_attribute("data-escalation", "emergency")
    expect(lead).to_contain_text("Emergency: call the emergency team now")
    assert page.evaluate(PRECEDES, ["main [data-escalation]", "main [data-red-flag]"])
    assert page.evaluate(PRECEDES, ["main [data-escalation]", "main [data-pathway]"])
    problems["result"] = serious_violations(axe, page)
    assert problems == {"vitals": [], "result": []}
    assert Round.objects.get().assessment["escalation"] == "emergency"


def test_a_cervical_level_is_asked_the_arm_exam(nurse_page, live_server, axe):
    page = nurse_page
    start(page, live_server, identifier="NECK01", level="C6")
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    expect(page.get_by_role("heading", name="Arm power (MRC 0–5)")).to_be_visible()
    expect(page.get_by_label("Left C6 (wrist extension): power now")).to_be_visible()
    expect(page.get_by_label("Right arm sensation now")).to_be_visible()
    answer_neuro(page)
    assert serious_violations(axe, page) == []
    save_and_continue(page, "Vital signs")
    neuro = Round.objects.get().neuro
    assert neuro["power_T1_right"] == "5"
    assert neuro["arm_sensation_left"] == "normal"


def test_a_lumbar_level_is_not_asked_the_arm_exam(nurse_page, live_server):
    page = nurse_page
    start(page, live_server, identifier="BACK01", level="L1")
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    expect(page.get_by_role("heading", name="Leg power (MRC 0–5)")).to_be_visible()
    expect(page.get_by_role("heading", name="Arm power (MRC 0–5)")).to_have_count(0)
    expect(page.locator("#id_power_C6_left")).to_have_count(0)


VIEWPORTS = pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])


@VIEWPORTS
def test_the_side_of_radicular_pain_is_asked_only_with_radicular_pain(
    nurse_page, live_server, axe, viewport
):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server, identifier="SIDE01")
    side = page.locator("#div_id_radicular_side")
    radicular = page.locator("#div_id_radicular_pain")
    expect(side).to_be_hidden()
    answer_symptoms(page)  # "No" radicular pain among them
    expect(side).to_be_hidden()
    radicular.get_by_label("Yes").check()
    expect(side).to_be_visible()
    side.get_by_label("Left").check()
    wait_until_saved(page)
    assert Round.objects.get().symptoms["radicular_side"] == "left"
    assert serious_violations(axe, page) == []
    radicular.get_by_label("No").check()
    expect(side).to_be_hidden()
    wait_until_saved(page)
    assert Round.objects.get().symptoms.get("radicular_side", "") == ""
    # The server has answered this last autosave before the test ends (and its data goes).
    with page.expect_response(lambda r: r.request.method == "POST" and "/symptoms/" in r.url):
        radicular.get_by_label("Yes").check()
    expect(side.get_by_label("Left")).not_to_be_checked()  # the hidden answer was cleared


@VIEWPORTS
def test_the_reason_for_oxygen_appears_only_on_oxygen_and_is_not_kept_on_air(
    nurse_page, live_server, axe, viewport
):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server, identifier="OXY01")
    page.goto(page.url.replace("/symptoms/", "/vitals/"))
    reason = page.locator("#div_id_oxygen_reason")
    answer_vitals(page)
    expect(reason).to_be_hidden()
    page.locator("#div_id_on_oxygen").get_by_label("Yes").check()
    expect(reason).to_be_visible()
    page.get_by_label("Their usual home oxygen, at the usual flow").check()
    wait_until_saved(page)
    assert Round.objects.get().vitals["oxygen_reason"] == "long_term"
    assert serious_violations(axe, page) == []
    page.locator("#div_id_on_oxygen").get_by_label("No").check()
    expect(reason).to_be_hidden()
    page.locator("#div_id_on_oxygen").get_by_label("Yes").check()
    expect(page.get_by_label("Their usual home oxygen, at the usual flow")).not_to_be_checked()
    page.locator("#div_id_on_oxygen").get_by_label("No").check()
    save_and_continue(page, "Imaging")
    vitals = Round.objects.get().vitals
    assert vitals["on_oxygen"] is False
    assert "oxygen_reason" not in vitals


@VIEWPORTS
def test_the_scans_details_appear_only_when_they_apply(nurse_page, live_server, axe, viewport):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server, identifier="SCAN01")
    page.goto(page.url.replace("/symptoms/", "/imaging/"))
    modality = page.locator("#div_id_modality")
    timing = page.locator("#div_id_after_current_symptoms")
    findings = page.locator("#div_id_findings")
    expect(modality).to_be_hidden()
    expect(timing).to_be_hidden()
    expect(findings).to_be_hidden()
    page.get_by_label("Requested").check()
    expect(modality).to_be_visible()
    expect(timing).to_be_hidden()
    expect(findings).to_be_hidden()
    page.get_by_label("Done", exact=True).check()
    expect(timing).to_be_visible()
    expect(findings).to_be_visible()
    page.get_by_label("MRI", exact=True).check()
    timing.get_by_label("Yes").check()
    page.get_by_label("Cement embolism in the heart").check()
    assert serious_violations(axe, page) == []
    expect(page.locator("#escalation [data-escalation='emergency']")).to_be_visible()
    expect(page.locator("#red-flags [data-red-flag='systemic_embolism']")).to_be_visible()
    save_and_continue(page, "Check your answers")
    imaging = Round.objects.get().imaging
    assert imaging["findings"] == ["cardiac_cement_embolism"]
    assert imaging["after_current_symptoms"] is True


@VIEWPORTS
def test_the_arm_exam_fits_the_screen_with_large_touch_targets(nurse_page, live_server, viewport):
    page = nurse_page
    page.set_viewport_size(viewport)
    start(page, live_server, identifier="NECK02", level="C5")
    page.goto(page.url.replace("/symptoms/", "/neuro/"))
    expect(page.get_by_role("heading", name="Arm power (MRC 0–5)")).to_be_visible()
    measured = page.evaluate(SIZE_CHECK, TOUCH_TARGETS)
    assert measured["width"] <= viewport["width"], measured
    assert measured["small"] == [], measured["small"]
