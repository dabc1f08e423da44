"""Running the look-back, and recording that it was run.

The look-back itself (`triage.lookback`) only reads. Who re-ran the current rules over whose
stored findings, when, from where and with what result is kept as a `LookbackRun` (append-only
in the database), so every look-back is on record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from triage.lookback import Lookback, look_back
from triage.models import LookbackRun, User, Ward


@transaction.atomic
def run(*, by: User | None, source: str, wards: Iterable[Ward] | None) -> Lookback:
    """Look back over `wards` (every ward if None) and record the run.

    `rounds_changed` counts every round listed: those that would now come out differently
    and those the current rules could not assess (both need someone to read them).
    """
    covered = None if wards is None else list(wards)
    result = look_back(covered)
    record = LookbackRun.objects.create(
        by=by,
        source=source,
        rules_version=result.rules_version,
        rounds_checked=result.rounds_checked,
        rounds_changed=len(result.changes),
    )
    # A new run has no wards yet: one insert of them all (`set` would read them first).
    through = LookbackRun.wards.through
    through.objects.bulk_create(
        through(lookbackrun=record, ward=ward)
        for ward in (Ward.objects.all() if covered is None else covered)
    )
    return result
