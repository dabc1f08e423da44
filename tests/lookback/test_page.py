"""The look-back page and its CSV: physicians only, their wards only, every opening recorded,
and nothing stored ever changed."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.lookback.conftest import EXPECTED_ORDER, V1_SNAPSHOTS
from triage.lookback import CSV_HEADER
from triage.models import Encounter, LookbackRun, Round
from triage.roles import Role

PAGE, CSV = "/review/lookback/", "/review/lookback.csv"
ROW = re.compile(r'<tr data-round="(\d+)"')

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """Patient identifiers of the rows, in order."""
    assert response.status_code == 200, response.content.decode()[:2000]
    content = response.content.decode()
    by_pk = dict(Round.objects.values_list("pk", "encounter__patient_identifier"))
    return [by_pk[int(pk)] for pk in ROW.findall(content)]


def csv_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(CSV_HEADER)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def physician_client(client, physician):
    client.force_login(physician)
    return client


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_signed_out_requests_go_to_sign_in(client, url, seed_v1):
    seed_v1(["fever-39-5"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    # htmx is told to load the sign-in page whole, never given it to swap into a fragment.
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next={url}"
    assert response.content == b""
    assert not LookbackRun.objects.exists()


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_only_physicians_may_look_back(client, url, nurse, guidance_admin, seed_v1):
    seed_v1(["fever-39-5"])
    for user in (nurse, guidance_admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403
        assert b"fever" not in response.content
    assert not LookbackRun.objects.exists()


def test_it_is_read_only_over_http(physician_client):
    assert physician_client.post(PAGE).status_code == 405
    assert physician_client.post(CSV).status_code == 405
    assert not LookbackRun.objects.exists()


def test_a_physician_sees_the_changed_rounds_of_their_wards_most_dangerous_first(
    physician_client, seed_v1, v2_rounds, other_ward
):
    rounds = seed_v1()
    seed_v1(["respiratory-rate-8"], ward=other_ward, prefix="other-")
    response = physician_client.get(PAGE)
    assert listed(response) == EXPECTED_ORDER
    content = response.content.decode()
    assert "<caption>" in content and 'scope="row"' in content
    assert "16 submitted assessments checked; <strong>9</strong> would now come out" in (
        content.replace("<strong>16</strong>", "16")
    )
    # Each row opens the encounter's record at the round that changed.
    fever = rounds["fever-39-5"]
    assert f'href="/encounters/{fever.encounter_id}/?round=1"' in content
    assert "other-respiratory-rate-8" not in content


def test_a_physician_of_two_wards_sees_both(client, seed_v1, ward, other_ward):
    seed_v1(["fever-39-5"])
    seed_v1(["respiratory-rate-8"], ward=other_ward, prefix="other-")
    both = UserFactory(username="both", roles=(Role.PHYSICIAN,), wards=(ward, other_ward))
    client.force_login(both)
    assert listed(client.get(PAGE)) == ["other-respiratory-rate-8", "fever-39-5"]


def test_the_page_speaks_plain_words_not_codes(physician_client, seed_v1):
    seed_v1()
    content = physician_client.get(PAGE).content.decode()
    assert (
        "Was routine with transient post-procedural pain → now emergency: altered "
        "consciousness and signs of shock (circulatory compromise)"
    ) in content
    assert "New red flag: Slow breathing (respiratory depression)" in content
    assert "Pathway no longer listed: Transient post-procedural pain (was suspected)" in content
    # The escalation is said in words beside its colour.
    assert re.search(r'app-escalation-badge-emergency">Emergency</span>', content)
    for code in (
        "transient_pain",
        "altered_consciousness",
        "respiratory_depression",
        "circulatory_compromise",
        "cement_embolism",
        "news2_high",
    ):
        assert code not in content


def test_a_round_that_cannot_be_checked_is_shown_with_the_reason(
    physician_client, ward, nurse, published_guidance
):
    from django.utils import timezone

    from tests.lookback.conftest import store_submitted_round

    item = V1_SNAPSHOTS[0]
    store_submitted_round(
        ward=ward,
        nurse=nurse,
        guidance=published_guidance,
        name="UNREADABLE",
        findings={**item["findings"], "vitals": {**item["findings"]["vitals"], "spo2": 30}},
        assessment=item["assessment"],
        at=timezone.now(),
    )
    content = physician_client.get(PAGE).content.decode()
    assert "Assessments the current rules could not check" in content
    assert "vitals.spo2: must be between 50 and 100" in content
    assert "UNREADABLE" in content
    assert "data-empty-lookback" not in content
    (row,) = csv_of(physician_client.get(CSV))
    assert row["patient"] == "UNREADABLE"
    assert row["not_reassessed_because"] == "vitals.spo2: must be between 50 and 100"
    assert row["escalation_now"] == ""


def test_empty_states(client, physician, v2_rounds, other_ward):
    client.force_login(physician)
    content = client.get(PAGE).content.decode()
    assert "Every submitted assessment on your wards would come out the same" in content
    assert "<table" not in content
    elsewhere = UserFactory(username="elsewhere", roles=(Role.PHYSICIAN,), wards=(other_ward,))
    client.force_login(elsewhere)
    assert "There are no submitted assessments on your wards yet." in (
        client.get(PAGE).content.decode()
    )
    nowhere = UserFactory(username="nowhere", roles=(Role.PHYSICIAN,), wards=())
    client.force_login(nowhere)
    assert "You do not cover any ward" in client.get(PAGE).content.decode()


def test_the_review_queue_links_to_the_look_back(physician_client, published_guidance):
    content = physician_client.get("/review/").content.decode()
    assert f'href="{PAGE}"' in content


def test_every_opening_is_recorded(physician_client, physician, seed_v1, v2_rounds, ward):
    seed_v1()
    physician_client.get(PAGE)
    physician_client.get(CSV)
    page, export = LookbackRun.objects.order_by("pk")
    for run, source in ((page, "page"), (export, "csv")):
        assert run.source == source
        assert run.by == physician
        assert run.rules_version == "v2"
        assert list(run.wards.all()) == [ward]
        assert (run.rounds_checked, run.rounds_changed) == (16, 9)


def test_the_csv_lists_the_same_rounds_with_words_and_codes(physician_client, seed_v1):
    rounds = seed_v1()
    response = physician_client.get(CSV)
    assert 'attachment; filename="lookback-rules-v2-' in response["Content-Disposition"]
    rows = csv_of(response)
    assert [row["patient"] for row in rows] == EXPECTED_ORDER
    row = next(r for r in rows if r["patient"] == "unresponsive-systolic-90")
    assert row["ward"] == "Spinal ward"
    assert row["assessment"] == "First assessment"
    assert (row["assessed_under_rules"], row["current_rules"]) == ("v1", "v2")
    assert (row["escalation_then"], row["escalation_now"]) == ("Routine", "Emergency")
    assert row["change"].startswith("Was routine with transient post-procedural pain → now")
    assert row["red_flags_added"] == (
        "Altered consciousness; Signs of shock (circulatory compromise)"
    )
    assert row["pathways_removed"] == "Transient post-procedural pain (was suspected)"
    assert row["red_flag_codes_then"] == ""
    assert row["red_flag_codes_now"] == "altered_consciousness circulatory_compromise"
    assert row["pathways_then"] == "transient_pain:suspected"
    assert row["pathways_now"] == "cement_embolism:suspected"
    encounter = rounds["unresponsive-systolic-90"].encounter_id
    assert row["record"] == f"/encounters/{encounter}/?round=1"
    assert row["encounter_id"] == str(encounter)


def test_csv_cells_cannot_run_as_formulas(physician_client, seed_v1):
    seed_v1(["fever-39-5"], prefix="=")
    (row,) = csv_of(physician_client.get(CSV))
    assert row["patient"] == "'=fever-39-5"


def test_the_query_count_does_not_grow_with_the_rounds(physician_client, seed_v1):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = listed(physician_client.get(PAGE))
        return len(rows), len(queries)

    seed_v1(["fever-39-5", "respiratory-rate-8"])
    rows_2, queries_2 = count()
    seed_v1(prefix="more-")
    rows_11, queries_11 = count()
    assert (rows_2, rows_11) == (2, 11)
    assert queries_11 == queries_2


def stored_rounds() -> list[tuple]:
    """Every round exactly as the database holds it (the JSON as its text)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, findings::text, assessment::text, updated_at, rules_version "
            "FROM triage_round ORDER BY id"
        )
        return cursor.fetchall()


def event_counts() -> dict[str, int]:
    return {
        name: apps.get_model("triage", name).objects.count()
        for name in ("RoundEvent", "EncounterEvent")
    }


def test_looking_back_never_changes_a_stored_round(physician_client, seed_v1, v2_rounds):
    rounds = seed_v1()
    before, events = stored_rounds(), event_counts()
    encounters = list(Encounter.objects.order_by("pk").values())

    assert physician_client.get(PAGE).status_code == 200
    assert physician_client.get(CSV).status_code == 200
    call_command("lookback", stdout=io.StringIO())
    call_command("lookback", "--csv", stdout=io.StringIO())

    assert stored_rounds() == before  # findings and assessment byte for byte
    assert event_counts() == events  # no audit event for any round or encounter
    assert list(Encounter.objects.order_by("pk").values()) == encounters
    assert LookbackRun.objects.count() == 4
    # Still the v1 snapshot, as the v1 engine made it.
    for item in V1_SNAPSHOTS:
        stored = Round.objects.get(pk=rounds[item["name"]].pk)
        assert stored.assessment == item["assessment"]
        assert stored.findings == item["findings"]
        assert stored.rules_version == "v1"
