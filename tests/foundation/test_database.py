import os

from django.conf import settings
from django.db import connection

from tests.foundation.helpers import ROOT, connect_as


def test_the_database_is_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL ")


def test_the_database_mode_follows_database_url(db):
    """Embedded server from .pgdata/ when DATABASE_URL is unset; that server otherwise."""
    # Only the owner may read where the data lives.
    with connect_as(connection.settings_dict["ROLES"]["owner"]) as owner:
        (data_directory,) = owner.execute("SHOW data_directory").fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT inet_server_addr()")
        (server_address,) = cursor.fetchone()
    if os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        assert settings.DATABASES["default"]["HOST"] in os.environ["DATABASE_URL"]
        assert not data_directory.startswith(str(ROOT))
    else:
        assert settings.DATABASES["default"]["ENGINE"] == "triage.db.embedded"
        pgdata = os.environ.get("TRIAGE_PGDATA") or str(ROOT / ".pgdata")
        assert os.path.realpath(data_directory) == os.path.realpath(pgdata)
        assert server_address is None  # a Unix socket: nothing listens on the network


def test_connections_are_persistent_and_health_checked():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
