"""`manage.py lookback`: every ward (or those named), as a table or CSV, recorded as a run."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.lookback.conftest import EXPECTED_ORDER
from triage.lookback import CSV_HEADER
from triage.models import LookbackRun, Ward

pytestmark = pytest.mark.django_db


def lookback(*args: str) -> str:
    out = io.StringIO()
    call_command("lookback", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_changes_over_every_ward_as_a_table(seed_v1, v2_rounds, other_ward):
    seed_v1()
    seed_v1(["respiratory-rate-8"], ward=other_ward, prefix="other-")
    lines = lookback().splitlines()
    assert lines[0] == (
        "Rules v2 re-run over 17 submitted assessments: 10 would now come out differently, "
        "0 could not be checked."
    )
    assert lines[2].split()[:5] == ["Patient", "Ward", "Assessment", "Submitted", "Rules"]
    rows = [line for line in lines[4:] if not line.startswith(" ")]
    patients = [row.split()[0] for row in rows]
    # The other ward's copy was submitted at the same time as this ward's: the later stored
    # comes first.
    expected = EXPECTED_ORDER.copy()
    expected.insert(expected.index("respiratory-rate-8"), "other-respiratory-rate-8")
    assert patients == expected
    fever = next(row for row in rows if row.startswith("fever-39-5"))
    assert "Spinal ward" in fever and "v1" in fever
    assert fever.endswith(
        "Was routine with transient post-procedural pain → now urgent: infection "
        "(spondylodiscitis or epidural abscess)"
    )
    # Each change in words under its row.
    assert any(line.strip() == "- Escalation: was routine, now urgent" for line in lines)


def test_csv_on_standard_output(seed_v1):
    seed_v1()
    rows = list(csv.reader(io.StringIO(lookback("--csv"))))
    assert rows[0] == list(CSV_HEADER)
    assert [row[0] for row in rows[1:]] == EXPECTED_ORDER


def test_ward_filters_and_is_recorded(seed_v1, ward, other_ward):
    seed_v1(["fever-39-5"])
    seed_v1(["respiratory-rate-8"], ward=other_ward, prefix="other-")
    rows = list(csv.reader(io.StringIO(lookback("--csv", "--ward", "Orthopaedic ward"))))
    assert [row[0] for row in rows[1:]] == ["other-respiratory-rate-8"]
    run = LookbackRun.objects.get()
    assert (run.by, run.source, run.rules_version) == (None, "command", "v2")
    assert list(run.wards.all()) == [other_ward]
    assert (run.rounds_checked, run.rounds_changed) == (1, 1)


def test_every_ward_is_recorded_when_none_is_named(seed_v1, ward, other_ward):
    seed_v1(["fever-39-5", "chest-pain-respiratory-distress"])
    lookback()
    run = LookbackRun.objects.get()
    assert set(run.wards.all()) == set(Ward.objects.all()) == {ward, other_ward}
    assert (run.rounds_checked, run.rounds_changed) == (2, 1)


def test_an_unknown_ward_is_an_error_and_nothing_is_run(seed_v1):
    seed_v1(["fever-39-5"])
    with pytest.raises(CommandError, match="No ward named 'Nowhere'"):
        lookback("--ward", "Nowhere")
    assert not LookbackRun.objects.exists()


def test_nothing_to_list(v2_rounds):
    assert lookback() == (
        "Rules v2 re-run over 4 submitted assessments: 0 would now come out differently, "
        "0 could not be checked.\n"
    )
    assert LookbackRun.objects.get().rounds_changed == 0
