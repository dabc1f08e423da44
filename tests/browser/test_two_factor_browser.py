"""A physician sets up the second factor and signs in with it, on a tablet and on a phone: each
page fits the screen, has no serious accessibility problem, and leads on to the review queue."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "() => document.documentElement.scrollWidth"


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in_with_password(page: Page, live_server) -> None:
    page.goto(live_server.url + "/review/")
    page.get_by_label("Username").fill("physician1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def looks_right(page: Page, axe, viewport: dict, name: str) -> dict:
    screenshot(page, f"two-factor-{name}")
    return {"width": page.evaluate(WIDTH), "problems": serious_violations(axe, page)}


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_a_physician_sets_up_the_app_then_signs_in_with_a_code(
    page: Page, live_server, physician, axe, viewport, settings
):
    settings.TRIAGE_REQUIRE_2FA = True
    page.set_viewport_size(viewport)
    fits = {"width": viewport["width"], "problems": []}

    sign_in_with_password(page, live_server)
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.locator(".app-qr-box svg")).to_be_visible()
    assert looks_right(page, axe, viewport, "set-up") == fits
    device = TOTPDevice.objects.get(user=physician)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code_now(device))
    page.get_by_role("button", name="Finish setting up").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(10)
    assert looks_right(page, axe, viewport, "recovery-codes") == fits
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()

    menu = page.get_by_role("button", name="Show navigation")
    if menu.is_visible():  # the phone's collapsed navigation
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, live_server)
    code_box = page.get_by_label("Enter the 6-digit code from your authenticator app")
    expect(code_box).to_be_visible()
    expect(code_box).to_have_attribute("autocomplete", "one-time-code")
    assert looks_right(page, axe, viewport, "code") == fits
    code_box.fill("000000" if code_now(device) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".invalid-feedback, .app-error-summary").first).to_be_visible()
    assert looks_right(page, axe, viewport, "wrong-code") == fits
