"""The ward's handover: every open encounter's SBAR in one document, in the board's order, in
a constant number of queries, a physician's reads audited."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.review.factories import BREATHLESS, RADICULAR, WEAK_LEG, reassess, record_registrar_call
from triage import handover
from triage.actions import review
from triage.handover import observations_rows, time_since_procedure
from triage.models import EncounterView, Ward
from triage.ward_board import board_rows
from triage.ward_handover import build_all, patient_key, patients_html

URL = "/ward/handover/"


def test_every_open_encounter_in_the_boards_order(client, nurse, make_encounter):
    make_encounter(patient_identifier="CALM")
    make_encounter(patient_identifier="WEAK", answers=WEAK_LEG)
    client.force_login(nurse)
    content = client.get(URL).content.decode()
    assert re.findall(r'data-handover-patient="(\w+)"', content) == ["WEAK", "CALM"]
    assert content.count('data-sbar="S"') == content.count('data-sbar="R"') == 2
    ids = re.findall(r' id="([^"]+)"', content)
    assert len(ids) == len(set(ids))  # two patients' sections never share an id


def test_it_costs_the_same_queries_for_one_patient_or_many(client, physician, make_encounter):
    def count(kept: bool) -> int:
        if not kept:
            caches["handovers"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    client.force_login(physician)
    first = make_encounter()
    client.get(URL)  # the guidance cache, warm
    one, one_kept = count(kept=False), count(kept=True)
    for answers in (WEAK_LEG, BREATHLESS, {}):
        reassess(make_encounter(answers=answers), by=first.created_by)
    assert count(kept=False) == one <= 6
    # Kept patients' whole encounters and rounds are not read.
    assert count(kept=True) == one_kept == one - 2


def test_a_kept_patient_is_not_built_again_until_something_they_show_changes(
    client, nurse, make_encounter, monkeypatch
):
    calm = make_encounter(patient_identifier="CALM")
    make_encounter(patient_identifier="WEAK", answers=WEAK_LEG)
    built = []
    build = handover.build

    def counted(encounter, *args):
        built.append(encounter.pk)
        return build(encounter, *args)

    monkeypatch.setattr(handover, "build", counted)
    client.force_login(nurse)
    client.get(URL)
    assert len(built) == 2
    built.clear()
    content = client.get(URL).content.decode()
    assert built == [] and "<dd>CALM</dd>" in content
    reassess(calm, by=nurse, answers=BREATHLESS)  # a new submitted round: CALM's part changes
    content = client.get(URL).content.decode()
    assert built == [calm.pk] and "Reassessment 2" in content


def test_a_patients_part_is_written_again_as_the_time_moves_on(nurse, make_encounter):
    encounter = make_encounter(patient_identifier="CALM")
    now = timezone.now()
    later = now + timedelta(hours=3)

    def part(at) -> tuple[str, str]:
        rows = board_rows(encounter.ward, at, handover=True)
        ward = encounter.ward.name
        return patient_key(rows[0], 1, at, ward), str(patients_html(rows, ward, at)[0])

    (key, html), (later_key, later_html) = part(now), part(later)
    assert part(now)[0] == key  # the same moment: the same key
    assert later_key != key
    hours = time_since_procedure(encounter.procedure_at, later)
    assert f"<dd>{hours}</dd>" in later_html and f"<dd>{hours}</dd>" not in html


def test_the_key_changes_with_each_thing_a_patients_part_is_written_from(make_encounter):
    make_encounter(patient_identifier="WEAK", answers=WEAK_LEG)
    ward, now = Ward.objects.get(), timezone.now()
    (row,) = board_rows(ward, now, handover=True)
    encounter = row.encounter
    key = patient_key(row, 1, now, ward.name)
    changes = {
        "the patient": lambda: setattr(encounter, "patient_identifier", "OTHER"),
        "the procedure's time": lambda: setattr(
            encounter, "procedure_at", encounter.procedure_at - timedelta(minutes=1)
        ),
        "the levels": lambda: setattr(encounter, "levels", ["L2"]),
        "the escalation record": lambda: setattr(encounter, "escalation_call", "recorded"),
        "who acknowledged it": lambda: setattr(encounter, "escalation_acknowledged_by", "Smith"),
        "who signed it off": lambda: setattr(encounter, "signed_off_by", "physician"),
        "when": lambda: setattr(encounter, "signed_off_at", now),
        "the submitted rounds": lambda: setattr(encounter, "submitted_numbers", [1, 2]),
        "the observations due": lambda: setattr(row, "due", None),
    }
    for change, make in changes.items():
        (row,) = board_rows(ward, now, handover=True)
        encounter = row.encounter
        make()
        assert patient_key(row, 1, now, ward.name) != key, change
    (row,) = board_rows(ward, now, handover=True)
    assert patient_key(row, 1, now, ward.name) == key  # read again, unchanged
    assert patient_key(row, 1, now, "Renamed ward") != key, "the ward's name"
    assert patient_key(row, 2, now, ward.name) != key, "its place on the page (its ids)"
    later = now + timedelta(hours=1)
    assert patient_key(row, 1, later, ward.name) != key, "the hours since the procedure"
    with timezone.override("America/New_York"):
        assert patient_key(row, 1, now, ward.name) != key, "the time zone its times are in"


def test_a_part_written_from_what_changed_after_the_boards_read_is_shown_not_kept(
    nurse, physician, make_encounter
):
    encounter = make_encounter(patient_identifier="CALM")
    ward, now = Ward.objects.get(), timezone.now()
    caches["handovers"].clear()
    rows = board_rows(ward, now, handover=True)  # read before the sign-off
    review.sign_off(encounter=encounter, by=physician, comment="", expected_version=None)
    (html,) = patients_html(rows, ward.name, now)
    assert f"signed off by {physician.username}" in html  # what is there now
    assert caches["handovers"].get(patient_key(rows[0], 1, now, ward.name)) is None
    rows = board_rows(ward, now, handover=True)  # read again: kept under its own key
    assert patients_html(rows, ward.name, now) == [html]
    assert caches["handovers"].get(patient_key(rows[0], 1, now, ward.name)) == html


def test_what_the_key_says_of_the_observations_due_is_what_the_handover_shows(
    nurse, make_encounter
):
    # The key takes the due times from the board's row (read from the round's board summary),
    # the handover from the whole stored assessment: the same rule over the same keys.
    for answers in ({}, WEAK_LEG, BREATHLESS, RADICULAR):
        make_encounter(answers=answers)
    ward = Ward.objects.get()
    now = timezone.now()
    rows = board_rows(ward, now, handover=True)
    for row, (sbar, as_read) in zip(rows, build_all(rows, ward.name, now), strict=True):
        due = observations_rows(row.due)
        assert as_read and due and set(due) <= set(sbar.recommendation.rows)


def test_a_physicians_read_of_each_record_is_audited(client, physician, make_encounter):
    encounters = [make_encounter(), make_encounter()]
    client.force_login(physician)
    client.get(URL)
    assert set(EncounterView.objects.values_list("encounter", "user", "path")) == {
        (e.pk, physician.pk, URL) for e in encounters
    }


def test_an_empty_ward_says_so(client, nurse, ward):
    client.force_login(nurse)
    assert "there is nobody to hand over" in client.get(URL).content.decode()


def _charts(content: str) -> dict[str, str]:
    """Each patient's observation chart figures (the table under the chart), by patient."""
    charts = {}
    for article in content.split("<article ")[1:]:
        patient = re.search(r'data-handover-patient="(\w+)"', article)
        table = re.search(r"<table data-obs-table>.*?</table>", article, re.DOTALL)
        assert patient and table
        charts[patient.group(1)] = table.group(0)
    return charts


