"""Nothing typed is lost: a tap on a link, the browser's Back, a closed tab or a dropped
connection, at tablet and phone size. Each test reads what the server holds afterwards."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, TABLET
from tests.browser.steps import (
    answer_vitals,
    start_to_neuro,
    wait_until_saved,
)
from tests.factories import UserFactory
from tests.wizard.helpers import vitals_post
from triage.models import Round
from triage.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
UNSENT = "() => Object.keys(localStorage).filter(k => k.startsWith('triage.unsent:')).length"


def on_vitals(page: Page, live_server, viewport) -> None:
    start_to_neuro(page, live_server, viewport)
    page.get_by_role("link", name="Vital signs").click()
    expect(page.get_by_role("heading", name="Vital signs", level=1)).to_be_visible()


def offline_after_saving_vitals(page: Page, live_server, viewport) -> str:
    """Normal vital signs answered and saved, then the tablet goes offline; the step's URL."""
    on_vitals(page, live_server, viewport)
    answer_vitals(page)
    wait_until_saved(page)
    page.context.set_offline(True)
    return page.url


@pytest.fixture
def colleague(ward) -> Client:
    """Another nurse of the ward, signed in on another device."""
    client = Client()
    client.force_login(UserFactory(username="nurse2", roles=(Role.NURSE,), wards=(ward,)))
    return client


def saved_vitals() -> dict:
    round = Round.objects.get()
    return {**(round.pending.get("vitals") or {}), **(round.vitals or {})}


@SIZES
def test_numbers_typed_then_a_step_link_tapped_at_once_are_saved(nurse_page, live_server, viewport):
    page = nurse_page
    on_vitals(page, live_server, viewport)
    page.locator("#id_respiratory_rate").fill("28")
    page.locator("#id_spo2").fill("90")
    page.get_by_role("link", name="Imaging").click()  # no pause, no blur first
    expect(page.get_by_role("heading", name="Imaging", level=1)).to_be_visible()
    pending = Round.objects.get().pending["vitals"]
    assert (pending["respiratory_rate"], pending["spo2"]) == (["28"], ["90"])
    page.get_by_role("link", name="Vital signs").click()
    expect(page.locator("#id_respiratory_rate")).to_have_value("28")
    expect(page.locator("#id_spo2")).to_have_value("90")


@SIZES
def test_an_answer_then_back_within_100_ms_is_saved_and_shown(nurse_page, live_server, viewport):
    page = nurse_page
    start_to_neuro(page, live_server, viewport)
    page.get_by_role("link", name="Symptoms").click()
    expect(page.get_by_role("heading", name="Symptoms", level=1)).to_be_visible()
    page.locator("#div_id_dyspnoea").get_by_label("Yes").check()
    page.wait_for_timeout(50)
    page.go_back()
    expect(page.get_by_role("heading", name="Neuro exam", level=1)).to_be_visible()
    page.wait_for_timeout(500)  # the beacon has left with the page; let it land
    assert Round.objects.get().symptoms["dyspnoea"] is True
    page.go_forward()
    expect(page.get_by_role("heading", name="Symptoms", level=1)).to_be_visible()
    expect(page.locator("#div_id_dyspnoea").get_by_label("Yes")).to_be_checked()


def test_a_page_from_the_back_forward_cache_shows_what_the_server_holds(
    nurse_page, live_server, colleague
):
    page = nurse_page
    on_vitals(page, live_server, TABLET)
    answer_vitals(page, heart_rate="88")
    wait_until_saved(page)
    page.get_by_role("link", name="Imaging").click()
    expect(page.get_by_role("heading", name="Imaging", level=1)).to_be_visible()
    round = Round.objects.get()
    colleague.post(
        f"/encounters/{round.encounter_id}/vitals/",
        {**vitals_post(heart_rate="112"), "lock_version": round.encounter.lock_version},
    )
    page.go_back()
    expect(page.locator("#id_heart_rate")).to_have_value("112")


@SIZES
def test_an_answer_given_offline_is_kept_on_the_device_and_sent_when_back_online(
    nurse_page, live_server, viewport
):
    page = nurse_page
    offline_after_saving_vitals(page, live_server, viewport)
    page.locator("#id_heart_rate").fill("131")
    page.locator("#id_heart_rate").blur()
    expect(page.locator("#save-status")).to_contain_text(
        "Not saved yet: the server could not be reached. Your answers are kept on this tablet"
    )
    assert page.evaluate(UNSENT) == 1
    assert saved_vitals()["heart_rate"] == 70
    page.get_by_role("button", name="Save and continue").click()  # refused while offline
    expect(page.locator("#save-status")).to_contain_text("No connection")
    expect(page.get_by_role("heading", name="Vital signs", level=1)).to_be_visible()

    page.context.set_offline(False)
    wait_until_saved(page)
    assert saved_vitals()["heart_rate"] == 131
    assert page.evaluate(UNSENT) == 0  # the device's copy is gone once the server has it
    expect(page.locator("#red-flags [data-red-flag='circulatory_compromise']")).to_be_visible()


# Nothing the closing tab tries to send can leave: its beacon, and the save it starts when it is
# hidden (or when it hears the connection is back while it closes).
SEND_NOTHING = """() => {
  navigator.sendBeacon = () => false;
  XMLHttpRequest.prototype.send = function () { throw new Error("the tab is closing"); };
  window.fetch = () => Promise.reject(new TypeError("the tab is closing"));
}"""


def close_and_reopen(page: Page, url: str) -> Page:
    """Close the tab while the tablet is offline (nothing it sends can leave), come back
    online and open the same step in a new tab of the same browser.

    The closing tab's requests are refused outright: on a busy machine Chromium may otherwise
    hand one to the network after the tab has closed, when the tablet is online again, and it
    would arrive."""
    context = page.context
    page.evaluate(SEND_NOTHING)
    page.close()
    # Offline a moment longer, as a tablet would be: a request the closing tab started (its
    # save when hidden) fails offline rather than leave once the connection is back.
    time.sleep(0.5)
    context.set_offline(False)
    return context.new_page()


def test_answers_kept_offline_are_put_back_and_sent_when_the_step_is_opened_again(
    nurse_page, live_server
):
    page = nurse_page
    url = offline_after_saving_vitals(page, live_server, TABLET)
    page.locator("#div_id_on_oxygen").get_by_label("Yes").check()
    page.get_by_label("Started or increased because the saturation was falling").check()
    expect(page.locator("#save-status")).to_contain_text("kept on this tablet")
    page = close_and_reopen(page, url)
    assert saved_vitals()["on_oxygen"] is False

    page.goto(url)
    expect(page.locator("#div_id_on_oxygen").get_by_label("Yes")).to_be_checked()
    wait_until_saved(page)
    assert Round.objects.get().vitals["oxygen_reason"] == "low_saturation"
    assert page.evaluate(UNSENT) == 0


def test_a_kept_answer_never_overwrites_a_colleagues_newer_save(nurse_page, live_server, colleague):
    page = nurse_page
    url = offline_after_saving_vitals(page, live_server, TABLET)
    page.locator("#id_heart_rate").fill("95")
    page.locator("#id_heart_rate").blur()
    expect(page.locator("#save-status")).to_contain_text("kept on this tablet")
    page = close_and_reopen(page, url)
    round = Round.objects.get()
    colleague.post(
        url.replace(live_server.url, ""),
        {**vitals_post(heart_rate="112"), "lock_version": round.encounter.lock_version},
    )

    page.goto(url)
    expect(page.locator("#save-status")).to_contain_text("Someone else has saved changes")
    assert saved_vitals()["heart_rate"] == 112
