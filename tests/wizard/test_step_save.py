"""A step's save is one statement: it claims the encounter's next version and writes the
answers together, or writes nothing and says why; two saves at once never lose either."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from pghistory.models import Events

from tests.review.factories import fill_round
from triage.actions import encounters as actions
from triage.models import Encounter, Round, SignOff

pytestmark = pytest.mark.django_db

PAIN = {"pain_score": 4, "pain_course": "improving"}
VITALS = {"heart_rate": 80}


def save(round: Round, section: str, answers: dict, by, expected_version: int | None) -> Round:
    return actions.save_step(
        round=round,
        section=section,
        answers=answers,
        step=section,
        by=by,
        expected_version=expected_version,
    )


def submitted(round: Round, nurse) -> int:
    fill_round(round, {}, nurse)
    actions.submit_round(round=Round.objects.get(pk=round.pk), by=nurse)
    return Encounter.objects.get(pk=round.encounter_id).lock_version


def signed_off(round: Round, nurse, physician) -> int:
    SignOff.objects.create(encounter=round.encounter, signed_by=physician)
    return round.encounter.lock_version


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (lambda round, nurse, physician: submitted(round, nurse), actions.AlreadySubmitted),
        (signed_off, actions.Locked),
        (lambda round, nurse, physician: round.encounter.lock_version - 1, actions.Conflict),
    ],
    ids=["submitted", "signed off", "saved by someone else since"],
)
def test_a_refused_save_writes_nothing_and_says_why(encounter, nurse, physician, make, refusal):
    round = Round.objects.select_related("encounter").get(encounter=encounter)
    version = make(round, nurse, physician)
    round = Round.objects.select_related("encounter").get(pk=round.pk)
    before = (round.symptoms, round.encounter.lock_version)
    events = Events.objects.references(encounter).count()
    with pytest.raises(refusal) as raised:
        save(round, "symptoms", {"pain_score": 9}, nurse, version)
    after = Round.objects.select_related("encounter").get(pk=round.pk)
    assert (after.symptoms, after.encounter.lock_version) == before
    assert Events.objects.references(encounter).count() == events
    if refusal is actions.Conflict:  # a conflict names the version that moved on
        assert raised.value.current_version == round.encounter.lock_version


def test_a_save_reads_back_what_the_round_holds_now(encounter, nurse):
    """Another step saved since the page read the round is in the round the save hands back
    (the live banners are assessed from it)."""
    page = Round.objects.select_related("encounter").get(encounter=encounter)
    save(Round.objects.get(pk=page.pk), "vitals", VITALS, nurse, None)
    saved = save(page, "symptoms", PAIN, nurse, None)
    assert (saved.symptoms, saved.vitals) == (PAIN, VITALS)
    assert saved.encounter.lock_version == Encounter.objects.get(pk=encounter.pk).lock_version


def second_save(round: Round, nurse, expected: int | None) -> tuple[threading.Thread, dict]:
    """A save of the symptoms step (expecting `expected`) from another connection, started
    now and given time to reach the database; its outcome is "round" or "error"."""
    outcome: dict = {}

    def save_too() -> None:
        try:
            page = Round.objects.select_related("encounter").get(pk=round.pk)
            outcome["round"] = save(page, "symptoms", PAIN, nurse, expected)
        except Exception as error:  # noqa: BLE001 - the test reports whatever it was
            outcome["error"] = error
        finally:
            connection.close()

    other = threading.Thread(target=save_too)
    other.start()
    time.sleep(0.5)
    return other, outcome


def saved_at_once(round: Round, nurse, expected: int | None) -> dict:
    """The vitals saved expecting `expected` and, before that is committed, the symptoms
    from another connection expecting the same: the second save's outcome."""
    with transaction.atomic():
        save(round, "vitals", VITALS, nurse, expected)
        other, second = second_save(round, nurse, expected)
        assert other.is_alive()  # waiting on the round the first save holds
    other.join(timeout=10)
    return second


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_from_the_same_version_one_saves_the_other_conflicts(encounter, nurse):
    round = Round.objects.select_related("encounter").get(encounter=encounter)
    version = round.encounter.lock_version
    second = saved_at_once(round, nurse, version)
    assert isinstance(second.get("error"), actions.Conflict), second
    assert second["error"].current_version == version + 1
    stored = Round.objects.get(pk=round.pk)
    assert (stored.vitals, stored.symptoms) == (VITALS, None)


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_without_a_version_both_land(encounter, nurse):
    """Saves that claim no particular version (a script's, the demo's) wait for each other;
    neither overwrites the other's step."""
    round = Round.objects.select_related("encounter").get(encounter=encounter)
    version = round.encounter.lock_version
    second = saved_at_once(round, nurse, None)
    assert "error" not in second, second
    stored = Round.objects.select_related("encounter").get(pk=round.pk)
    assert (stored.vitals, stored.symptoms) == (VITALS, PAIN)
    assert stored.encounter.lock_version == version + 2
    assert (second["round"].vitals, second["round"].encounter.lock_version) == (VITALS, version + 2)


def test_both_changes_of_a_save_are_audited_under_its_step(nurse, encounter):
    round = Round.objects.select_related("encounter").get(encounter=encounter)
    before = round.encounter.lock_version
    save(round, "symptoms", PAIN, nurse, before)
    latest = Events.objects.references(encounter).order_by("-pgh_id")
    claim = next(event for event in latest if event.pgh_obj_model == "triage.Encounter")
    answers = next(event for event in latest if event.pgh_obj_model == "triage.Round")
    assert claim.pgh_diff["lock_version"] == [before, before + 1]
    assert answers.pgh_diff["symptoms"][1] == PAIN
    assert claim.pgh_context_id == answers.pgh_context_id
    assert answers.pgh_context["action"] == "round.save_symptoms"


@pytest.mark.django_db(transaction=True)
def test_a_save_that_waited_on_the_rounds_submission_is_refused_as_submitted(encounter, nurse):
    round = Round.objects.select_related("encounter").get(encounter=encounter)
    fill_round(round, {}, nurse)
    with transaction.atomic():
        actions.submit_round(round=round, by=nurse)  # made, not yet committed
        other, second = second_save(round, nurse, None)
        assert other.is_alive()  # waiting on the round being submitted
    other.join(timeout=10)
    assert isinstance(second.get("error"), actions.AlreadySubmitted), second
    assert Round.objects.get(pk=round.pk).symptoms != PAIN
