"""The ward's handover: every open encounter's SBAR in one document, in the board's order, in
a constant number of queries, a physician's reads audited."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.review.factories import BREATHLESS, RADICULAR, WEAK_LEG, reassess, record_registrar_call
from triage.models import EncounterView

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
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    client.force_login(physician)
    first = make_encounter()
    client.get(URL)  # the guidance cache, warm
    one = count()
    for answers in (WEAK_LEG, BREATHLESS, {}):
        reassess(make_encounter(answers=answers), by=first.created_by)
    assert count() == one <= 6


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
