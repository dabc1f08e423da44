"""Discharge with its checklist: signed by a physician, refused while a red flag of the latest
assessment stands, append-only and audited, the checklist enforced by the database too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from pghistory.models import Events

from tests.factories import PASSWORD
from tests.review.factories import reassess
from triage.actions import discharge as discharge_actions
from triage.actions import review as review_actions
from triage.actions.encounters import start_reassessment
from triage.models import Discharge, Encounter


def url(encounter: Encounter) -> str:
    return f"/encounters/{encounter.pk}/discharge/"


def checklist(encounter: Encounter, **changes) -> dict:
    encounter.refresh_from_db()
    return {
        "mobilised": "on",
        "pain_controlled": "on",
        "follow_up_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "follow_up_with": "Spinal clinic",
        "educated": "on",
        "educated_by": "Staff nurse Okafor",
        "osteoporosis": "bisphosphonate",
        "osteoporosis_reason": "",
        "password": PASSWORD,
        "lock_version": encounter.lock_version,
        **changes,
    }


@pytest.fixture
def well(make_encounter):
    """A submitted encounter without a red flag."""
    return make_encounter(patient_identifier="WELL01")


def rule_out(encounter: Encounter, by, decision: str = "ruled_out") -> None:
    review_actions.add_override(
        round=encounter.rounds.get(number=1),
        by=by,
        kind="red_flag",
        code="progressive_neuro_deficit",
        decision=decision,
        reason="Examined: power was 3/5 before the procedure too",
        expected_version=None,
    )


def test_a_physician_discharges_with_the_checklist_and_it_is_audited(
    physician_client, physician, well
):
    response = physician_client.post(url(well), checklist(well))
    assert response.status_code == 302
    assert response["Location"] == f"/encounters/{well.pk}/#discharge"
    discharge = Discharge.objects.get(encounter=well)
    assert (discharge.discharged_by, discharge.follow_up_with, discharge.osteoporosis) == (
        physician,
        "Spinal clinic",
        "bisphosphonate",
    )
    event = Events.objects.references(well).get(pgh_obj_model="triage.Discharge")
    assert event.pgh_context["action"] == "encounter.discharge"
    assert event.pgh_context["user"] == physician.pk
    page = physician_client.get(response["Location"]).content.decode()
    assert 'data-discharged-by="physician1"' in page
    assert "Follow-up booked for" in page and "Spinal clinic" in page
    assert "Bisphosphonate started" in page
    assert f'action="{url(well)}"' not in page  # no second discharge form
    audit = physician_client.get(f"/encounters/{well.pk}/audit/").content.decode()
    assert "Discharged the patient" in audit


def test_an_open_red_flag_refuses_discharge_with_a_clear_message(
    physician_client, red_flag_encounter
):
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    assert "Not ready for discharge" in page
    assert f'action="{url(red_flag_encounter)}"' not in page
    response = physician_client.post(url(red_flag_encounter), checklist(red_flag_encounter))
    assert response.status_code == 409
    content = response.content.decode()
    assert "red flag that is still open: Progressive neurological deficit" in content
    assert "Spinal clinic" in content  # nothing typed is lost
    assert not Discharge.objects.exists()


def test_agreeing_with_the_red_flag_keeps_it_open_ruling_it_out_closes_it(
    physician_client, physician, red_flag_encounter
):
    rule_out(red_flag_encounter, physician, decision="confirmed")
    response = physician_client.post(url(red_flag_encounter), checklist(red_flag_encounter))
    assert response.status_code == 409
    rule_out(red_flag_encounter, physician, decision="ruled_out")
    response = physician_client.post(url(red_flag_encounter), checklist(red_flag_encounter))
    assert response.status_code == 302
    assert Discharge.objects.filter(encounter=red_flag_encounter).exists()


def test_a_later_assessment_without_the_red_flag_resolves_it(
    physician_client, nurse, red_flag_encounter
):
    reassess(red_flag_encounter, by=nurse)  # a well patient's answers
    response = physician_client.post(url(red_flag_encounter), checklist(red_flag_encounter))
    assert response.status_code == 302


def test_a_reassessment_in_progress_refuses_discharge(physician_client, nurse, well):
    start_reassessment(encounter=well, by=nurse)
    response = physician_client.post(url(well), checklist(well))
    assert response.status_code == 409
    assert "A reassessment of this patient is in progress" in response.content.decode()
    assert not Discharge.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"mobilised": ""}, "Confirm supervised mobilisation before discharge."),
        ({"educated": ""}, "Confirm the patient has been told to report sudden or new back"),
        ({"follow_up_with": ""}, "Say who the follow-up is with."),
        (
            {"follow_up_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "The follow-up must be today or later.",
        ),
        (
            {"osteoporosis": "not_started"},
            "Say why osteoporosis treatment is neither started nor referred.",
        ),
        ({"password": "not-my-password"}, "That password is not right"),
    ],
)
def test_an_incomplete_checklist_is_refused_in_words(physician_client, well, changes, error):
    response = physician_client.post(url(well), checklist(well, **changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Discharge.objects.exists()


def test_a_signed_off_record_can_still_be_discharged(physician_client, physician, well):
    review_actions.sign_off(encounter=well, by=physician, comment="", expected_version=None)
    response = physician_client.post(url(well), checklist(well))
    assert response.status_code == 302


def test_nurses_cannot_discharge(client, nurse, well):
    client.force_login(nurse)
    assert client.post(url(well), checklist(well)).status_code == 403
    page = client.get(f"/encounters/{well.pk}/").content.decode()
    assert "A physician of the ward discharges the patient" in page


def test_a_second_discharge_is_refused(physician, well):
    def once():
        return discharge_actions.discharge(
            encounter=well,
            by=physician,
            follow_up_on=timezone.localdate(),
            follow_up_with="Clinic",
            educated_by="Nurse",
            osteoporosis="referred",
            osteoporosis_reason="",
            expected_version=None,
        )

    first = once()
    with pytest.raises(discharge_actions.AlreadyDischarged) as refused:
        once()
    assert refused.value.existing == first


def test_the_database_refuses_an_incomplete_checklist_and_any_change(physician, well):
    row = {
        "encounter": well,
        "mobilised": True,
        "pain_controlled": True,
        "follow_up_on": timezone.localdate(),
        "follow_up_with": "Clinic",
        "educated_by": "Nurse",
        "osteoporosis": "not_started",
        "osteoporosis_reason": "",
        "discharged_by": physician,
    }
    for broken in (
        {},  # not started, and no reason
        {"osteoporosis": "referred", "mobilised": False},
        {"osteoporosis": "referred", "educated_by": ""},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Discharge.objects.create(**{**row, **broken})
    Discharge.objects.create(**{**row, "osteoporosis": "referred"})
    for statement in (
        "UPDATE triage_discharge SET follow_up_with = 'x'",
        "DELETE FROM triage_discharge",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
