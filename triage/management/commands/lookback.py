"""`manage.py lookback`: the stored assessments the current rules would answer differently.

Over every ward (or those named with --ward), most dangerous change first, as a table or, with
--csv, as CSV on standard output. Read-only; the run is recorded (source "command").
"""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from triage.actions.lookback import run
from triage.lookback import Lookback, csv_rows
from triage.models import LookbackRun, Ward

COLUMNS = ("Patient", "Ward", "Assessment", "Submitted", "Rules")


class Command(BaseCommand):
    help = (
        "List the submitted assessments whose red flags, pathways or escalation would differ "
        "under the current rules, most dangerous first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--ward",
            action="append",
            metavar="NAME",
            help="only this ward (repeat for several); every ward if left out",
        )
        parser.add_argument(
            "--csv", action="store_true", dest="as_csv", help="write CSV to standard output"
        )

    def handle(self, *args, ward: list[str] | None, as_csv: bool, **options) -> None:
        wards = None
        if ward:
            wards = list(Ward.objects.filter(name__in=ward))
            unknown = sorted(set(ward) - {w.name for w in wards})
            if unknown:
                raise CommandError(f"No ward named {', '.join(map(repr, unknown))}.")
        result = run(by=None, source=LookbackRun.Source.COMMAND, wards=wards)
        if as_csv:
            csv.writer(self.stdout).writerows(csv_rows(result))
        else:
            self._table(result)

    def _table(self, result: Lookback) -> None:
        out = self.stdout
        out.write(
            f"Rules {result.rules_version} re-run over {result.rounds_checked} submitted "
            f"assessment{'s' if result.rounds_checked != 1 else ''}: "
            f"{len(result.differences)} would now come out differently, "
            f"{len(result.problems)} could not be checked."
        )
        if not result.changes:
            return
        rows = [
            (
                change.encounter.patient_identifier,
                change.encounter.ward.name,
                change.round_title,
                timezone.localtime(change.round.submitted_at).strftime("%Y-%m-%d %H:%M"),
                change.assessed_under,
            )
            for change in result.changes
        ]
        # Columns as wide as their longest cell: a patient identifier is never cut short.
        widths = [max(len(cell) for cell in column) for column in zip(COLUMNS, *rows, strict=True)]
        indent = " " * (sum(widths) + 2 * len(widths))
        out.write("")
        out.write("  ".join(map(str.ljust, COLUMNS, widths)) + "  Change")
        out.write("  ".join("-" * width for width in widths) + "  " + "-" * 40)
        for change, row in zip(result.changes, rows, strict=True):
            out.write("  ".join(map(str.ljust, row, widths)) + "  " + change.summary)
            for line in change.details:
                out.write(f"{indent}- {line}")
