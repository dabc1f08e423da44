"""The main navigation: on a phone it folds behind a menu button that works with a tap, Enter,
Space and Escape and tells screen readers whether it is open; on a tablet it is always shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, TABLET, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_menu_button_opens_and_closes_the_navigation(
    nurse_page: Page, console_errors
):
    page = nurse_page
    page.set_viewport_size(PHONE)
    menu = page.get_by_role("button", name="Show navigation")
    nav = page.locator("#main-nav")
    sign_out = page.get_by_role("button", name="Sign out")

    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    expect(nav.get_by_role("link").first).to_be_visible()
    screenshot(page, "navigation-open")

    page.keyboard.press("Space")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()

    menu.click()
    expect(sign_out).to_be_visible()
    sign_out.focus()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    expect(menu).to_be_focused()
    assert console_errors == []


def test_on_a_tablet_the_navigation_is_always_shown(nurse_page: Page, console_errors):
    page = nurse_page
    page.set_viewport_size(TABLET)
    expect(page.get_by_role("button", name="Show navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#main-nav").get_by_role("link").first).to_be_visible()
    assert console_errors == []
