from django.db.backends.postgresql import base

from .server import socket_dir


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL over the embedded server's Unix socket; the server starts on first use."""

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        params["host"] = socket_dir(self.settings_dict["PGDATA"])
        return params
