"""What a nurse does on each wizard step, for browser tests that walk the wizard."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect


def procedure_time(hours_ago: float = 14) -> str:
    """A datetime-local value `hours_ago` before now, in the server's time zone."""
    return timezone.localtime(timezone.now() - timedelta(hours=hours_ago)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def start(page: Page, live_server, identifier: str = "RX4321", level: str = "L1") -> None:
    page.goto(live_server.url + "/encounters/new/")
    page.get_by_label("Patient identifier").fill(identifier)
    page.get_by_label("Date and time of the vertebroplasty").fill(procedure_time())
    page.get_by_label(level, exact=True).check()
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", name="Symptoms", level=1)).to_be_visible()


def answer_symptoms(page: Page, pain: str = "4", course: str = "Improving") -> None:
    page.locator(f"label.app-scale-{pain}").click()
    page.get_by_label(course).check()
    for question in (
        "div_id_radicular_pain",
        "div_id_chest_pain",
        "div_id_dyspnoea",
        "div_id_uncontrolled_despite_analgesia",
    ):
        page.locator(f"#{question}").get_by_label("No").check()


def answer_neuro(page: Page, weak_left_l4: str | None = None) -> None:
    """Normal power and sensation in every limb the page asks about, no new focal signs."""
    for select in page.locator("select").all():
        name = select.get_attribute("name")
        select.select_option("normal" if "sensation" in name else "5")
    if weak_left_l4:
        page.locator("#id_power_L4_left").select_option(weak_left_l4)
    page.locator("#div_id_saddle_anaesthesia").get_by_label("No", exact=True).check()
    page.locator("#div_id_bowel_bladder").get_by_label("Normal").check()
    page.locator("#div_id_focal_signs").get_by_label("No", exact=True).check()


def answer_vitals(page: Page, acvpu: str = "A – Alert", **values: str) -> None:
    fields = {
        "respiratory_rate": "15",
        "spo2": "97",
        "systolic_bp": "126",
        "heart_rate": "70",
        "temperature": "36.6",
        **values,
    }
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#div_id_on_oxygen").get_by_label("No").check()
    page.get_by_label(acvpu).check()


def wait_until_saved(page: Page) -> None:
    """Until the server has every answer given on this page (none waits on the device)."""
    expect(page.locator("form[data-keep-answers]")).not_to_have_attribute("data-unsent", "")
    expect(page.locator("#save-status")).to_contain_text("Saved at")


def save_and_continue(page: Page, next_heading: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name=next_heading, level=1)).to_be_visible()


def start_to_neuro(page: Page, live_server, viewport=None, level: str = "L1") -> None:
    """Start an assessment (at `viewport` size, if given), answer the symptoms, and stop on
    the neuro exam."""
    if viewport:
        page.set_viewport_size(viewport)
    start(page, live_server, level=level)
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")


def submit_from_vitals(page: Page, **vitals: str) -> None:
    """On the vital signs step: normal vitals (but `vitals`), no imaging, check, submit, up to
    the result."""
    answer_vitals(page, **vitals)
    save_and_continue(page, "Imaging")
    page.get_by_label("Not done").check()
    save_and_continue(page, "Check your answers")
    page.get_by_role("button", name="Submit and see the result").click()
    expect(page.get_by_role("heading", name="Result", level=1)).to_be_visible()


def complete_transient_pain(page: Page, live_server, identifier: str, **vitals: str) -> None:
    """A whole assessment of a well patient with settling pain (and `vitals`), up to its
    result."""
    start(page, live_server, identifier)
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    answer_neuro(page)
    save_and_continue(page, "Vital signs")
    submit_from_vitals(page, **vitals)


def submit_a_fever(page: Page, live_server, identifier: str) -> None:
    """A whole assessment whose only finding is a fever: urgent (infection suspected)."""
    complete_transient_pain(page, live_server, identifier, temperature="38.6")
