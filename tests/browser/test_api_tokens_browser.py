"""The API tokens page in a real browser: make a token, copy it once, revoke it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot, serious_violations
from triage.api_tokens import user_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_nurse_makes_a_token_and_revokes_it(page: Page, live_server, sign_in, axe, nurse):
    sign_in(nurse.username)
    page.locator(".app-account-menu > summary").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()

    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_role("link", name="Enter what the token is for")).to_be_visible()
    page.get_by_label("What is the token for?").fill("Ward dashboard")
    page.get_by_role("button", name="Make a token").click()

    raw = page.get_by_label("Token", exact=True).input_value()
    assert raw.startswith("vpt_")
    assert user_for(raw) == nurse
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    assert serious_violations(axe, page) == []
    screenshot(page, "api-tokens-new")
    page.set_viewport_size(PHONE)
    # Nothing wider than a phone (the table scrolls in its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "api-tokens-new")

    page.get_by_role("button", name="Revoke “Ward dashboard”").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    expect(page.locator("[data-token]")).to_contain_text("Revoked")
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)  # never shown again
    assert user_for(raw) is None
