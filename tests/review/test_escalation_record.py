"""The escalation record: who the nurse told of an emergency or urgent assessment, and a
physician's acknowledgement. Recorded on the result page (htmx or a plain post), shown as a badge
on the queue and the encounter page until recorded, audited, append-only."""

from __future__ import annotations

import doctest
import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from pghistory.models import Events

from tests.factories import PASSWORD
from tests.review.factories import RADICULAR, WEAK_LEG, reassess
from triage.actions import escalation as actions
from triage.models import Encounter, EscalationAcknowledgement, EscalationCall

pytestmark = pytest.mark.django_db

NOT_RECORDED = 'data-escalation-record="missing"'


def call_post(**changes) -> dict:
    local = timezone.localtime() - timedelta(minutes=5)
    data = {
        "informed_role": "registrar",
        "informed_name": "Dr Okafor",
        "method": "bleep",
        "called_at": f"{local:%Y-%m-%dT%H:%M}",
        "response": "attending",
        "response_detail": "",
        "submission": str(uuid.uuid4()),
    }
    return {**data, **changes}


def calls_url(encounter, number: int = 1) -> str:
    return f"/encounters/{encounter.pk}/rounds/{number}/escalation-calls/"


def record(encounter, by, **changes):
    data = call_post(**changes)
    data["called_at"] = timezone.now() - timedelta(minutes=5)
    data["submission"] = uuid.UUID(data["submission"])
    return actions.record_call(round=encounter.rounds.get(number=1), by=by, **data)


@pytest.fixture
def nurse_client(client, nurse):
    client.force_login(nurse)
    return client


# --- The encounter's state, kept by the actions ----------------------------------------------


def test_an_emergency_or_urgent_submission_is_not_recorded_until_a_call_is(make_encounter, nurse):
    emergency = make_encounter(answers=WEAK_LEG)
    urgent = make_encounter(answers=RADICULAR)
    routine = make_encounter()
    assert emergency.escalation_call == Encounter.EscalationCall.MISSING
    assert urgent.escalation_call == Encounter.EscalationCall.MISSING
    assert routine.escalation_call == Encounter.EscalationCall.NOT_NEEDED
    record(emergency, nurse)
    emergency.refresh_from_db()
    assert emergency.escalation_call == Encounter.EscalationCall.RECORDED


def test_a_new_escalated_reassessment_needs_its_own_call(make_encounter, nurse):
    encounter = make_encounter(answers=WEAK_LEG)
    record(encounter, nurse)
    reassess(encounter, by=nurse, answers=RADICULAR)
    assert encounter.escalation_call == Encounter.EscalationCall.MISSING
    # A calmer reassessment asks for nothing more.
    calm = make_encounter(answers=WEAK_LEG)
    record(calm, nurse)
    reassess(calm, by=nurse)
    assert calm.escalation_call == Encounter.EscalationCall.RECORDED


def test_recording_a_call_is_audited_and_moves_the_version_on(red_flag_encounter, nurse):
    before = red_flag_encounter.lock_version
    call = record(red_flag_encounter, nurse)
    red_flag_encounter.refresh_from_db()
    assert red_flag_encounter.lock_version == before + 1
    event = EscalationCall.pgh_event_model.objects.get(pgh_obj=call)
    assert event.pgh_label == "insert"
    assert event.pgh_context.metadata["action"] == "round.escalation_call"


def test_the_same_submission_records_one_call(red_flag_encounter, nurse):
    submission = str(uuid.uuid4())
    first = record(red_flag_encounter, nurse, submission=submission)
    again = record(red_flag_encounter, nurse, submission=submission)
    assert again.pk == first.pk
    assert EscalationCall.objects.count() == 1


def test_a_routine_assessment_has_no_escalation_to_record(make_encounter, nurse):
    with pytest.raises(actions.NotEscalated):
        record(make_encounter(), nurse)


def test_a_time_in_the_future_or_hours_before_submission_is_refused(red_flag_encounter, nurse):
    round = red_flag_encounter.rounds.get()
    now = timezone.now()
    assert actions.call_time_problem(now + timedelta(minutes=30), round, now)
    assert actions.call_time_problem(now + timedelta(minutes=1), round, now) is None
    early = round.submitted_at - actions.CALL_EARLIEST_BEFORE_SUBMISSION - timedelta(minutes=1)
    assert "2 hours before" in actions.call_time_problem(early, round, now)
    assert actions.call_time_problem(round.submitted_at - timedelta(hours=1), round, now) is None


