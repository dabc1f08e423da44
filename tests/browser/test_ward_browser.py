"""The ward around the assessment, in a real browser: a nurse submits an urgent assessment,
records who she told, finds the patient on the ward board with the next observations due,
reassesses from the carried-over baselines; a physician later discharges with the checklist and
the patient leaves the board. At tablet and phone size, axe clean, no script or policy error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, SCREENSHOTS, TABLET, screenshot, serious_violations
from tests.browser.steps import (
    answer_neuro,
    answer_symptoms,
    save_and_continue,
    submit_a_fever,
    submit_from_vitals,
)
from tests.factories import PASSWORD
from tests.review.factories import SubmittedEncounterFactory
from triage.models import Discharge

pytestmark = pytest.mark.django_db(transaction=True)


def record_the_call(page: Page) -> None:
    record = page.locator("#escalation-record")
    page.get_by_label("Who did you tell?").select_option("registrar")
    page.get_by_label("Their name").fill("Dr Okafor")
    record.get_by_label("Bleep").check()
    record.get_by_label("Attending now").check()
    page.get_by_role("button", name="Record the call").click()
    expect(record.locator("[data-escalation-call]")).to_have_count(1)


def discharge_with_the_checklist(page: Page) -> None:
    form = page.locator("#discharge")
    form.get_by_label("Supervised mobilisation done").check()
    form.get_by_label("Pain controlled on the discharge analgesia").check()
    follow_up = timezone.localdate() + timedelta(days=14)
    form.get_by_label("Follow-up booked for").fill(follow_up.isoformat())
    form.get_by_label("Follow-up with").fill("Spinal clinic")
    form.get_by_label("Patient told to report sudden or new back pain at once").check()
    form.get_by_label("Told by").fill("Staff nurse Okafor")
    form.get_by_label("Referred for osteoporosis treatment").check()
    form.get_by_label("Your password").fill(PASSWORD)


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_from_an_urgent_result_to_the_board_a_reassessment_and_discharge(
    page: Page, live_server, sign_in, axe, nurse, physician, published_guidance, viewport
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    name = "ward-" + ("tablet" if viewport == TABLET else "phone")
    page.set_viewport_size(viewport)
    sign_in("nurse1")
    submit_a_fever(page, live_server, "WARD-1")
    record_the_call(page)

    page.goto(live_server.url + "/ward/")
    row = page.locator("[data-board-row]", has_text="WARD-1")
    expect(row).to_be_visible()
    expect(row.locator("[data-escalation-record='recorded']")).to_be_visible()
    expect(row.locator("[data-obs-due]")).to_contain_text("in ")  # "by 14:30 (in 4 h)"
    expect(row.locator("[data-obs-due]")).to_contain_text("Neuro checks by")
    assert serious_violations(axe, page) == []
    screenshot(page, f"{name}-board")

    row.get_by_role("link", name="WARD-1").click()
    page.get_by_role("button", name="Reassess the patient").click()
    answer_symptoms(page)
    save_and_continue(page, "Neuro exam")
    # The legs before the procedure are carried over; today's findings are not.
    expect(page.locator("#id_power_L4_left_baseline")).to_have_value("5")
    expect(page.locator("#id_power_L4_left")).to_have_value("")
    screenshot(page, f"{name}-reassess-neuro")
    answer_neuro(page)
    save_and_continue(page, "Vital signs")
    submit_from_vitals(page)  # the fever has settled
    menu = page.get_by_role("button", name="Show navigation")
    if menu.is_visible():  # a phone: the navigation is folded away
        menu.click()
    page.get_by_role("button", name="Sign out").click()

    sign_in("physician1")
    page.goto(f"{live_server.url}/ward/")
    page.locator("[data-board-row]", has_text="WARD-1").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Discharge")).to_be_visible()
    discharge_with_the_checklist(page)
    assert serious_violations(axe, page) == []
    screenshot(page, f"{name}-discharge-form")
    page.locator("#discharge").screenshot(path=SCREENSHOTS / f"{name}-discharge-section.png")
    page.get_by_role("button", name="Sign and discharge").click()
    expect(page.locator("[data-discharged-by='physician1']")).to_be_visible()
    expect(page.get_by_role("list", name="Discharge checklist")).to_contain_text("Spinal clinic")
    assert Discharge.objects.get().osteoporosis == "referred"
    page.goto(f"{live_server.url}/ward/")
    expect(page.locator("[data-board-row]")).to_have_count(0)
    expect(page.get_by_text("No open encounters on Spinal ward")).to_be_visible()
    assert errors == []


def _open_a_board_of(page: Page, live_server, sign_in, nurse, beds: int) -> None:
    ward = nurse.wards.get()
    for number in range(beds):
        SubmittedEncounterFactory(
            ward=ward, created_by=nurse, patient_identifier=f"BED{number:02d}"
        )
    sign_in("nurse1")
    page.goto(live_server.url + "/ward/")
    expect(page.locator("[data-board-row]")).to_have_count(beds)


# Each row as the page shows it, but for how long until its due times (written with the minute).
ROWS_AS_SENT = """rows => rows.map(row => {
  const copy = row.cloneNode(true);
  copy.querySelectorAll("[data-due-span]").forEach(span => { span.textContent = ""; });
  return copy.outerHTML;
})"""


def test_the_board_refreshes_in_place_keeping_the_scroll_position(
    page: Page, live_server, sign_in, nurse, published_guidance
):
    page.set_viewport_size(PHONE)
    _open_a_board_of(page, live_server, sign_in, nurse, beds=14)
    ward = nurse.wards.get()
    shown = page.locator("[data-board-row]").evaluate_all(ROWS_AS_SENT)
    page.evaluate("window.notReloaded = true; window.scrollTo(0, 400)")
    SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="NEWBED")
    # Coming back into view refreshes the board at once (as the minute's timer does). The
    # refresh names the 14 rows shown; only the new one comes whole, the others as pointers.
    with page.expect_response(lambda r: "/ward/" in r.url) as refreshed:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    answer = refreshed.value
    assert len(answer.request.headers["x-board-rows"].split(",")) == 14
    assert answer.text().count("data-board-same") == 14 and ">NEWBED</a>" in answer.text()
    expect(page.locator("[data-board-row]")).to_have_count(15)
    now = page.locator("[data-board-row]").evaluate_all(ROWS_AS_SENT)
    assert sorted(set(now) - set(shown)) == [row for row in now if ">NEWBED</a>" in row]
    assert len(set(now) & set(shown)) == 14  # every row the board had, as it was
    assert page.locator("[data-board-same]").count() == 0
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.scrollY") == 400


def test_a_refresh_whose_unchanged_rows_cannot_be_filled_asks_for_the_whole_board(
    page: Page, live_server, sign_in, nurse, published_guidance
):
    _open_a_board_of(page, live_server, sign_in, nurse, beds=3)
    ward = nurse.wards.get()
    asked: list[str | None] = []

    def point_nowhere(route) -> None:
        # An answer pointing at a row the board does not have (as if it changed meanwhile).
        asked.append(route.request.headers.get("x-board-rows"))
        answer = route.fetch()
        body = answer.text().replace('data-board-same="0"', 'data-board-same="99"')
        route.fulfill(response=answer, body=body)

    page.route("**/ward/?ward=*", point_nowhere)
    SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="NEWBED")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator("[data-board-row]")).to_have_count(4)
    expect(page.get_by_role("link", name="BED00")).to_be_visible()
    assert len(asked) == 2 and asked[0] is not None and asked[1] is None
    assert page.locator("[data-board-same]").count() == 0


def _spans(page: Page) -> dict[str, list[str]]:
    return {
        row.get_by_role("link").inner_text(): row.locator("[data-due-span]").all_inner_texts()
        for row in page.locator("[data-board-row]").all()
    }


def test_how_long_until_each_due_time_is_written_against_the_servers_time(
    page: Page, live_server, sign_in, nurse, published_guidance
):
    from triage.ward_board import board_rows

    ward = nurse.wards.get()
    now = timezone.now()
    for name, ago in (("JUST", 0), ("HOURS", 3), ("DAYS", 74)):
        SubmittedEncounterFactory(
            ward=ward,
            created_by=nurse,
            patient_identifier=name,
            submitted_at=now - timedelta(hours=ago),
        )
    sign_in("nurse1")
    # This tablet's clock is a day and a half wrong: the words must not be.
    page.clock.set_fixed_time(now + timedelta(hours=36))
    page.goto(live_server.url + "/ward/")
    sent = int(page.locator("[data-board-now]").get_attribute("data-board-now"))
    server_now = datetime.fromtimestamp(sent / 1000, tz=UTC)
    # The words of the due times the row shows: the vital signs' (unless monitored
    # continuously), then the neuro checks'.
    expected = {
        row.encounter.patient_identifier: [
            row.due[kind]["moment"].removeprefix(row.due[kind]["clock"] + " ")
            for kind in ([] if row.due["continuous"] else ["vitals"]) + ["neuro"]
        ]
        for row in board_rows(ward, server_now)
    }
    assert _spans(page) == expected
    assert any("days" in words[0] for words in expected.values())  # each way of writing it
    assert any(words[0].startswith("(in ") for words in expected.values())


def test_a_due_time_passing_brings_the_board_with_it_overdue(
    page: Page, live_server, sign_in, nurse, published_guidance
):
    from triage.models import Ward
    from triage.ward_board import board_rows

    # How long after an assessment like this one its first check is due (on another ward).
    elsewhere = Ward.objects.create(name="Elsewhere")
    probe = SubmittedEncounterFactory(ward=elsewhere, created_by=nurse, patient_identifier="PROBE")
    due = board_rows(elsewhere)[0].due
    first = min(due[kind]["at"] for kind in ("vitals", "neuro") if due[kind])
    after = first - probe.rounds.get().submitted_at
    sign_in("nurse1")
    SubmittedEncounterFactory(
        ward=nurse.wards.get(),
        created_by=nurse,
        patient_identifier="SOON",
        submitted_at=timezone.now() - after + timedelta(seconds=5),
    )
    page.goto(live_server.url + "/ward/")
    expect(page.locator("[data-due-overdue]")).to_have_count(0)
    # Within the page's next 15-second tick after the due time, not at the minute's refresh.
    expect(page.locator("[data-due-overdue]").first).to_be_attached(timeout=25_000)
    expect(page.locator("[data-board-row]")).to_have_count(1)


def test_a_refresh_keeps_the_keyboards_place_on_the_board(
    page: Page, live_server, sign_in, nurse, published_guidance
):
    _open_a_board_of(page, live_server, sign_in, nurse, beds=3)
    page.get_by_role("link", name="BED01").focus()
    SubmittedEncounterFactory(ward=nurse.wards.get(), created_by=nurse, patient_identifier="NEWBED")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator("[data-board-row]")).to_have_count(4)
    expect(page.get_by_role("link", name="BED01")).to_be_focused()
