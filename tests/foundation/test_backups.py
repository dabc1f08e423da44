"""A backup of the database restores every record, with the database's locks still enforced."""

from __future__ import annotations

import stat
import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.foundation.helpers import ROOT, connect_as
from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory
from triage import backups
from triage.actions import review
from triage.models import Encounter, SignOff

# Every table of the schema, each with its row count and a digest of every row.
TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def contents(cursor) -> dict[str, tuple[int, str]]:
    cursor.execute(TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    found = {}
    for table in tables:
        digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        cursor.execute(f'SELECT count(*), {digest} FROM "{table}" t')  # noqa: S608 (our tables)
        found[table] = cursor.fetchone()
    return found


OWNER = settings.DATABASES["default"]["ROLES"]["owner"]


@pytest.fixture
def drill_database(transactional_db):
    """An empty database on the same server as the test database, dropped afterwards."""
    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    with connect_as(OWNER, autocommit=True) as owner:
        owner.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect_as(OWNER, autocommit=True) as owner:
        owner.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect_to(name: str) -> psycopg.Connection:
    """A login to the restored copy as its owner: even the owner meets the triggers."""
    return connect_as(OWNER, dbname=name)


@pytest.fixture
def records(nurse, physician, published_guidance):
    """Two submitted encounters (with their audit events), one of them signed off."""
    signed = SubmittedEncounterFactory(
        ward=nurse.wards.get(), created_by=nurse, patient_identifier="RED001", answers=WEAK_LEG
    )
    SubmittedEncounterFactory(ward=nurse.wards.get(), created_by=nurse, patient_identifier="OK002")
    review.sign_off(encounter=signed, by=physician, comment="Seen", expected_version=None)
    return signed


def test_a_restored_backup_holds_every_record_and_its_locks(tmp_path, records, drill_database):
    backup = backups.dump(connection.settings_dict, tmp_path / "backups")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # patient data: its owner only
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    with connection.cursor() as cursor:
        original = contents(cursor)
    # Not a vacuous comparison: the records and their audit trail are there.
    assert original["triage_encounter"][0] == 2
    assert original["triage_signoff"][0] == 1
    assert original["triage_encounterevent"][0] >= 2
    assert original["triage_signoffevent"][0] == 1

    backups.restore(connection.settings_dict, backup, name=drill_database)

    with connect_to(drill_database) as restored, restored.cursor() as cursor:
        assert contents(cursor) == original
        cursor.execute(
            "SELECT patient_identifier FROM triage_encounter e JOIN triage_signoff s "
            "ON s.encounter_id = e.id"
        )
        assert cursor.fetchall() == [("RED001",)]
        # The triggers came back with the tables: a signed record cannot be changed...
        with pytest.raises(psycopg.DatabaseError, match="signed off and locked"):
            cursor.execute(
                "UPDATE triage_encounter SET patient_identifier = 'CHANGED' WHERE id = %s",
                [records.pk],
            )
        restored.rollback()
        # ...nor the audit trail.
        with pytest.raises(psycopg.DatabaseError, match="Cannot update or delete rows"):
            cursor.execute("DELETE FROM triage_encounterevent")
        restored.rollback()


def test_a_restore_replaces_what_the_database_held(tmp_path, records, drill_database):
    backup = backups.dump(connection.settings_dict, tmp_path)
    backups.restore(connection.settings_dict, backup, name=drill_database)
    with connect_to(drill_database) as restored, restored.cursor() as cursor:
        cursor.execute("INSERT INTO triage_ward (name) VALUES ('Added after the backup')")
        cursor.execute("CREATE TABLE from_a_later_migration (id int)")
    backups.restore(connection.settings_dict, backup, name=drill_database)
    with connect_to(drill_database) as restored, restored.cursor() as cursor:
        with connection.cursor() as source:
            assert contents(cursor) == contents(source)
        assert Encounter.objects.count() == 2 and SignOff.objects.count() == 1


def test_restore_asks_first_and_a_no_changes_nothing(
    tmp_path, records, drill_database, monkeypatch
):
    backup = backups.dump(connection.settings_dict, tmp_path)
    call_command("restore", str(backup), database=drill_database)  # empty: no question
    with connect_to(drill_database) as restored, restored.cursor() as cursor:
        cursor.execute("INSERT INTO triage_ward (name) VALUES ('Kept')")
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(backup), database=drill_database)
    assert questions == ["Type yes to restore it: "]
    with connect_to(drill_database) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM triage_ward WHERE name = 'Kept'")
        assert cursor.fetchone() == (1,)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, drill_database):
    bogus = tmp_path / "notes.dump"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="Nothing was restored: pg_restore failed"):
        call_command("restore", str(bogus), database=drill_database, yes=True)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)


def test_make_restore_refuses_without_a_file():
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "restore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Say which backup to restore: make restore FILE=" in result.stdout