def test_a_physician_acknowledges_every_waiting_escalation_once(
    red_flag_encounter, physician, nurse
):
    reassess(red_flag_encounter, by=nurse, answers=RADICULAR)
    made = actions.acknowledge(
        encounter=red_flag_encounter,
        by=physician,
        expected_version=red_flag_encounter.lock_version,
    )
    assert len(made) == 2
    red_flag_encounter.refresh_from_db()
    assert red_flag_encounter.escalation_call == Encounter.EscalationCall.ACKNOWLEDGED
    # A second tap, with the page's now stale version, changes nothing and is not refused.
    assert actions.acknowledge(encounter=red_flag_encounter, by=physician, expected_version=1) == []
    event = EscalationAcknowledgement.pgh_event_model.objects.filter(pgh_obj=made[0]).get()
    assert event.pgh_context.metadata["action"] == "round.escalation_acknowledged"


def test_a_stale_acknowledgement_is_refused(red_flag_encounter, physician):
    with pytest.raises(actions.Conflict):
        actions.acknowledge(encounter=red_flag_encounter, by=physician, expected_version=1)
    assert not EscalationAcknowledgement.objects.exists()


def test_nothing_is_recorded_once_signed_off(physician_client, red_flag_encounter, nurse):
    pk = red_flag_encounter.pk
    response = physician_client.post(
        f"/encounters/{pk}/sign/",
        {"password": PASSWORD, "lock_version": red_flag_encounter.lock_version},
    )
    assert response.status_code == 302
    with pytest.raises(actions.Locked):
        record(red_flag_encounter, nurse)
    page = physician_client.get(f"/encounters/{pk}/rounds/1/").content.decode()
    assert "no call can be added now" in page


# --- The database refuses what must never happen ---------------------------------------------


