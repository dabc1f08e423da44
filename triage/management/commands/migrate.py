"""`migrate`, run as the database owner; afterwards the application's role gets its privileges."""

from django.core.management.commands import migrate
from django.db import connections

from triage.db import roles


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with roles.as_owner(connection):
            super().handle(*args, **options)
            roles.secure(connection)
