"""The look-back in a real browser at tablet size: reached from the queue, accessible, no
script or style the Content-Security-Policy would refuse."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physician_opens_the_look_back_from_the_queue_and_the_record_from_it(
    page: Page, live_server, sign_in, axe, physician, seed_v1, published_guidance
):
    rounds = seed_v1(["unresponsive-systolic-90", "fever-39-5", "foraminal-leak-on-ct"])
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in("physician1")
    page.goto(f"{live_server.url}/review/")
    page.get_by_role("link", name="Look-back after a rules change").click()
    heading = page.get_by_role("heading", name="Look-back after a rules change", level=1)
    expect(heading).to_be_visible()
    table = page.get_by_role("table", name="Assessments the current rules would answer differently")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("unresponsive-systolic-90")
    expect(rows.first).to_contain_text("now emergency: altered consciousness")
    assert errors == []
    screenshot(page, "review-lookback")
    assert serious_violations(axe, page) == []

    rows.first.get_by_role("link", name="unresponsive-systolic-90").click()
    encounter = rounds["unresponsive-systolic-90"].encounter_id
    expect(page).to_have_url(f"{live_server.url}/encounters/{encounter}/?round=1")
    expect(page.get_by_role("heading", name="Patient unresponsive-systolic-90")).to_be_visible()
