"""Reads compiled once per process give what their querysets give."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp import devices_for_user

from tests.factories import UserFactory
from tests.twofactor.conftest import enrol
from triage.auth_backend import USER_WITH_ROLES, RolesBackend, with_role_names
from triage.compiled_sql import ENCOUNTER_MARKER, Compiled
from triage.models import BrowserSession, User, Ward
from triage.roles import Role
from triage.session_store import SessionStore


def test_the_user_comes_with_the_same_fields_and_roles_as_from_the_queryset(nurse, physician):
    for user in (nurse, physician):
        compiled = USER_WITH_ROLES.one(user.pk)
        queried = with_role_names(User.objects.filter(pk=user.pk)).get()
        assert compiled is not None
        assert compiled.username == queried.username == user.username
        assert compiled.password == queried.password
        assert compiled.role_names == queried.role_names
    assert USER_WITH_ROLES.one(nurse.pk).role_names == [Role.NURSE.value]


def test_each_call_reads_its_own_user(nurse, physician):
    assert USER_WITH_ROLES.one(nurse.pk).pk == nurse.pk
    assert USER_WITH_ROLES.one(physician.pk).pk == physician.pk


def test_no_user_for_an_unknown_a_malformed_or_an_inactive_id(db, nurse):
    backend = RolesBackend()
    assert backend.get_user(nurse.pk + 1000) is None
    assert backend.get_user("not a number") is None
    assert backend.get_user(str(nurse.pk)).pk == nurse.pk  # the session keeps it as text
    inactive = UserFactory(username="left", roles=(Role.NURSE,), is_active=False)
    assert backend.get_user(inactive.pk) is None


def test_a_user_is_one_query_with_their_roles_wards_and_devices(
    db, nurse, physician, django_assert_num_queries
):
    enrol(physician)
    for name in ("Orthopaedic ward", "Acute spinal unit"):
        physician.wards.add(Ward.objects.create(name=name))
    with django_assert_num_queries(1):
        user = RolesBackend().get_user(physician.pk)
        assert user.role_names == [Role.PHYSICIAN.value]
        wards = user.ward_list()
        devices = user.confirmed_devices
    assert wards == list(physician.wards.order_by("name"))  # the same rows, by name
    assert [w.name for w in wards] == sorted(w.name for w in physician.wards.all())
    assert sorted(devices) == sorted(
        d.persistent_id for d in devices_for_user(physician, confirmed=True)
    )
    assert len(devices) == 2  # the authenticator app and the recovery codes
    nurse_user = RolesBackend().get_user(nurse.pk)
    assert nurse_user.confirmed_devices == [] and nurse_user.ward_list() == list(nurse.wards.all())


def test_a_session_is_read_back_until_it_expires(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}

    BrowserSession.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_an_unknown_session_key_reads_nothing(db):
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_a_marker_the_query_does_not_use_is_refused(db):
    unused = Compiled(lambda pk, other: User.objects.filter(pk=pk), [-1, "unused"])
    with pytest.raises(ValueError, match=r"markers \[1\]"):
        unused.one(1, "x")


def test_constants_of_the_query_are_kept(db, nurse, physician):
    """A value written into the query (not a marker) stays as it was compiled."""
    nurses_only = Compiled(
        lambda pk: User.objects.filter(pk=pk, groups__name=Role.NURSE.value), [-1]
    )
    assert nurses_only.one(nurse.pk).pk == nurse.pk
    assert nurses_only.one(physician.pk) is None


def test_the_current_round_comes_with_its_encounter_ward_and_author(
    nurse, ward, stranger, django_assert_num_queries
):
    from triage.access import CURRENT_ROUND
    from triage.actions.encounters import start_encounter
    from triage.models import Round

    encounter = start_encounter(
        by=nurse,
        ward=ward,
        patient_identifier="MRN-1",
        procedure_at=timezone.now(),
        levels=["L1"],
        client_token=None,
    )
    with django_assert_num_queries(1):
        round = CURRENT_ROUND.one(encounter.pk, nurse.pk)
        assert round.encounter.ward.name == "Spinal ward"
        assert round.encounter.created_by.username == nurse.username
        assert round.encounter.levels == ["L1"]
    queried = Round.objects.filter(encounter=encounter).order_by("-number").first()
    assert {f.attname: getattr(round, f.attname) for f in Round._meta.concrete_fields} == {
        f.attname: getattr(queried, f.attname) for f in Round._meta.concrete_fields
    }
    assert CURRENT_ROUND.one(encounter.pk, stranger.pk) is None  # not on their ward


def test_rows_read_in_binary_are_the_values_django_reads(nurse, ward):
    """A compiled read's rows come back in binary: each column of a round (its answers as
    JSON, its times, ids, numbers) is what the queryset reads."""
    from triage.actions.encounters import start_encounter
    from triage.models import Round

    encounter = start_encounter(
        by=nurse,
        ward=ward,
        patient_identifier="MRN-2",
        procedure_at=timezone.now() - timedelta(hours=30),
        levels=["T12", "L1"],
        client_token=None,
    )
    Round.objects.filter(encounter=encounter).update(
        symptoms={"pain_score": 8, "note": "ünïcode – “quoted”", "nested": {"a": [1, 2.5, None]}}
    )
    read = Compiled(lambda pk: Round.objects.filter(encounter=pk), [ENCOUNTER_MARKER])
    compiled = read.one(encounter.pk)
    queried = Round.objects.get(encounter=encounter)
    fields = [f.attname for f in Round._meta.concrete_fields]
    assert {name: getattr(compiled, name) for name in fields} == {
        name: getattr(queried, name) for name in fields
    }
    assert compiled.symptoms["note"] == "ünïcode – “quoted”"
    assert compiled.created_at.utcoffset() == timedelta(0)


def test_a_jsonb_value_in_an_unknown_binary_format_is_refused():
    import psycopg

    from triage.compiled_sql import JsonbAsText

    assert JsonbAsText(0).load(b'\x01{"a": 1}') == '{"a": 1}'
    with pytest.raises(psycopg.DataError):
        JsonbAsText(0).load(b'\x02{"a": 1}')


def test_markers_must_be_distinct():
    with pytest.raises(ValueError, match="distinct"):
        Compiled(lambda a, b: User.objects.filter(pk=a, pk__gt=b), [-1, -1])


def test_the_boards_compiled_read_gives_what_its_queryset_gives(nurse, published_guidance):
    from tests.review.factories import RADICULAR, WEAK_LEG, SubmittedEncounterFactory, reassess
    from triage.ward_board import BOARD_EVERYONE, BOARD_SINCE, RECENT, open_encounters

    ward = nurse.wards.get()

    def make_encounter(**kwargs):
        return SubmittedEncounterFactory(ward=ward, created_by=nurse, **kwargs)

    make_encounter(patient_identifier="CALM")
    reassess(make_encounter(patient_identifier="WEAK", answers=WEAK_LEG), by=nurse)
    make_encounter(patient_identifier="OLD", submitted_at=timezone.now() - timedelta(days=9))
    make_encounter(patient_identifier="URGENT", answers=RADICULAR)
    since = timezone.now() - RECENT

    def shown(encounters) -> list[tuple]:
        return sorted(
            (
                e.pk,
                e.patient_identifier,
                e.procedure_at,
                e.escalation_call,
                e.escalation_acknowledged_by,
                e.recent_rounds,
                e.reassessing,
                e.signed,
            )
            for e in encounters
        )

    recent = shown(BOARD_SINCE.all(ward.pk, since))
    assert recent == shown(open_encounters(ward, since))
    assert len(recent) == 3 and len(recent[0][5]) >= 1
    everyone = shown(BOARD_EVERYONE.all(ward.pk))
    assert everyone == shown(open_encounters(ward)) and len(everyone) == 4


def test_the_boards_count_of_older_patients_reads_what_its_queryset_reads(
    nurse, published_guidance
):
    from tests.factories import WardFactory
    from tests.review.factories import SubmittedEncounterFactory, discharge_now
    from triage.ward_board import OLDER, RECENT, older, older_count

    ward, now = nurse.wards.get(), timezone.now()
    old = timezone.now() - timedelta(days=9)
    for name in ("OLD1", "OLD2", "OLD3"):
        SubmittedEncounterFactory(
            ward=ward, created_by=nurse, patient_identifier=name, submitted_at=old
        )
    SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="NEW")
    discharge_now(ward.encounters.get(patient_identifier="OLD3"), by=nurse)
    other = SubmittedEncounterFactory(ward=WardFactory(), submitted_at=old)  # another ward's
    since = now - RECENT

    def ids(encounters) -> set:
        return {encounter.pk for encounter in encounters}

    read = ids(OLDER.all(ward.pk, since))
    assert read == ids(older(ward, since)) and len(read) == 2
    assert other.pk not in read
    assert older_count(ward, now) == 2
    assert ids(OLDER.all(other.ward_id, since)) == {other.pk}


def test_the_ward_handovers_compiled_read_gives_what_it_keys_each_patient_by(
    nurse, physician, published_guidance, django_assert_num_queries
):
    from tests.review.factories import SubmittedEncounterFactory
    from triage.actions import review
    from triage.ward_board import HANDOVER_EVERYONE, HANDOVER_SINCE, RECENT, open_encounters

    ward = nurse.wards.get()
    signed = SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="SIGNED")
    review.sign_off(encounter=signed, by=physician, comment="Reviewed.", expected_version=None)
    SubmittedEncounterFactory(ward=ward, created_by=nurse, patient_identifier="UNSIGNED")
    SubmittedEncounterFactory(
        ward=ward,
        created_by=nurse,
        patient_identifier="OLD",
        submitted_at=timezone.now() - timedelta(days=9),
    )
    since = timezone.now() - RECENT

    def shown(encounters) -> list[tuple]:
        with django_assert_num_queries(0):  # what the handover keys a patient by came with them
            return sorted(
                (
                    e.pk,
                    e.patient_identifier,
                    e.levels,
                    e.signed_off_by,
                    e.signed_off_at,
                    e.submitted_numbers,
                    e.recent_rounds,
                    e.signed,
                )
                for e in encounters
            )

    recent = shown(HANDOVER_SINCE.all(ward.pk, since))
    assert recent == shown(list(open_encounters(ward, since, handover=True)))
    assert [row[1] for row in sorted(recent, key=lambda row: row[1])] == ["SIGNED", "UNSIGNED"]
    assert {row[3] for row in recent} == {physician.username, None}
    assert {row[5] == [1] for row in recent} == {True}
    everyone = shown(HANDOVER_EVERYONE.all(ward.pk))
    assert everyone == shown(list(open_encounters(ward, handover=True))) and len(everyone) == 3


def prepared_statements() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_compiled_read_is_prepared_once_per_connection(db, nurse, physician):
    from django.db import connection

    USER_WITH_ROLES.one(nurse.pk)
    mine = [s for s in prepared_statements() if '"triage_user"' in s and "$1" in s]
    assert len(mine) == 1  # planned once, its values bound apart from its SQL
    assert USER_WITH_ROLES.one(physician.pk).pk == physician.pk  # the same plan, other values
    assert USER_WITH_ROLES.one(nurse.pk).pk == nurse.pk
    assert [s for s in prepared_statements() if '"triage_user"' in s and "$1" in s] == mine
    assert connection.connection.prepare_threshold == 0


def test_the_logged_statement_has_its_values_written_in(db, nurse, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        USER_WITH_ROLES.one(nurse.pk)
    assert f'"triage_user"."id" = {nurse.pk}' in queries.captured_queries[0]["sql"]


def test_without_prepared_statements_a_compiled_read_still_reads(db, nurse):
    """Behind a pooling proxy (DB_PREPARED_STATEMENTS=false) nothing is prepared."""
    from django.db import connection

    connection.connection.prepare_threshold = None
    try:
        before = prepared_statements()
        assert USER_WITH_ROLES.one(nurse.pk).pk == nurse.pk
        assert prepared_statements() == before
    finally:
        connection.connection.prepare_threshold = 0


def test_a_querys_own_constants_are_written_into_its_sql(db, nurse):
    """So the one plan kept for every request's values knows them (a partial index of drafts
    can serve it); only the request's values are sent apart."""
    from triage.views.encounters import DRAFTS_READ

    assert DRAFTS_READ.all(nurse.pk) == []
    plan = DRAFTS_READ._every
    assert '"triage_round"."status" = \'draft\'' in plan.sql
    assert plan.sql.count("%s") == len(plan.markers) == 2  # the user, twice


