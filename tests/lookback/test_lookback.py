"""The look-back's comparison, without a request: which stored rounds the current rules would
answer differently, in which order, in which words; and that it never writes a snapshot.

The expected set, from the two contracts (v1 findings lack `focal_signs`, so a v1 neuro exam
is incomplete under v2 and v2 never reassures it; they lack `after_current_symptoms`, so a v1
scan excludes nothing):

- unresponsive-systolic-90: ACVPU U is altered consciousness, systolic 90 is shock: emergency.
- systolic-82-pulse-128: systolic <= 90 and pulse >= systolic: circulatory compromise.
- respiratory-rate-8: bradypnoea, respiratory depression: emergency.
- new-oxygen-spo2-95: oxygen with no reason counts as new: respiratory distress.
- fever-39-5: fever suspects infection: urgent, no reassurance.
- neuro-partly-recorded, radicular-pain-clear-ct: incomplete neuro; the CT (not after the
  symptoms) no longer excludes the neural leak: urgent.
- new-weakness-mri-clear: the MRI was not after the symptoms, so cord compression is now
  suspected (still an emergency).
- worse-pain-at-100-hours: worse pain after 72 h suspects an adjacent fracture (still urgent).
- Unchanged: chest pain with tachypnoea (the same red flag and embolism pathway), a sudden
  increase after improvement (adjacent fracture suspected either way: no MRI), a foraminal
  leak seen on CT (a finding still counts; confirmed wins over suspected).
"""

from __future__ import annotations

import doctest
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import triage.csv_cells
import triage.lookback
from tests.lookback.conftest import (
    EXPECTED_ORDER,
    UNCHANGED,
    V1_SNAPSHOTS,
    store_submitted_round,
)
from triage.lookback import look_back

pytestmark = pytest.mark.django_db


def names(result) -> list[str]:
    return [change.encounter.patient_identifier for change in result.changes]


