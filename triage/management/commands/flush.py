"""`flush` empties every table, which only the database owner may do (the tests use it)."""

from django.core.management.commands import flush
from django.db import connections

from triage.db import roles


class Command(flush.Command):
    def handle(self, *args, **options):
        with roles.as_owner(connections[options["database"]]):
            super().handle(*args, **options)
