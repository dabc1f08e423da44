"""Guidance administration in a real browser at tablet size: draft, preview, publish, and what
nurses see afterwards; two admins editing the same entry at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    PHONE,
    TABLET,
    hold_first_autosave,
    screenshot,
    serious_violations,
    sign_in_as,
)
from tests.browser.steps import complete_transient_pain
from tests.factories import UserFactory
from tests.guidance.factories import WEAK_LEG, RoundFactory
from triage.guidance import published_version
from triage.models import GuidanceEntry, Round
from triage.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "pathway.transient_pain"
TITLE = "Transient post-procedural pain"
NEW_TEXT = "Pain like this usually settles within **two days**."


def start_a_draft(page: Page, live_server) -> int:
    """Start a new draft from the version list (signed in as an admin); its id."""
    page.goto(live_server.url + "/guidance/")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_role("heading", name="Draft of version 3")).to_be_visible()
    return int(page.url.rstrip("/").split("/")[-2])


def editor_of(page: Page, live_server, draft_pk: int) -> None:
    page.goto(live_server.url + f"/guidance/{draft_pk}/edit/{KEY}/")
    expect(
        page.get_by_role("heading", name="Pathway: Transient post-procedural pain")
    ).to_be_visible()


def test_an_admin_publishes_a_change_that_new_encounters_show_and_old_ones_do_not(
    page: Page,
    live_server,
    sign_in,
    axe,
    guidance_admin,
    nurse,
    ward,
    published_guidance,
    console_errors,
):
    shipped = published_guidance
    assert shipped.number == 2  # the version the product ships
    # Assessments that showed the entries, so the publish page has an impact to show; the
    # first is the nurse's own, submitted under version 2.
    old = RoundFactory(guidance_version=shipped, encounter__created_by=nurse, encounter__ward=ward)
    RoundFactory(guidance_version=shipped)
    RoundFactory(guidance_version=shipped, findings=WEAK_LEG)
    old_body = shipped.entries.get(key=KEY).body

    sign_in(guidance_admin.username)
    page.goto(live_server.url + "/guidance/")
    expect(page.get_by_role("heading", name="Guidance versions", level=1)).to_be_visible()
    screenshot(page, "guidance-list")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_role("heading", name="Draft of version 3")).to_be_visible()
    screenshot(page, "guidance-draft")

    page.get_by_role("link", name="Transient post-procedural pain").click()
    expect(
        page.get_by_role("heading", name="Pathway: Transient post-procedural pain")
    ).to_be_visible()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("usually settles within a few days")
    page.get_by_label("Guidance text").fill(NEW_TEXT)
    # The server renders the preview with the result page's component: Markdown becomes HTML.
    expect(preview).not_to_contain_text("usually settles within a few days")
    expect(preview.locator("strong")).to_have_text("two days")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert console_errors == []  # no CSP violation: no inline script or style anywhere
    screenshot(page, "guidance-editor")
    assert serious_violations(axe, page) == []

    page.get_by_role("button", name="Save and return to the draft").click()
    page.get_by_role("link", name="Check and publish").click()
    expect(page.get_by_role("heading", name="Publish version 3")).to_be_visible()
    expect(page.locator(f'[data-impact="{KEY}"] [data-rounds]')).to_have_text("2")
    screenshot(page, "guidance-publish")
    page.locator(f'[data-impact="{KEY}"] a').first.click()
    expect(page.locator('[data-side="proposed"]')).to_contain_text("two days")
    expect(page.locator('[data-side="shown"]')).not_to_contain_text("two days")
    screenshot(page, "guidance-side-by-side")
    page.go_back()
    page.get_by_label("Summary of the changes").fill("Shorter wording for transient pain")
    page.get_by_role("button", name="Publish version 3").click()
    expect(page.get_by_role("heading", name="Guidance version 3")).to_be_visible()
    expect(page.get_by_text("Version 3 is published.")).to_be_visible()

    page.get_by_role("link", name="Changes").click()
    expect(page.locator("ins.app-ins").first).to_be_visible()
    # Only the text that was typed changed: the untouched fields are not in the diff.
    expect(page.locator("[data-changed]")).to_have_count(1)
    expect(page.locator("dt", has_text="Recommended actions")).to_have_count(0)
    screenshot(page, "guidance-diff")
    page.get_by_role("link", name="History").click()
    history = page.locator("[data-history]")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text(f"Changed the guidance text of {TITLE} ({KEY})")
    expect(history.nth(2)).to_contain_text("Published version 3")
    screenshot(page, "guidance-history")
    assert serious_violations(axe, page) == []

    published = published_version()
    assert published.number == 3
    assert published.entries.get(key=KEY).body == NEW_TEXT
    page.goto(live_server.url + f"/guidance/{shipped.pk}/")
    expect(page.get_by_role("heading", name="Guidance version 2 Retired")).to_be_visible()
    expect(page.locator(f'[data-guidance-entry="{KEY}"]')).not_to_contain_text("two days")

    # At the bedside: a new assessment shows version 3's text ...
    page.context.clear_cookies()
    sign_in(nurse.username)
    complete_transient_pain(page, live_server, "RX9001")
    shown = page.locator(f'[data-guidance-entry="{KEY}"]')
    expect(shown).to_contain_text("(version 3)")
    shown.locator("summary").click()
    expect(shown.locator("strong")).to_have_text("two days")
    expect(shown.locator("strong")).to_be_visible()
    expect(page.get_by_text("· Guidance version 3")).to_be_visible()
    screenshot(page, "guidance-new-encounter-result")
    assert Round.objects.get(encounter__patient_identifier="RX9001").guidance_version == published

    # ... and the assessment submitted before the publish still shows what it showed.
    page.goto(live_server.url + f"/encounters/{old.encounter_id}/rounds/1/")
    expect(page.get_by_role("heading", name="Result", level=1)).to_be_visible()
    shown = page.locator(f'[data-guidance-entry="{KEY}"]')
    expect(shown).to_contain_text("(version 2)")
    shown.locator("summary").click()
    expect(shown.get_by_text(old_body.split(".")[0])).to_be_visible()
    expect(shown).not_to_contain_text("two days")
    screenshot(page, "guidance-old-encounter-result")


def test_two_admins_editing_one_entry_never_overwrite_each_other_unseen(
    browser, live_server, axe, guidance_admin, published_guidance
):
    UserFactory(username="guidance2", first_name="Rita", roles=(Role.GUIDANCE_ADMIN,))
    mine = browser.new_context(viewport=TABLET).new_page()
    theirs = browser.new_context(viewport=TABLET).new_page()
    sign_in_as(mine, live_server, guidance_admin.username)
    sign_in_as(theirs, live_server, "guidance2")
    draft_pk = start_a_draft(mine, live_server)
    editor_of(mine, live_server, draft_pk)
    editor_of(theirs, live_server, draft_pk)

    # Each autosaves several times in a row: an admin never conflicts with themselves.
    theirs.get_by_label("Guidance text").fill("Their first words.")
    expect(theirs.locator("#save-status")).to_contain_text("Saved at")
    theirs.get_by_label("Guidance text").press_sequentially(" More of theirs.")
    expect(theirs.locator("#preview")).to_contain_text("More of theirs.")
    expect(theirs.locator("#save-status")).to_contain_text("Saved at")

    mine.get_by_label("Guidance text").fill("My different words.")
    status = mine.locator("#save-status")
    expect(status).to_contain_text("Not saved: someone else changed this entry meanwhile")
    conflict = mine.locator("[data-conflict]")
    expect(conflict).to_contain_text("Rita saved it at")
    expect(conflict).to_contain_text("Their first words. More of theirs.")
    expect(mine.get_by_label("Guidance text")).to_have_value("My different words.")
    screenshot(mine, "guidance-edit-conflict")
    assert serious_violations(axe, mine) == []
    mine.set_viewport_size(PHONE)
    # Nothing wider than a phone: the choice is reachable without scrolling sideways.
    assert mine.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = conflict.get_by_role("button", name="Save my text over theirs").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 44  # a touch target
    screenshot(mine, "guidance-edit-conflict")

    mine.get_by_role("button", name="Save my text over theirs").click()
    expect(mine.get_by_role("heading", name="Draft of version 3")).to_be_visible()
    entry = GuidanceEntry.objects.get(version_id=draft_pk, key=KEY)
    assert entry.body == "My different words."

    # Now it is their autosave that is refused, with my text shown to them.
    theirs.get_by_label("Guidance text").press_sequentially(" And more.")
    expect(theirs.locator("[data-conflict]")).to_contain_text("My different words.")
    entry.refresh_from_db()
    assert entry.body == "My different words."


def test_saving_while_an_autosave_is_on_its_way_is_no_conflict(
    page: Page, live_server, sign_in, guidance_admin, published_guidance
):
    sign_in(guidance_admin.username)
    draft_pk = start_a_draft(page, live_server)
    editor_of(page, live_server, draft_pk)
    held, full_saves = hold_first_autosave(page, f"**/edit/{KEY}/")
    page.get_by_label("Guidance text").fill("Typed, then saved at once.")
    expect(page.locator("form[data-autosave].htmx-request")).to_have_count(1)
    page.get_by_role("button", name="Save and return to the draft").click()
    page.wait_for_timeout(500)
    assert full_saves == []  # the save waits for the autosave

    held[0].continue_()
    expect(page.get_by_role("heading", name="Draft of version 3")).to_be_visible()
    assert GuidanceEntry.objects.get(version_id=draft_pk, key=KEY).body == (
        "Typed, then saved at once."
    )


def test_an_autosave_the_server_refuses_says_so(
    page: Page, live_server, sign_in, guidance_admin, published_guidance
):
    sign_in(guidance_admin.username)
    editor_of(page, live_server, start_a_draft(page, live_server))
    page.route(f"**/edit/{KEY}/", lambda route: route.fulfill(status=500, body="down"))
    page.get_by_label("Guidance text").fill("Typed while the server is down.")
    expect(page.locator("#save-status")).to_have_text(
        "Not saved: the server could not save just now. Your text is still on this page; "
        "press the save button to try again."
    )
    expect(page.get_by_label("Guidance text")).to_have_value("Typed while the server is down.")
