"""`manage.py assess FILE`: findings JSON in, assessment JSON out (see the contract).

manage.py runs the same code before Django starts, for speed; this command makes it reachable
through `call_command` and `manage.py help` too.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from triage.clinical.cli import main


class Command(BaseCommand):
    help = "Assess findings JSON (contract v1) from FILE, or - for standard input."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="findings JSON file, or - to read standard input")

    def handle(self, *args, file: str, **options) -> None:
        status = main([file], stdin=sys.stdin, stdout=self.stdout, stderr=self.stderr)
        if status:
            sys.exit(status)
