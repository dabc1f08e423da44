"""Sign-off with a password signature, the lock it puts on the record, and two people at once."""

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError, transaction

from tests.factories import PASSWORD, UserFactory
from tests.review.factories import fill_round
from triage.actions import encounters as encounter_actions
from triage.actions import review as actions
from triage.models import Encounter, EncounterView, Round, SignOff
from triage.roles import Role


def sign_url(encounter: Encounter) -> str:
    return f"/encounters/{encounter.pk}/sign/"


def sign_post(encounter: Encounter, **overrides) -> dict:
    encounter.refresh_from_db()
    return {
        "comment": "Reviewed; plan agreed.",
        "password": PASSWORD,
        "lock_version": encounter.lock_version,
        **overrides,
    }


@pytest.fixture
def colleague(ward):
    return UserFactory(username="physician2", roles=(Role.PHYSICIAN,), wards=(ward,))


def test_a_physician_signs_with_their_password(physician_client, red_flag_encounter, physician):
    response = physician_client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 302
    assert response["Location"] == f"/encounters/{red_flag_encounter.pk}/#sign-off"
    sign_off = SignOff.objects.get(encounter=red_flag_encounter)
    assert (sign_off.signed_by, sign_off.comment) == (physician, "Reviewed; plan agreed.")
    red_flag_encounter.refresh_from_db()
    assert red_flag_encounter.queue_rank == Encounter.QueueRank.SIGNED_OR_DRAFT
    page = physician_client.get(response["Location"]).content.decode()
    assert 'data-signed-by="physician1"' in page
    assert "Reviewed; plan agreed." in page
    assert f'action="/encounters/{red_flag_encounter.pk}/sign/"' not in page


