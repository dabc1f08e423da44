#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["assess"]:
        # The assessment command is pure: it needs neither Django nor the database, and a
        # clinician's script should get its answer in a fraction of a second.
        from triage.clinical.cli import main as assess
        from triage.fhir.response import parse_response

        sys.exit(assess(sys.argv[2:], fhir=parse_response))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triage.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
