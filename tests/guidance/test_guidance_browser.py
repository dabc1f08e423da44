"""Guidance administration in a real browser at tablet size: draft, preview, publish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.guidance.factories import WEAK_LEG, RoundFactory
from triage.guidance import published_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
TABLET = {"width": 768, "height": 1024}
NEW_TEXT = "Pain like this usually settles within **two days**."


@pytest.fixture(autouse=True, scope="module")
def allow_orm_beside_playwright(django_db_setup):
    """Playwright's sync API keeps an event loop running in the test thread; the ORM calls a
    test makes between page actions are still plain synchronous calls. (Asking for the test
    database here creates it before Playwright starts its loop.)"""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": TABLET}


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Errors the page logs, such as a Content-Security-Policy violation."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"768x1024-guidance-{name}.png", full_page=True)


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_an_admin_drafts_previews_and_publishes_a_change(
    page: Page, live_server, guidance_admin, v1, console_errors
):
    # Assessments that showed the entries, so the publish page has an impact to show.
    RoundFactory.create_batch(2, guidance_version=v1)
    RoundFactory(guidance_version=v1, findings=WEAK_LEG)
    old_body = v1.entries.get(key="pathway.transient_pain").body

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(guidance_admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/guidance/")
    expect(page.get_by_role("heading", name="Guidance versions", level=1)).to_be_visible()
    screenshot(page, "list")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_role("heading", name="Draft of version 2")).to_be_visible()
    screenshot(page, "draft")

    page.get_by_role("link", name="Transient post-procedural pain").click()
    expect(
        page.get_by_role("heading", name="Pathway: Transient post-procedural pain")
    ).to_be_visible()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("usually settles within a few days")
    page.get_by_label("Guidance text").fill(NEW_TEXT)
    # The server renders the preview with the result page's component: Markdown becomes HTML.
    expect(preview.locator("strong")).to_have_text("two days")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert console_errors == []  # no CSP violation: no inline script or style anywhere
    screenshot(page, "editor")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Save and return to the draft").click()
    page.get_by_role("link", name="Check and publish").click()
    expect(page.get_by_role("heading", name="Publish version 2")).to_be_visible()
    expect(page.locator('[data-impact="pathway.transient_pain"] [data-rounds]')).to_have_text("2")
    screenshot(page, "publish")
    page.locator('[data-impact="pathway.transient_pain"] a').first.click()
    expect(page.locator('[data-side="proposed"]')).to_contain_text("two days")
    expect(page.locator('[data-side="shown"]')).not_to_contain_text("two days")
    screenshot(page, "side-by-side")
    page.go_back()
    page.get_by_label("Summary of the changes").fill("Shorter wording for transient pain")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_role("heading", name="Guidance version 2")).to_be_visible()
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()

    page.get_by_role("link", name="Changes").click()
    expect(page.locator("ins.app-ins").first).to_be_visible()
    # Only the text that was typed changed: the untouched fields are not in the diff.
    expect(page.locator("[data-changed]")).to_have_count(1)
    expect(page.locator("dt", has_text="Recommended actions")).to_have_count(0)
    screenshot(page, "diff")

    published = published_version()
    assert published.number == 2
    assert published.entries.get(key="pathway.transient_pain").body == NEW_TEXT
    page.goto(live_server.url + f"/guidance/{v1.pk}/")
    old = page.locator('[data-guidance-entry="pathway.transient_pain"]')
    expect(old).to_contain_text(old_body.split(".")[0])
    expect(old).not_to_contain_text("two days")
    expect(page.get_by_role("heading", name="Guidance version 1 Retired")).to_be_visible()
    screenshot(page, "version-1")