def test_a_wrong_password_is_refused_and_nothing_is_written(physician_client, red_flag_encounter):
    before = Encounter.objects.values().get(pk=red_flag_encounter.pk)
    response = physician_client.post(
        sign_url(red_flag_encounter),
        sign_post(red_flag_encounter, password="not-my-password"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "That password is not right, so nothing was signed." in content
    assert 'href="#id_sign_password"' in content  # the error summary names the field
    assert "Reviewed; plan agreed." in content  # the comment is still there
    assert 'value="not-my-password"' not in content  # the password is never echoed
    assert not SignOff.objects.exists()
    assert Encounter.objects.values().get(pk=red_flag_encounter.pk) == before


def test_a_missing_password_is_refused(physician_client, red_flag_encounter):
    response = physician_client.post(
        sign_url(red_flag_encounter), sign_post(red_flag_encounter, password="")
    )
    assert response.status_code == 400
    assert "Enter your password to sign." in response.content.decode()
    assert not SignOff.objects.exists()


def test_no_sign_off_while_a_reassessment_is_a_draft(physician_client, red_flag_encounter, nurse):
    encounter_actions.start_reassessment(encounter=red_flag_encounter, by=nurse)
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    assert "A reassessment is in progress" in page
    assert f"/encounters/{red_flag_encounter.pk}/sign/" not in page
    response = physician_client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 409
    assert "A reassessment of this patient is in progress" in response.content.decode()
    assert not SignOff.objects.exists()


def test_a_signed_encounter_is_not_signed_twice(physician_client, red_flag_encounter):
    physician_client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    response = physician_client.post(
        sign_url(red_flag_encounter), sign_post(red_flag_encounter, comment="Again")
    )
    assert response.status_code == 409
    assert SignOff.objects.count() == 1


def test_two_physicians_signing_at_once_the_second_is_told_and_keeps_their_comment(
    client, red_flag_encounter, physician, colleague
):
    stale = sign_post(red_flag_encounter, comment="My own careful comment")
    client.force_login(physician)
    assert client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter)).status_code
    client.force_login(colleague)
    response = client.post(sign_url(red_flag_encounter), stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "physician1 signed this encounter off while you had it open" in content
    # Nothing typed is lost: the comment waits in the addendum box.
    assert "\nMy own careful comment</textarea>" in content
    assert list(SignOff.objects.values_list("signed_by__username", flat=True)) == ["physician1"]


def test_a_page_changed_since_it_was_read_is_a_conflict_that_keeps_the_comment(
    client, red_flag_encounter, physician, colleague
):
    stale = sign_post(red_flag_encounter, comment="Signing what I saw")
    actions.add_override(
        round=red_flag_encounter.rounds.get(),
        by=physician,
        kind="red_flag",
        code="progressive_neuro_deficit",
        decision="ruled_out",
        reason="Weakness known from before the procedure",
        expected_version=None,
    )
    client.force_login(colleague)
    response = client.post(sign_url(red_flag_encounter), stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else has saved changes to this encounter since you opened it." in content
    assert "\nSigning what I saw</textarea>" in content
    assert "Weakness known from before the procedure" in content  # the change is shown
    red_flag_encounter.refresh_from_db()
    assert f'name="lock_version" value="{red_flag_encounter.lock_version}"' in content
    assert not SignOff.objects.exists()
    # Signed again from the page as now shown, it goes through.
    response = client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 302


def test_the_lock_holds_in_the_database_whatever_the_code_does(red_flag_encounter, physician):
    actions.sign_off(
        encounter=red_flag_encounter,
        by=physician,
        comment="",
        expected_version=None,
    )
    round = red_flag_encounter.rounds.get()
    attempts = [
        lambda: Round.objects.filter(pk=round.pk).update(last_step="symptoms"),
        lambda: Encounter.objects.filter(pk=red_flag_encounter.pk).update(
            patient_identifier="CHANGED"
        ),
        lambda: Encounter.objects.filter(pk=red_flag_encounter.pk).update(queue_rank=2),
        lambda: Round.objects.create(encounter=red_flag_encounter, number=2, created_by=physician),
        lambda: SignOff.objects.filter(encounter=red_flag_encounter).update(comment="edited"),
        lambda: SignOff.objects.filter(encounter=red_flag_encounter).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Encounter.objects.get(pk=red_flag_encounter.pk).patient_identifier == "RED001"


def test_the_wizard_refuses_a_signed_encounter_with_a_message(
    client, nurse, red_flag_encounter, physician
):
    actions.sign_off(encounter=red_flag_encounter, by=physician, comment="", expected_version=None)
    client.force_login(nurse)
    page = client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    assert "Reassess the patient" not in page
    response = client.post(f"/encounters/{red_flag_encounter.pk}/reassess/", follow=True)
    assert response.status_code == 200
    assert "signed off and is locked" in response.content.decode()
    assert red_flag_encounter.rounds.count() == 1


def test_the_actions_refuse_a_locked_encounter_before_the_database_has_to(
    red_flag_encounter, nurse, physician
):
    draft = encounter_actions.start_reassessment(encounter=red_flag_encounter, by=nurse)
    # A sign-off that slipped past the rules (written straight to the table) still locks.
    SignOff.objects.create(encounter=red_flag_encounter, signed_by=physician)
    with pytest.raises(encounter_actions.Locked):
        encounter_actions.start_reassessment(encounter=red_flag_encounter, by=nurse)
    with pytest.raises(encounter_actions.Locked):
        fill_round(draft, {}, nurse)
    with pytest.raises(encounter_actions.Locked):
        encounter_actions.submit_round(round=draft, by=nurse)


def test_nurses_cannot_sign(client, nurse, red_flag_encounter):
    client.force_login(nurse)
    response = client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_a_physician_of_another_ward_cannot_sign(client, red_flag_encounter, other_ward):
    outsider = UserFactory(username="elsewhere", roles=(Role.PHYSICIAN,), wards=(other_ward,))
    client.force_login(outsider)
    response = client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 404
    assert not SignOff.objects.exists()


def test_a_signed_out_post_goes_to_sign_in_and_keeps_no_password(client, red_flag_encounter):
    response = client.post(sign_url(red_flag_encounter), sign_post(red_flag_encounter))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "unsent_posts" not in client.session


def test_every_physician_view_of_the_record_is_logged(client, physician, nurse, red_flag_encounter):
    client.force_login(nurse)
    client.get(f"/encounters/{red_flag_encounter.pk}/")
    assert not EncounterView.objects.exists()
    client.force_login(physician)
    client.get(f"/encounters/{red_flag_encounter.pk}/")
    client.get(f"/encounters/{red_flag_encounter.pk}/?round=1", headers={"HX-Request": "true"})
    views = list(EncounterView.objects.order_by("viewed_at").values_list("user", "path"))
    assert views == [
        (physician.pk, f"/encounters/{red_flag_encounter.pk}/"),
        (physician.pk, f"/encounters/{red_flag_encounter.pk}/?round=1"),
    ]


def test_a_physician_opening_the_nurses_result_page_is_logged_too(
    client, physician, nurse, red_flag_encounter
):
    url = f"/encounters/{red_flag_encounter.pk}/rounds/1/"
    client.force_login(nurse)
    assert client.get(url).status_code == 200
    assert not EncounterView.objects.exists()
    client.force_login(physician)
    assert client.get(url).status_code == 200
    assert list(EncounterView.objects.values_list("user", "path")) == [(physician.pk, url)]


def test_the_record_shows_each_round_exactly_as_the_nurse_saw_it(
    client, nurse, physician, red_flag_encounter
):
    from tests.review.factories import BREATHLESS, reassess

    reassess(red_flag_encounter, by=nurse, answers=BREATHLESS)
    for number in (1, 2):
        client.force_login(nurse)
        result = client.get(f"/encounters/{red_flag_encounter.pk}/rounds/{number}/")
        html = result.content.decode()
        start = html.index('<h1 class="h2">Result</h1>')
        start = html.index("</p>", start) + len("</p>")  # after "Submitted ... by ..."
        # The result, up to what follows it on the result page only: when the next observations
        # are due (against the time it is read) and the escalation record (the nurse's form).
        end = html.index('<section class="card mb-3" id="escalation-record"')
        due = html.find(" data-obs-due", start, end)
        if due != -1:
            end = html.rindex("<section", start, due)
        shown = html[start:end].strip()
        assert 'data-red-flag="' in shown
        client.force_login(physician)
        page = client.get(f"/encounters/{red_flag_encounter.pk}/?round={number}")
        assert shown in page.content.decode()


def test_htmx_switches_rounds_with_just_the_round_panel(
    physician_client, nurse, red_flag_encounter
):
    from tests.review.factories import reassess

    reassess(red_flag_encounter, by=nurse)
    response = physician_client.get(
        f"/encounters/{red_flag_encounter.pk}/?round=1", headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="round-panel">')
    assert "<html" not in content
    assert "First assessment, as shown at submission" in content
    assert 'aria-current="true"' in content
    page = physician_client.get(f"/encounters/{red_flag_encounter.pk}/").content.decode()
    assert "Reassessment 2, as shown at submission" in page  # the latest by default
    # The panel alone is the whole page's panel (the forms' tokens aside), and is logged as a
    # read of the record as the page is.
    reads = EncounterView.objects.filter(encounter=red_flag_encounter).count()
    whole = physician_client.get(f"/encounters/{red_flag_encounter.pk}/?round=1")
    alone = physician_client.get(
        f"/encounters/{red_flag_encounter.pk}/?round=1", headers={"HX-Request": "true"}
    )
    assert EncounterView.objects.filter(encounter=red_flag_encounter).count() == reads + 2
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    panel = token.sub("", alone.content.decode()).strip()
    assert "Record a decision" in panel  # a physician's override form, in the panel
    assert panel in token.sub("", whole.content.decode())