def test_each_patients_chart_is_their_own_and_a_new_round_shows_on_the_next_load(
    client, nurse, make_encounter
):
    # The charts' HTML is kept per process for the same figures: never another patient's.
    calm = make_encounter(patient_identifier="CALM")
    make_encounter(patient_identifier="BREATH", answers=BREATHLESS)
    client.force_login(nurse)
    for _ in range(2):  # rendered, then from the cache
        charts = _charts(client.get(URL).content.decode())
        assert "118 per min" in charts["BREATH"] and "118 per min" not in charts["CALM"]
        assert charts["CALM"].count('<th scope="col">') == 2  # one assessment
    reassess(calm, by=nurse, answers=BREATHLESS)
    charts = _charts(client.get(URL).content.decode())
    assert "118 per min" in charts["CALM"] and charts["CALM"].count('<th scope="col">') == 3


def test_each_patients_sections_are_their_own_and_changes_show_on_the_next_load(
    client, nurse, physician, make_encounter
):
    # Each section's HTML is kept per process under a digest of what it shows.

    calm = make_encounter(patient_identifier="CALM")
    make_encounter(patient_identifier="CALM2")  # the same answers, another patient
    urgent = make_encounter(patient_identifier="URGENT", answers=RADICULAR)
    client.force_login(nurse)

    def sections() -> dict[str, str]:
        content = client.get(URL).content.decode()
        return {
            re.search(r'data-handover-patient="(\w+)"', article).group(1): article
            for article in content.split("<article ")[1:]
        }

    for _ in range(2):  # rendered, then from the cache
        shown = sections()
        assert "<dd>CALM</dd>" in shown["CALM"] and "<dd>CALM2</dd>" not in shown["CALM"]
        assert "<dd>CALM2</dd>" in shown["CALM2"] and "<dd>CALM</dd>" not in shown["CALM2"]
        assert "Trend across assessments" not in shown["CALM"]
        assert "not recorded: record who was told" in shown["URGENT"]
    reassess(calm, by=nurse, answers=BREATHLESS)
    record_registrar_call(urgent.rounds.get(), by=nurse)
    shown = sections()
    assert "Trend across assessments" in shown["CALM"] and "Reassessment 2" in shown["CALM"]
    assert "Trend across assessments" not in shown["CALM2"]
    assert "recorded (who was told, how, when, their answer)" in shown["URGENT"]
