"""The SBAR handover in the browser: accessible, readable at tablet and phone size, and printed
by Chromium on A4 with every section and nothing of the navigation."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations
from tests.review.factories import BREATHLESS, WEAK_LEG, SubmittedEncounterFactory, reassess


def test_the_handover_reads_on_screen_and_prints_on_a4(nurse_page, live_server, nurse, axe):
    page = nurse_page
    encounter = SubmittedEncounterFactory(
        ward=nurse.wards.get(), created_by=nurse, patient_identifier="SBAR01", answers=WEAK_LEG
    )
    reassess(encounter, by=nurse, answers=BREATHLESS)
    page.goto(f"{live_server.url}/encounters/{encounter.pk}/")
    page.get_by_role("link", name="Handover (SBAR) to print").click()
    expect(page.get_by_role("heading", name="Handover: patient SBAR01")).to_be_visible()
    for title in ("Situation", "Background", "Assessment", "Recommendation"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by its script
    assert serious_violations(axe, page) == []
    screenshot(page, "handover")
    page.set_viewport_size(PHONE)
    assert serious_violations(axe, page) == []
    screenshot(page, "handover")
    page.set_viewport_size(TABLET)
    page.emulate_media(media="print")
    screenshot(page, "handover-print")

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    for words in (
        "Handover: patient SBAR01",
        "S Situation",
        "B Background",
        "A Assessment",
        "R Recommendation",
        "Respiratory distress",
        "Leg power before the procedure",
        "Trend across assessments",
        "Observation chart",
        "Next observations",
        "To do",
    ):
        assert words in text, words
    for screen_only in ("Sign out", "Back to patient", "Skip to main content", "Print"):
        assert screen_only not in text, screen_only
    assert len(pdf.pages) <= 3
    # No section is split across two pages: each one's heading and its last line share a page.
    pages = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    for first, last in (("S Situation", "Pathways now"), ("R Recommendation", "To do")):
        assert any(first in p and last in p for p in pages), (first, last)


def test_the_ward_handover_prints_each_patient_on_a_new_sheet(nurse_page, live_server, nurse):
    page = nurse_page
    for identifier, answers in (("BEDONE", WEAK_LEG), ("BEDTWO", BREATHLESS)):
        SubmittedEncounterFactory(
            ward=nurse.wards.get(), created_by=nurse, patient_identifier=identifier, answers=answers
        )
    page.goto(f"{live_server.url}/ward/")
    page.get_by_role("link", name="Ward handover (SBAR) to print").click()
    expect(page.get_by_role("heading", name="Ward handover: Spinal ward")).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    starts = [
        index
        for index, text in enumerate(pages)
        for who in ("BEDONE", "BEDTWO")
        if f"Patient {who}" in text
    ]
    assert len(starts) == 2 and starts[0] < starts[1]  # each patient on sheets of their own
    for text in (pages[starts[0]], pages[starts[1]]):
        assert "S Situation" in text and "B Background" in text
    assert "Sign out" not in " ".join(pages)
