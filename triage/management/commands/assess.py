"""`manage.py assess FILE`: findings JSON in, assessment JSON out (see the contract).

manage.py runs the same code before Django starts, for speed; this command makes it reachable
through `call_command` and `manage.py help` too.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from triage.clinical.cli import main
from triage.fhir.response import parse_response


class Command(BaseCommand):
    help = (
        "Assess findings JSON (contract v2) from FILE, or - for standard input; with --fhir, "
        "FILE is a FHIR QuestionnaireResponse."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="findings JSON file, or - to read standard input")
        parser.add_argument(
            "--fhir", action="store_true", help="FILE is a FHIR QuestionnaireResponse"
        )

    def handle(self, *args, file: str, fhir: bool = False, **options) -> None:
        argv = ["--fhir", file] if fhir else [file]
        status = main(
            argv, stdin=sys.stdin, stdout=self.stdout, stderr=self.stderr, fhir=parse_response
        )
        if status:
            sys.exit(status)