def test_calls_and_acknowledgements_are_append_only_even_by_raw_sql(
    red_flag_encounter, nurse, physician
):
    record(red_flag_encounter, nurse)
    actions.acknowledge(encounter=red_flag_encounter, by=physician, expected_version=None)
    for table in (
        "triage_escalationcall",
        "triage_escalationacknowledgement",
        "triage_escalationcallevent",
        "triage_escalationacknowledgementevent",
    ):
        column = "pgh_label" if table.endswith("event") else "id"
        value = "'tampered'" if column == "pgh_label" else "id + 1000"
        for statement in (
            f"UPDATE {table} SET {column} = {value}",  # noqa: S608 (constant table names)
            f"DELETE FROM {table}",  # noqa: S608
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(statement)
    assert EscalationCall.objects.count() == 1


def test_the_database_refuses_an_incomplete_call(red_flag_encounter, nurse):
    round = red_flag_encounter.rounds.get()
    now = timezone.now()
    base = dict(
        round=round,
        informed_role="registrar",
        informed_name="Dr Okafor",
        method="phone",
        called_at=now,
        response="attending",
        recorded_by=nurse,
        recorded_at=now,
    )
    for wrong in (
        {"informed_name": ""},
        {"response": "advice", "response_detail": ""},
        {"called_at": now + timedelta(hours=1)},
        {"method": "pigeon"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            EscalationCall.objects.create(**{**base, **wrong})


def test_the_database_refuses_a_call_on_a_draft_assessment(red_flag_encounter, nurse, physician):
    draft = reassess_draft(red_flag_encounter, nurse)
    now = timezone.now()
    details = dict(
        informed_role="registrar",
        informed_name="Dr Okafor",
        method="phone",
        called_at=now,
        response="attending",
        recorded_by=nurse,
        recorded_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationCall.objects.create(round=draft, **details)


def reassess_draft(encounter, nurse):
    from triage.actions.encounters import start_reassessment

    return start_reassessment(encounter=encounter, by=nurse)


def test_the_escalation_call_column_needs_an_escalation(make_encounter):
    routine = make_encounter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Encounter.objects.filter(pk=routine.pk).update(escalation_call="missing")


# --- The result page -------------------------------------------------------------------------


def test_the_result_page_asks_who_was_told_below_the_full_result(nurse_client, red_flag_encounter):
    page = nurse_client.get(f"/encounters/{red_flag_encounter.pk}/rounds/1/").content.decode()
    assert "Record who you told" in page
    assert NOT_RECORDED in page
    assert page.index('id="escalation-headline"') < page.index('id="escalation-record"')


def test_a_routine_result_asks_nothing(nurse_client, make_encounter):
    encounter = make_encounter()
    page = nurse_client.get(f"/encounters/{encounter.pk}/rounds/1/").content.decode()
    assert "Record who you told" not in page
    assert nurse_client.post(calls_url(encounter), call_post()).status_code == 404


def test_a_nurse_records_a_call_with_htmx_and_sees_it_listed(nurse_client, red_flag_encounter):
    response = nurse_client.post(
        calls_url(red_flag_encounter),
        call_post(response="plan", response_detail="CT spine tonight"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section class="card mb-3" id="escalation-record"')
    assert "Dr Okafor" in fragment and "CT spine tonight" in fragment
    assert "Record another call" in fragment
    assert NOT_RECORDED not in fragment
    red_flag_encounter.refresh_from_db()
    assert red_flag_encounter.escalation_call == "recorded"


def test_a_plain_post_records_the_call_and_returns_to_the_result(nurse_client, red_flag_encounter):
    response = nurse_client.post(calls_url(red_flag_encounter), call_post())
    assert response.status_code == 302
    assert response["Location"].endswith("/rounds/1/#escalation-record")
    page = nurse_client.get(response["Location"]).content.decode()
    assert "The call is recorded." in page
    assert "Dr Okafor" in page


def test_errors_are_in_plain_words_and_nothing_typed_is_lost(nurse_client, red_flag_encounter):
    future = timezone.localtime() + timedelta(hours=3)
    response = nurse_client.post(
        calls_url(red_flag_encounter),
        call_post(
            informed_name="  ",
            response="advice",
            response_detail="",
            called_at=f"{future:%Y-%m-%dT%H:%M}",
            method="",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Write the name of the person you told.",
        "Choose how you told them.",
        "The time of the call cannot be in the future.",
        "Write the advice they gave.",
    ):
        assert message in page
    assert 'value="registrar" selected' in page
    assert not EscalationCall.objects.exists()
    # With htmx the errors come in the fragment, as a 200 so that it is swapped in.
    response = nurse_client.post(
        calls_url(red_flag_encounter), call_post(method=""), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Choose how you told them." in response.content.decode()


def test_a_double_tap_records_one_call(nurse_client, red_flag_encounter):
    data = call_post()
    first = nurse_client.post(calls_url(red_flag_encounter), data)
    second = nurse_client.post(calls_url(red_flag_encounter), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert EscalationCall.objects.count() == 1


def test_several_calls_may_be_recorded(nurse_client, red_flag_encounter):
    nurse_client.post(calls_url(red_flag_encounter), call_post(informed_name="Dr A"))
    nurse_client.post(
        calls_url(red_flag_encounter),
        call_post(informed_role="consultant", informed_name="Dr B", method="phone"),
    )
    page = nurse_client.get(f"/encounters/{red_flag_encounter.pk}/rounds/1/").content.decode()
    assert page.count("data-escalation-call") == 2


# --- The badge on the queue and the encounter page --------------------------------------------


def test_the_badge_shows_on_the_queue_and_the_record_until_a_call_is_recorded(
    physician_client, red_flag_encounter, nurse
):
    detail = f"/encounters/{red_flag_encounter.pk}/"
    assert NOT_RECORDED in physician_client.get("/review/").content.decode()
    assert NOT_RECORDED in physician_client.get(detail).content.decode()
    record(red_flag_encounter, nurse)
    assert NOT_RECORDED not in physician_client.get("/review/").content.decode()
    page = physician_client.get(detail).content.decode()
    assert NOT_RECORDED not in page
    assert "Dr Okafor" in page
    assert "recorded a call to registrar Dr Okafor" in page


def test_a_physician_acknowledges_on_the_encounter_page(
    physician_client, red_flag_encounter, physician
):
    physician.last_name = "Mensah"
    physician.save()
    detail = f"/encounters/{red_flag_encounter.pk}/"
    assert "Acknowledge the escalation" in physician_client.get(detail).content.decode()
    response = physician_client.post(
        f"{detail}escalation/acknowledge/", {"lock_version": red_flag_encounter.lock_version}
    )
    assert response.status_code == 302
    page = physician_client.get(detail).content.decode()
    assert "Escalation acknowledged by Dr Mensah" in page
    assert "Acknowledge the escalation" not in page
    queue = physician_client.get("/review/").content.decode()
    assert "Escalation acknowledged by Dr Mensah" in queue
    assert NOT_RECORDED not in queue


def test_a_nurse_cannot_acknowledge_and_sees_no_button(client, nurse, red_flag_encounter):
    client.force_login(nurse)
    detail = f"/encounters/{red_flag_encounter.pk}/"
    page = client.get(detail).content.decode()
    assert "Acknowledge the escalation" not in page
    assert "Record a call" in page
    response = client.post(f"{detail}escalation/acknowledge/", {"lock_version": 1})
    assert response.status_code == 403


def test_the_audit_trail_says_it_in_words(physician_client, red_flag_encounter, nurse):
    record(red_flag_encounter, nurse)
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/audit/").content.decode()
    assert "Recorded who was told of the escalation" in page
    assert "Registrar" in page and "Bleep" in page and "Attending now" in page
    assert "Escalation not recorded" in page  # the record's state, before -> after
    events = Events.objects.references(red_flag_encounter.rounds.get()).across(
        "triage.EscalationCallEvent"
    )
    assert events.count() == 1


def test_the_worked_examples_in_the_docstrings_hold():
    result = doctest.testmod(actions)
    assert result.attempted > 0
    assert result.failed == 0
