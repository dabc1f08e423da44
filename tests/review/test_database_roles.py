"""The application's own database login cannot switch off what protects the record.

Each test logs in as the application's role (the configured one; where the deployment uses one
role for both, a role granted exactly the same privileges) and tries a way around the triggers
that freeze a signed record and keep the audit trail append-only.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from psycopg import errors

from tests.foundation.helpers import connect_as
from triage.actions import review as actions
from triage.db import roles
from triage.models import Encounter

pytestmark = pytest.mark.django_db(transaction=True)

STAND_IN_ROLE = "triage_app_check"


@pytest.fixture
def signed(red_flag_encounter, physician) -> Encounter:
    actions.sign_off(encounter=red_flag_encounter, by=physician, comment="", expected_version=None)
    return red_flag_encounter


@pytest.fixture
def as_application():
    """A separate login as the application's role, in autocommit (each statement on its own)."""
    settings = connection.settings_dict
    role = settings["ROLES"][roles.APPLICATION]
    if not roles.distinct_roles(settings):
        with roles.as_owner(connection), connection.cursor() as cursor:
            roles.grant(cursor, STAND_IN_ROLE, append_only=roles.append_only_tables())
        role = roles.role_settings(STAND_IN_ROLE)
    with connect_as(role, autocommit=True) as login:
        yield login


def refused(login: psycopg.Connection, statement: str) -> type[Exception]:
    with pytest.raises(psycopg.Error) as caught:
        login.execute(statement)
    return type(caught.value)


def test_the_suite_runs_as_the_application_role_where_there_are_two():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
    expected = connection.settings_dict["ROLES"][roles.APPLICATION]["USER"]
    assert current == expected
    if roles.distinct_roles(connection.settings_dict):
        cursor_owner = connection.settings_dict["ROLES"][roles.OWNER]["USER"]
        assert current != cursor_owner


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE triage_signoff DISABLE TRIGGER ALL",
        "ALTER TABLE triage_encounter DISABLE TRIGGER USER",
        "ALTER TABLE triage_encounterevent DISABLE TRIGGER ALL",
        "ALTER TABLE triage_encounterevent OWNER TO CURRENT_USER",
    ],
)
def test_it_cannot_switch_a_trigger_off(as_application, signed, statement):
    assert refused(as_application, statement) is errors.InsufficientPrivilege


def test_it_cannot_drop_a_trigger(as_application, signed):
    (name,) = as_application.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'triage_signoff'::regclass "
        "AND NOT tgisinternal LIMIT 1"
    ).fetchone()
    statement = f'DROP TRIGGER "{name}" ON triage_signoff'
    assert refused(as_application, statement) is errors.InsufficientPrivilege


@pytest.mark.parametrize(
    "table",
    ["triage_encounter", "triage_round", "triage_signoff", "triage_encounterevent"],
)
def test_it_cannot_truncate_or_delete_the_record_or_its_audit(as_application, signed, table):
    assert refused(as_application, f"TRUNCATE {table} CASCADE") is errors.InsufficientPrivilege
    assert refused(as_application, f"DELETE FROM {table}") is errors.InsufficientPrivilege  # noqa: S608
    assert Encounter.objects.filter(pk=signed.pk).exists()


def test_pgtriggers_ignore_setting_has_no_effect(as_application, signed):
    names = as_application.execute(
        "SELECT array_agg(tgname::text) FROM pg_trigger "
        "WHERE tgrelid = 'triage_encounter'::regclass AND NOT tgisinternal"
    ).fetchone()[0]
    assert len(names) >= 2  # the lock and the audit
    as_application.execute(
        "SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + ",".join(names) + "}"]
    )
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        as_application.execute(
            "UPDATE triage_encounter SET patient_identifier = 'CHANGED' WHERE id = %s", [signed.pk]
        )
    signed.refresh_from_db()
    assert signed.patient_identifier == "RED001"


def test_the_audit_trail_cannot_be_rewritten(as_application, signed):
    statement = "UPDATE triage_encounterevent SET patient_identifier = 'CHANGED'"
    assert refused(as_application, statement) is errors.InsufficientPrivilege


def test_it_cannot_replace_the_function_the_triggers_ask(as_application, signed):
    statement = roles.NEVER_IGNORE.replace("FALSE", "TRUE")
    assert refused(as_application, statement) is errors.InsufficientPrivilege


def test_it_cannot_replace_the_function_that_writes_a_rounds_board_summary(as_application):
    statement = (
        "CREATE OR REPLACE FUNCTION triage_board_summary(assessment jsonb) RETURNS jsonb "
        "LANGUAGE sql IMMUTABLE RETURN '{}'::jsonb"
    )
    assert refused(as_application, statement) is errors.InsufficientPrivilege


@pytest.mark.parametrize(
    "statement",
    [
        "SET session_replication_role = replica",
        "CREATE TABLE public.stash (id int)",
        "CREATE FUNCTION public._pgtrigger_should_ignore(trigger_name TEXT) "
        "RETURNS BOOLEAN AS $$ SELECT TRUE $$ LANGUAGE sql",
    ],
)
def test_it_cannot_change_the_rules_of_the_database(as_application, statement):
    assert refused(as_application, statement) is errors.InsufficientPrivilege
