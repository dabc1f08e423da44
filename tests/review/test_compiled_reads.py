"""The pages' compiled reads give what their querysets give, for each request's own values."""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404
from django.test import RequestFactory

from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory
from triage.access import ENCOUNTER, SUBMITTED_ROUND, encounter_for, submitted_round_for
from triage.models import Encounter
from triage.record import WHOLE_RECORD
from triage.record_parts import rounds_read, rounds_with_overrides, with_record_parts
from triage.views.encounters import RESULT_ROUND


def as_user(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_whole_record_comes_in_one_query_as_its_queryset_reads_it(
    exported, physician, django_assert_num_queries
):
    ward, author = exported.ward.name, exported.created_by.username
    with django_assert_num_queries(1):
        compiled = encounter_for(as_user(physician), exported.pk, WHOLE_RECORD)
        assert compiled.ward.name == ward
        assert compiled.created_by.username == author
        assert compiled.sign_off.signed_by.username == physician.username
    queried = with_record_parts(Encounter.objects.all()).get(pk=exported.pk)
    assert compiled.addendum_rows == queried.addendum_rows
    assert [row["text"] for row in compiled.addendum_rows] == ["Surgery"]
    assert compiled.lock_version == queried.lock_version


def test_another_ward_or_a_malformed_id_is_not_found(exported, stranger, physician):
    with pytest.raises(Http404):
        encounter_for(as_user(stranger), exported.pk)
    with pytest.raises(Http404):
        encounter_for(as_user(physician), "not-a-uuid")
    with pytest.raises(Http404):
        encounter_for(as_user(physician), uuid.uuid4())
    assert encounter_for(as_user(physician), str(exported.pk), ENCOUNTER).pk == exported.pk


def test_each_round_number_reads_its_own_round_with_its_encounter_in_one_query(
    exported, physician, django_assert_num_queries
):
    first = submitted_round_for(as_user(physician), exported.pk, 1)
    ward, author = exported.ward.name, exported.created_by.username
    with django_assert_num_queries(1):
        second = RESULT_ROUND.of(as_user(physician), exported.pk, 2)
        assert second.encounter.ward.name == ward
        assert second.encounter.created_by.username == author
        assert second.encounter.sign_off.signed_by_id == physician.pk
        assert not hasattr(second.encounter, "discharge")
        assert second.submitted_by is not None
    assert (first.number, second.number) == (1, 2)
    assert first.encounter == second.encounter == exported
    assert first.assessment == exported.rounds.get(number=1).assessment
    assert second.guidance_version == exported.rounds.get(number=2).guidance_version
    assert second.call_rows == []  # the escalation record's calls, read in the same query
    with pytest.raises(Http404):
        SUBMITTED_ROUND.of(as_user(physician), exported.pk, 3)


def test_a_round_of_another_wards_encounter_is_not_found(exported, stranger, physician):
    with pytest.raises(Http404):
        submitted_round_for(as_user(stranger), exported.pk, 1)
    with pytest.raises(Http404):
        RESULT_ROUND.of(as_user(stranger), exported.pk, 1)
    with pytest.raises(Http404):
        RESULT_ROUND.of(as_user(physician), "not-a-uuid", 1)


def test_the_rounds_with_their_overrides_come_in_one_query_as_their_queryset_reads_them(
    exported, nurse, django_assert_num_queries
):
    author = exported.created_by.username
    with django_assert_num_queries(1):
        compiled = rounds_with_overrides(exported)
        assert [round.encounter for round, _ in compiled] == [exported, exported]
        assert compiled[0][0].created_by.username == author
        assert compiled[0][0].guidance_version.pk is not None
    assert [round.pk for round, _ in compiled] == list(
        exported.rounds.order_by("number").values_list("pk", flat=True)
    )
    queried = {round.pk: round for round in rounds_read(exported.pk)}
    for round, _ in compiled:
        assert round.override_rows == queried[round.pk].override_rows
        assert round.call_rows == queried[round.pk].call_rows
        assert round.assessment == queried[round.pk].assessment
    assert [o.reason for o in compiled[0][1]] == ["MRI: cement in the canal"]
    assert compiled[1][1] == []
    other = SubmittedEncounterFactory(ward=exported.ward, created_by=nurse, answers=WEAK_LEG)
    assert [r.pk for r, _ in rounds_with_overrides(other)] == [other.rounds.get().pk]
