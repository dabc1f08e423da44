"""Two database roles: the owner, which runs migrations, and the application's login.

The application's role may read and write rows, but cannot alter or truncate a table, switch a
trigger off, or delete from the record and audit tables: so the triggers that freeze a signed
record and keep the audit trail append-only hold whatever code runs as the application.

Each connection's settings carry both roles (`DATABASES["default"]["ROLES"]`); the connection
logs in as the application, and `as_owner` switches it to the owner for the commands that must
change the schema or empty tables (migrate, flush).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import sql

OWNER = "owner"
APPLICATION = "application"

# The tables the application deletes rows from, and why. Every other table: no DELETE.
DELETABLE_TABLES = {
    "triage_browsersession": "signing out, session rotation and clearsessions",
    "axes_accessattempt": "a successful sign-in clears its failed attempts",
    "axes_accessfailurelog": "cleared with the attempts",
    "auth_user_groups": "an administrator changes someone's roles",
    "triage_user_wards": "an administrator changes someone's wards",
    "triage_guidanceversion": "a guideline owner discards a draft (published ones are frozen)",
    "triage_guidanceentry": "a discarded draft's entries (published ones are frozen)",
    "otp_totp_totpdevice": "a second-factor reset or re-enrolment",
    "otp_static_staticdevice": "a second-factor reset",
    "otp_static_statictoken": "a recovery code is used once",
    "axes_accessattemptexpiration": "cleared with the attempts",
    "triage_queuesearch": "a physician's expired queue searches are cleared",
}

# pgtrigger's triggers ask this function whether the session has asked to skip them (the
# `pgtrigger.ignore` setting, which any login may set). Here no session may: it always says no.
NEVER_IGNORE = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$ BEGIN RETURN FALSE; END; $$ LANGUAGE plpgsql
"""


def role_settings(user: str, password: str = "") -> dict[str, str]:
    return {"USER": user, "PASSWORD": password}


def distinct_roles(settings_dict: dict[str, Any]) -> bool:
    """True when the application logs in as a role other than the owner."""
    roles = settings_dict["ROLES"]
    return bool(roles[OWNER]["USER"] != roles[APPLICATION]["USER"])


def log_in_as(connection: Any, role: str) -> None:
    """Make the connection's next login as the given role (OWNER or APPLICATION)."""
    wanted = connection.settings_dict["ROLES"][role]
    if all(connection.settings_dict.get(key) == value for key, value in wanted.items()):
        return
    connection.close()
    connection.settings_dict.update(wanted)


@contextmanager
def as_owner(connection: Any) -> Iterator[None]:
    """Run a block logged in as the owner, then log in as the application again."""
    previous = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    log_in_as(connection, OWNER)
    try:
        yield
    finally:
        if previous != {k: connection.settings_dict.get(k) for k in previous}:
            connection.close()
            connection.settings_dict.update(previous)


def append_only_tables() -> list[str]:
    """Tables whose rows are never changed once written: the audit events, the models
    protected by an append-only trigger, and the migration history."""
    import pghistory.models
    from django.apps import apps

    tables = {"django_migrations"}
    for model in apps.get_models():
        triggers = getattr(model._meta, "triggers", [])
        if issubclass(model, pghistory.models.Event) or any(
            trigger.name == "append_only" for trigger in triggers
        ):
            tables.add(model._meta.db_table)
    return sorted(tables)


def secure(connection: Any) -> None:
    """As the owner, after migrating: the triggers ignore nothing, and the application's role
    exists and holds only the privileges it needs."""
    with connection.cursor() as cursor:
        cursor.execute(NEVER_IGNORE)
        if distinct_roles(connection.settings_dict):
            application = connection.settings_dict["ROLES"][APPLICATION]
            grant(cursor, application["USER"], application["PASSWORD"], append_only_tables())


def existing(cursor: Any, tables: Sequence[str]) -> list[sql.Identifier]:
    """Those of the tables that this database has (some belong to optional apps)."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
        [list(tables)],
    )
    return [sql.Identifier(table) for (table,) in cursor.fetchall()]


def create_login(cursor: Any, role: str, password: str = "") -> None:
    """Create the application's login role if it does not exist yet (no privileges)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        name = sql.Identifier(role)
        create = sql.SQL("CREATE ROLE {} LOGIN").format(name)
        if password:
            create = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(name, sql.Literal(password))
        cursor.execute(create)


def grant(cursor: Any, role: str, password: str = "", append_only: Sequence[str] = ()) -> None:
    """Create the application's role if it is missing, and grant it exactly its privileges."""
    create_login(cursor, role, password)
    name = sql.Identifier(role)
    cursor.execute("SELECT current_database()")
    database = sql.Identifier(cursor.fetchone()[0])
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, name),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
    ]
    statements += [
        sql.SQL("GRANT DELETE ON TABLE {} TO {}").format(table, name)
        for table in existing(cursor, sorted(DELETABLE_TABLES))
    ]
    statements += [
        sql.SQL("REVOKE UPDATE ON TABLE {} FROM {}").format(table, name)
        for table in existing(cursor, append_only)
    ]
    for statement in statements:
        cursor.execute(statement)