@pytest.mark.parametrize("module", [triage.lookback, triage.csv_cells])
def test_the_worked_examples_in_the_docstrings_are_true(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_the_seeded_file_is_the_twelve_v1_rounds_this_test_reasons_about():
    assert sorted(item["name"] for item in V1_SNAPSHOTS) == sorted(EXPECTED_ORDER + UNCHANGED)
    assert {item["assessment"]["contract"] for item in V1_SNAPSHOTS} == {"v1"}
    assert not any("escalation" in item["assessment"] for item in V1_SNAPSHOTS)


def test_it_lists_exactly_the_v1_rounds_whose_outcome_changes_most_dangerous_first(
    seed_v1, v2_rounds, ward
):
    seed_v1()
    result = look_back([ward])
    assert result.rules_version == "v2"
    assert result.rounds_checked == 12 + 4  # and the four rounds submitted under v2
    assert names(result) == EXPECTED_ORDER
    assert result.problems == []
    assert {change.assessed_under for change in result.changes} == {"v1"}


def test_rounds_submitted_under_the_current_rules_never_change(v2_rounds, ward):
    result = look_back([ward])
    assert result.rounds_checked == 4
    assert result.changes == []


def test_the_patients_reassured_under_v1_are_escalated_in_plain_words(seed_v1, ward):
    seed_v1(["unresponsive-systolic-90", "neuro-partly-recorded", "new-weakness-mri-clear"])
    changes = {c.encounter.patient_identifier: c for c in look_back([ward]).changes}

    unresponsive = changes["unresponsive-systolic-90"]
    assert unresponsive.steps_more_urgent == 2
    assert (unresponsive.was_label, unresponsive.now_label) == ("Routine", "Emergency")
    assert unresponsive.summary == (
        "Was routine with transient post-procedural pain → now emergency: altered "
        "consciousness and signs of shock (circulatory compromise)"
    )
    assert unresponsive.details == [
        "New red flag: Altered consciousness",
        "New red flag: Signs of shock (circulatory compromise)",
        "New pathway: Cement embolism (lungs, heart or brain) (suspected)",
        "Pathway no longer listed: Transient post-procedural pain (was suspected)",
        "Escalation: was routine, now emergency",
        "Not complete for the current rules: neuro exam",
    ]

    partly = changes["neuro-partly-recorded"]
    assert partly.summary == (
        "Was routine with transient post-procedural pain → now urgent: neuro exam incomplete"
    )
    assert partly.red_flags_added == [] and partly.pathways_added == []
    assert partly.pathways_removed == ["Transient post-procedural pain (was suspected)"]

    weakness = changes["new-weakness-mri-clear"]
    assert weakness.steps_more_urgent == 0
    assert weakness.summary == (
        "Was emergency with progressive neurological deficit → now emergency: progressive "
        "neurological deficit"
    )
    assert weakness.pathways_added == ["Spinal cord compression (suspected)"]
    assert "Escalation" not in " ".join(weakness.details)  # it did not change


def test_a_changed_pathway_status_is_a_change(ward, nurse, published_guidance):
    # A stored snapshot that only suspected the neural leak the scan shows (the current rules
    # confirm it): the same codes, a different status.
    item = next(i for i in V1_SNAPSHOTS if i["name"] == "foraminal-leak-on-ct")
    assessment = {
        **item["assessment"],
        "pathways": [{"code": "cement_leak_neural", "status": "suspected"}],
    }
    store_submitted_round(
        ward=ward,
        nurse=nurse,
        guidance=published_guidance,
        name="status-only",
        findings=item["findings"],
        assessment=assessment,
        at=timezone.now(),
    )
    (change,) = look_back([ward]).changes
    assert change.pathways_changed == [
        "Cement leak into the foramina or epidural space: was suspected, now confirmed"
    ]
    assert change.pathways_added == [] and change.pathways_removed == []
    assert "Pathway changed: Cement leak into the foramina or epidural space" in change.details[0]


def test_a_round_the_current_rules_cannot_assess_is_listed_first_with_the_reason(
    seed_v1, ward, nurse, published_guidance
):
    seed_v1(["respiratory-rate-8"])
    item = V1_SNAPSHOTS[0]
    bad = store_submitted_round(
        ward=ward,
        nurse=nurse,
        guidance=published_guidance,
        name="unreadable",
        findings={**item["findings"], "vitals": {**item["findings"]["vitals"], "spo2": 30}},
        assessment=item["assessment"],
        at=timezone.now(),
    )
    unknown = store_submitted_round(
        ward=ward,
        nurse=nurse,
        guidance=published_guidance,
        name="future-rules",
        findings=item["findings"],
        assessment={**item["assessment"], "contract": "v9"},
        at=timezone.now(),
    )
    result = look_back([ward])
    assert names(result) == ["future-rules", "unreadable", "respiratory-rate-8"]
    assert [change.round for change in result.problems] == [unknown, bad]
    problem = result.problems[1]
    assert problem.now is None
    assert problem.problem == "vitals.spo2: must be between 50 and 100"
    assert problem.summary == (
        "The current rules could not assess the stored answers: "
        "vitals.spo2: must be between 50 and 100"
    )
    assert "v9" in result.problems[0].problem
    assert result.rounds_checked == 3


def test_a_stored_assessment_that_cannot_be_read_is_listed_not_skipped_or_fatal(
    seed_v1, ward, nurse, published_guidance
):
    seed_v1(["fever-39-5"])
    item = V1_SNAPSHOTS[0]
    for name, assessment in (
        ("no-status", {**item["assessment"], "pathways": [{"code": "transient_pain"}]}),
        ("odd-escalation", {**item["assessment"], "contract": "v2", "escalation": "soon"}),
    ):
        store_submitted_round(
            ward=ward,
            nurse=nurse,
            guidance=published_guidance,
            name=name,
            findings=item["findings"],
            assessment=assessment,
            at=timezone.now(),
        )
    result = look_back([ward])
    assert names(result) == ["odd-escalation", "no-status", "fever-39-5"]
    for problem in result.problems:
        assert problem.was is None and problem.now is None
        assert problem.problem.startswith("the stored assessment cannot be read")
        assert problem.was_label == "Unknown"
        assert problem.details == [] and problem.pathways_added == []


def test_only_the_wards_asked_for_are_looked_at(seed_v1, ward, other_ward):
    seed_v1(["fever-39-5"])
    seed_v1(["respiratory-rate-8"], ward=other_ward, prefix="other-")
    assert names(look_back([ward])) == ["fever-39-5"]
    assert names(look_back([other_ward])) == ["other-respiratory-rate-8"]
    assert names(look_back(None)) == ["other-respiratory-rate-8", "fever-39-5"]
    assert look_back([]).rounds_checked == 0


def test_draft_rounds_are_not_looked_at(seed_v1, ward, nurse, v2_rounds):
    from triage.actions.encounters import start_reassessment

    start_reassessment(encounter=v2_rounds[0], by=nurse)  # a draft round 2
    assert look_back([ward]).rounds_checked == 4


def test_all_the_rounds_are_read_in_one_query(seed_v1, ward, v2_rounds):
    seed_v1()
    with CaptureQueriesContext(connection) as queries:
        result = look_back([ward])
        for change in result.changes:  # everything a row shows is already loaded
            change.encounter.ward.name, change.round.submitted_by.get_username()
    assert len(result.changes) == 9
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_the_look_back_writes_nothing(seed_v1, ward, v2_rounds):
    seed_v1()
    round_events = apps.get_model("triage", "RoundEvent").objects.count()
    with CaptureQueriesContext(connection) as queries:
        look_back([ward])
    # One read (through a server-side cursor, so rounds arrive in chunks): no write at all.
    (query,) = queries
    assert re.match(r"DECLARE \S+ NO SCROLL CURSOR (WITH(OUT)? HOLD )?FOR SELECT ", query["sql"])
    assert not re.search(r"\b(INSERT|UPDATE|DELETE)\b", query["sql"])
    assert apps.get_model("triage", "RoundEvent").objects.count() == round_events
