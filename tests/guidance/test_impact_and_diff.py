"""Who saw the text a draft changes (impact), and the word diff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.guidance.factories import WEAK_LEG, WELL, EncounterFactory, RoundFactory
from triage.actions import guidance as actions
from triage.guidance import impact, rounds_showing, shown_filter, shown_keys, word_diff
from triage.models import Round


def test_word_diff_marks_changed_words_only():
    assert word_diff("Bed rest for 24 hours", "Bed rest for 48 to 72 hours") == [
        ("equal", "Bed rest for "),
        ("delete", "24"),
        ("insert", "48 to 72"),
        ("equal", " hours"),
    ]


def test_word_diff_of_added_and_removed_text_rebuilds_both_sides():
    old, new = "Call the team now.\nThen scan.", "Call the spinal team.\nThen scan urgently."
    parts = word_diff(old, new)
    assert "".join(t for op, t in parts if op != "insert") == old
    assert "".join(t for op, t in parts if op != "delete") == new
    assert parts == [
        ("equal", "Call the "),
        ("insert", "spinal "),
        ("equal", "team"),
        ("delete", " now"),
        ("equal", ".\nThen scan"),
        ("insert", " urgently"),
        ("equal", "."),
    ]
    assert word_diff("a b c", "x y z") == [("delete", "a b c"), ("insert", "x y z")]
    assert word_diff("same", "same") == [("equal", "same")]
    assert word_diff("", "new") == [("insert", "new")]


@pytest.fixture
def seeded(v2, ward):
    """Rounds of the last 90 days and older ones, with and without a red flag."""
    now = timezone.now()
    well = [RoundFactory(submitted_at=now - timedelta(days=d)) for d in (1, 30, 89)]
    # Two rounds of one encounter with a red flag: two rounds, one encounter.
    encounter = EncounterFactory()
    weak = [
        RoundFactory(
            encounter=encounter, number=n, findings=WEAK_LEG, submitted_at=now - timedelta(days=d)
        )
        for n, d in ((1, 3), (2, 2))
    ]
    old = [
        RoundFactory(submitted_at=now - timedelta(days=91)),
        RoundFactory(submitted_at=now - timedelta(days=200), findings=WEAK_LEG),
    ]
    # A draft round shows nothing yet.
    Round.objects.create(encounter=EncounterFactory(), number=1, created_by=encounter.created_by)
    return {"well": well, "weak": weak, "old": old}


def change(draft, key, by):
    entry = draft.entries.get(key=key)
    actions.update_entry(
        entry=entry,
        title=entry.title,
        body=entry.body + " Changed.",
        actions=entry.actions,
        citations=entry.citations,
        by=by,
    )


@pytest.mark.django_db
def test_impact_counts_recent_submitted_rounds_showing_each_changed_entry(seeded, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    for key in (
        "pathway.transient_pain",
        "red_flag.progressive_neuro_deficit",
        "imaging.emergency",
        "red_flag.news2_high",
        "general",
        "escalation.routine",
        "escalation.emergency",
        "escalation.urgent",
    ):
        change(draft, key, guidance_admin)
    rows = {row.key: (row.rounds, row.encounters) for row in impact(draft)}
    assert rows == {
        "escalation.emergency": (2, 1),
        "escalation.urgent": (0, 0),
        "escalation.routine": (3, 3),
        "red_flag.progressive_neuro_deficit": (2, 1),
        "red_flag.news2_high": (0, 0),
        "pathway.transient_pain": (3, 3),
        "imaging.emergency": (2, 1),
        "general": (5, 4),
    }
    # In the engine's order: the escalation, then red flags, pathways, imaging, general.
    assert [row.key for row in impact(draft)] == list(rows)


@pytest.mark.django_db
def test_a_key_no_round_can_show_counts_nothing(seeded, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    draft.entries.create(key="local.extra", title="Extra", body="Text")
    assert [(row.key, row.rounds) for row in impact(draft)] == [("local.extra", 0)]


@pytest.mark.django_db
def test_an_unchanged_draft_has_no_impact(seeded, guidance_admin):
    assert impact(actions.create_draft(by=guidance_admin)) == []


@pytest.mark.django_db
def test_impact_is_one_query(seeded, guidance_admin, django_assert_max_num_queries):
    draft = actions.create_draft(by=guidance_admin)
    change(draft, "general", guidance_admin)
    change(draft, "pathway.transient_pain", guidance_admin)
    # The changed keys (two versions' entries), the counts, the titles.
    with django_assert_max_num_queries(5):
        impact(draft)


@pytest.mark.django_db
def test_rounds_showing_lists_the_latest_recent_rounds_with_the_key(seeded):
    weak = seeded["weak"]
    assert rounds_showing("red_flag.progressive_neuro_deficit", 5) == [weak[1], weak[0]]
    assert rounds_showing("pathway.transient_pain", 2) == seeded["well"][:2]
    assert rounds_showing("red_flag.news2_high") == []


@pytest.mark.django_db
def test_the_database_filter_and_the_python_check_agree(seeded):
    rounds = Round.objects.filter(status=Round.Status.SUBMITTED)
    for key in shown_keys(seeded["weak"][0].assessment) | shown_keys(seeded["well"][0].assessment):
        in_db = set(rounds.filter(shown_filter(key)).values_list("pk", flat=True))
        in_python = {r.pk for r in rounds if key in shown_keys(r.assessment)}
        assert in_db == in_python, key
    assert not rounds.filter(shown_filter("no.such_key")).exists()


def test_shown_keys_reads_every_displayed_item():
    from triage.clinical import assess_json

    assert shown_keys(assess_json(WELL).to_dict()) == {
        "general",
        "escalation.routine",
        "imaging.urgent",
        "pathway.transient_pain",
    }
