"""The escalation record in a real browser: a nurse submits an urgent assessment, reads the
result, then records who she told without the page reloading (htmx), on a tablet and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.browser.steps import submit_a_fever
from triage.models import EscalationCall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_a_nurse_records_who_she_told_and_the_badge_goes(
    page: Page, live_server, sign_in, axe, nurse, published_guidance, viewport
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in("nurse1")
    page.set_viewport_size(viewport)
    submit_a_fever(page, live_server, "FEVER-1")
    expect(page.locator("[data-escalation='urgent']")).to_be_visible()
    record = page.locator("#escalation-record")
    expect(record.get_by_role("heading", name="Record who you told")).to_be_visible()
    expect(record.locator("[data-escalation-record='missing']")).to_have_text(
        "Escalation not recorded"
    )
    # Sent empty: the errors, in words, come in place and take the focus.
    page.get_by_role("button", name="Record the call").click()
    summary = record.locator("#error-summary")
    expect(summary).to_contain_text("Choose who you told.")
    expect(summary).to_contain_text("Write the name of the person you told.")
    expect(summary).to_be_focused()
    page.get_by_label("Who did you tell?").select_option("registrar")
    page.get_by_label("Their name").fill("Dr Okafor")
    record.get_by_label("Bleep").check()
    record.get_by_label("Plan agreed").check()
    page.get_by_label("Their advice or the plan").fill("Blood cultures, review within the hour")
    assert errors == []  # no Content-Security-Policy violation, no script error
    screenshot(page, "escalation-form")

    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Record the call").click()
    expect(record.locator("[data-escalation-call]")).to_have_count(1)
    expect(record.locator("[data-escalation-call]")).to_contain_text("Registrar: Dr Okafor")
    expect(record.locator("[data-escalation-record]")).to_have_count(0)
    expect(record.get_by_role("heading", name="Record another call")).to_be_visible()
    # The focus goes to what happened, not to a button that has gone.
    expect(record.locator("[data-swap-status]")).to_be_focused()
    expect(record.locator("[data-swap-status]")).to_have_text("1 call recorded.")
    assert page.evaluate("window.notReloaded") is True  # swapped in place by htmx
    assert EscalationCall.objects.count() == 1
    assert errors == []  # no Content-Security-Policy violation, no script error
    screenshot(page, "escalation-recorded")
    # The call listed and the form for another, checked last (axe tries inline styles).
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Encounter overview").click()
    expect(page.get_by_role("heading", name="Patient FEVER-1", level=1)).to_be_visible()
    expect(page.locator("[data-escalation-record='recorded']")).to_be_visible()
    expect(page.locator("[data-escalation-record='missing']")).to_have_count(0)
    screenshot(page, "escalation-encounter")