def test_a_constant_with_a_percent_sign_is_written_in_as_it_is(db, nurse, physician):
    """The SQL still takes the request's values, so a written-in % must stay a %."""
    User.objects.filter(pk=nurse.pk).update(first_name="100% sure")
    sure = Compiled(lambda pk: User.objects.filter(pk=pk, first_name__contains="0% s"), [-1])
    assert sure.one(nurse.pk).pk == nurse.pk
    assert sure.one(physician.pk) is None
    assert "%%" in sure._first.sql


def test_a_prepared_read_keeps_one_plan_for_every_requests_values(db, nurse, physician):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    for _ in range(7):  # PostgreSQL's own choice tries a plan per call for the first five
        USER_WITH_ROLES.one(nurse.pk)
        USER_WITH_ROLES.one(physician.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%%\"triage_user\"%%' AND statement LIKE '%%$1%%'"
        )
        assert cursor.fetchall() == [(14, 0)]


@pytest.mark.django_db(transaction=True)  # analysed as the tables' owner: a login of its own
def test_the_boards_plan_for_every_request_reads_only_the_wards_recent_encounters(nurse):
    """The board's read keeps one plan for every request's `since`; that plan must take the
    ward's recent encounters from the index of their assessment times, not read every encounter
    the ward ever had (`ward_board.EVER`)."""
    from django.db import connection, transaction

    from triage.db.roles import as_owner
    from triage.models import Encounter
    from triage.ward_board import BOARD_SINCE, RECENT

    ward, now = nurse.wards.get(), timezone.now()
    other = Ward.objects.create(name="Other ward")
    Encounter.objects.bulk_create(
        Encounter(
            ward=ward if number % 4 else other,
            patient_identifier=f"OLD{number}",
            created_by=nurse,
            submitted_at=now - timedelta(days=30, hours=number),
            last_submitted_at=now - timedelta(days=30, hours=number),
        )
        for number in range(2000)
    )
    with as_owner(connection), connection.cursor() as cursor:
        cursor.execute("ANALYZE triage_encounter")
    sql = BOARD_SINCE._every.sql.replace("%s", "$1", 1).replace("%s", "$2", 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"  # as every compiled read is run
        cursor.execute("PREPARE board_read(integer, timestamptz) AS " + sql)
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table: weigh the indexes
        cursor.execute("EXPLAIN (FORMAT JSON) EXECUTE board_read(%s, %s)", [ward.pk, now - RECENT])
        plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute("DEALLOCATE board_read")

    def nodes(node: dict) -> list[dict]:
        return [node, *(found for child in node.get("Plans", []) for found in nodes(child))]

    (scan,) = [node for node in nodes(plan) if node.get("Relation Name") == "triage_encounter"]
    indexes = [node["Index Name"] for node in nodes(scan) if "Index Name" in node]
    assert indexes == ["encounter_ward_last_submitted"], indexes
    # Planned for a few of the ward's 1,500 encounters (told only `>= since`: a third of them).
    assert scan["Plan Rows"] < 100
