"""A physician's review in a real browser at tablet size: queue, record, sign-off, addendum."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, serious_violations
from tests.factories import PASSWORD
from tests.review.factories import UNCONTROLLED_PAIN, WEAK_LEG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue_encounters(make_encounter, physician):
    now = timezone.now()
    make_encounter(patient_identifier="PLAIN-1", submitted_at=now - timedelta(hours=1))
    make_encounter(patient_identifier="PLAIN-2", submitted_at=now - timedelta(hours=3))
    make_encounter(
        patient_identifier="PAIN-9",
        submitted_at=now - timedelta(hours=4),
        answers=UNCONTROLLED_PAIN,
    )
    return make_encounter(
        patient_identifier="WEAK-LEG", submitted_at=now - timedelta(hours=2), answers=WEAK_LEG
    )


def queue_order(page: Page) -> list[tuple[str, str]]:
    rows = page.locator("tbody tr")
    return [
        (row.get_attribute("data-encounter"), row.get_attribute("data-rank")) for row in rows.all()
    ]


def test_a_physician_signs_the_top_red_flag_and_it_moves_down(
    page: Page, live_server, sign_in, axe, queue_encounters, published_guidance
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in("physician1")
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    top = page.locator("tbody tr").first
    expect(top).to_have_attribute("data-encounter", str(queue_encounters.pk))
    expect(top).to_contain_text("Red flag: Progressive neurological deficit")
    expect(top.locator("[data-escalation-badge]")).to_have_text("Emergency")

    # Filtering swaps the results in place (htmx) and puts the filters, but never a patient
    # search, in the URL; the filters are folded away until asked for.
    expect(page.get_by_label("Red flag")).to_be_hidden()
    page.get_by_text("Filter encounters").click()
    page.get_by_label("Red flag").select_option("uncontrolled_pain")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/review/?red_flag=uncontrolled_pain")
    page.get_by_label("Red flag").select_option("")
    expect(page.locator("tbody tr")).to_have_count(4)
    # A patient search is posted: the URL carries a token for it, and Back returns to it.
    page.get_by_label("Patient identifier").fill("plain")
    page.get_by_label("Patient identifier").press("Enter")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/review/\?search=[\w-]{22}$"))
    page.locator("tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Patient PLAIN-1", level=1)).to_be_visible()
    page.go_back()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_label("Patient identifier")).to_have_value("plain")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("tbody tr")).to_have_count(4)
    assert errors == []  # no Content-Security-Policy violation, no script error
    screenshot(page, "review-queue")
    assert serious_violations(axe, page) == []

    page.locator("tbody tr").first.get_by_role("link", name="WEAK-LEG").click()
    expect(page.get_by_role("heading", name="Patient WEAK-LEG", level=1)).to_be_visible()
    # The snapshot exactly as the nurse saw it, with the answers.
    expect(page.locator('[data-red-flag="progressive_neuro_deficit"]')).to_be_visible()
    expect(page.get_by_role("heading", name="Answers")).to_be_visible()
    screenshot(page, "review-encounter")
    assert serious_violations(axe, page) == []

    # A decision on the red flag, recorded beside the original.
    page.get_by_text("Record a decision on a red flag or pathway").click()
    page.get_by_label("Which item").select_option("pathway:cord_compression")
    page.get_by_label("Agree, with changes to the plan").check()
    page.get_by_label("Reason").fill("MRI before the spinal team review, not after.")
    page.locator("#id_override_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign and record decision").click()
    override = page.locator('[data-override="pathway:cord_compression"]')
    expect(override).to_contain_text("suspected")
    expect(override).to_contain_text("Agree, with changes to the plan")
    expect(page.locator('[data-pathway="cord_compression"]')).to_be_visible()  # the original

    sign_off = page.locator("#sign-off")
    sign_off.get_by_label("Comment (optional)").fill(
        "New L4 weakness: MRI requested, spinal team informed."
    )
    sign_off.get_by_label("Your password").fill(PASSWORD)
    sign_off.get_by_role("button", name="Sign off").click()
    expect(page.locator("#sign-off")).to_contain_text("Signed off by physician1")
    expect(page.locator('[data-status="signed"]')).to_be_visible()

    addenda = page.locator("#addenda")
    addenda.get_by_label("Addendum").fill("MRI: no cement in the canal. Plan unchanged.")
    addenda.get_by_label("Your password").fill(PASSWORD)
    addenda.get_by_role("button", name="Sign and add addendum").click()
    expect(page.locator("[data-addendum]")).to_contain_text("MRI: no cement in the canal.")
    screenshot(page, "review-encounter-signed")
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Full audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    expect(page.locator(".app-audit")).to_contain_text("Signed off the encounter by physician1")
    screenshot(page, "review-audit")
    assert serious_violations(axe, page) == []
    page.go_back()

    page.get_by_role("link", name="Back to the review queue").click()
    order = queue_order(page)
    signed_at = [pk for pk, _ in order].index(str(queue_encounters.pk))
    unsigned = [i for i, (_, rank) in enumerate(order) if rank != "0"]
    assert len(unsigned) == 3
    assert signed_at > max(unsigned)
    expect(page.locator("tbody tr").nth(signed_at)).to_contain_text("Signed")


def test_a_wrong_signature_password_is_explained_in_place(
    page: Page, live_server, sign_in, queue_encounters, published_guidance
):
    sign_in("physician1")
    page.goto(f"{live_server.url}/encounters/{queue_encounters.pk}/")
    sign_off = page.locator("#sign-off")
    sign_off.get_by_label("Comment (optional)").fill("Kept after a typo")
    sign_off.get_by_label("Your password").fill("wrong-password")
    sign_off.get_by_role("button", name="Sign off").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("That password is not right")
    expect(page.locator("#sign-off").get_by_label("Comment (optional)")).to_have_value(
        "Kept after a typo"
    )
    expect(page.locator('[data-status="unsigned"]')).to_be_visible()
