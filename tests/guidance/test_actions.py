"""Drafting, editing, publishing and discarding guidance versions."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from tests.guidance.factories import GuidanceVersionFactory
from triage.actions import guidance as actions
from triage.guidance import published_version
from triage.models import GuidanceEntry, GuidanceVersion

pytestmark = pytest.mark.django_db
Status = GuidanceVersion.Status


def edit(draft: GuidanceVersion, key: str, by, **changes) -> GuidanceEntry:
    entry = draft.entries.get(key=key)
    fields = {"title": entry.title, "body": entry.body, "actions": entry.actions}
    fields["citations"] = entry.citations
    return actions.update_entry(entry=entry, by=by, **{**fields, **changes})


def test_a_draft_copies_every_entry_of_the_published_version(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    assert (draft.status, draft.number, draft.based_on) == (Status.DRAFT, 3, v2)
    copied = draft.entries.values_list("key", "title", "body", "actions", "citations")
    original = v2.entries.values_list("key", "title", "body", "actions", "citations")
    assert sorted(copied) == sorted(original)


def test_a_second_draft_is_refused_by_returning_the_first(v2, guidance_admin):
    first = actions.create_draft(by=guidance_admin)
    assert actions.create_draft(by=guidance_admin) == first
    assert GuidanceVersion.objects.filter(status=Status.DRAFT).count() == 1


def test_publishing_retires_the_old_version_and_records_who_and_why(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    edit(draft, "pathway.transient_pain", guidance_admin, body="Settles within **days**.")
    actions.publish(draft=draft, summary="  Shorter text  ", by=guidance_admin)
    v2.refresh_from_db()
    draft.refresh_from_db()
    assert v2.status == Status.RETIRED
    assert (draft.status, draft.change_summary, draft.published_by) == (
        Status.PUBLISHED,
        "Shorter text",
        guidance_admin,
    )
    assert published_version() == draft


def test_publishing_is_audited_with_the_user_and_the_action(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    actions.publish(draft=draft, summary="No change", by=guidance_admin)
    event = GuidanceVersion.pgh_event_model.objects.filter(pgh_obj_id=draft.pk).latest("pgh_id")
    assert event.status == Status.PUBLISHED
    assert event.pgh_context.metadata["action"] == "guidance.publish"
    assert event.pgh_context.metadata["user"] == guidance_admin.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "pathway.transient_pain: enter a title"),
        ({"body": ""}, "pathway.transient_pain: enter the guidance text"),
        ({"citations": [1, 9]}, "pathway.transient_pain: source 9 is not one of sources 1 to 7"),
    ],
)
def test_an_incomplete_entry_blocks_publishing(v2, guidance_admin, changes, message):
    draft = actions.create_draft(by=guidance_admin)
    edit(draft, "pathway.transient_pain", guidance_admin, **changes)
    with pytest.raises(actions.CannotPublish) as refused:
        actions.publish(draft=draft, summary="Try", by=guidance_admin)
    assert [p.message for p in refused.value.problems] == [message]
    assert refused.value.problems[0].key == "pathway.transient_pain"
    v2.refresh_from_db()
    assert v2.status == Status.PUBLISHED
    assert GuidanceVersion.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_missing_key_or_summary_blocks_publishing(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    with transaction.atomic():  # entries of drafts may go; only the action set is refused
        draft.entries.filter(key="general").delete()
    with pytest.raises(actions.CannotPublish) as refused:
        actions.publish(draft=draft, summary=" ", by=guidance_admin)
    assert [p.message for p in refused.value.problems] == [
        "Enter a summary of the changes",
        "general: there is no entry for this key",
    ]


def test_only_drafts_can_be_edited_published_or_discarded(v2, guidance_admin):
    entry = v2.entries.get(key="general")
    with pytest.raises(actions.NotADraft):
        actions.update_entry(
            entry=entry, title="x", body="y", actions="", citations=[], by=guidance_admin
        )
    with pytest.raises(actions.NotADraft):
        actions.publish(draft=v2, summary="Again", by=guidance_admin)
    with pytest.raises(actions.NotADraft):
        actions.discard_draft(draft=v2, by=guidance_admin)


def test_an_unchanged_autosave_writes_no_audit_event(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    events = GuidanceEntry.pgh_event_model.objects
    before = events.count()
    edit(draft, "general", guidance_admin)
    assert events.count() == before
    edit(draft, "general", guidance_admin, body="New")
    assert events.count() == before + 1


def test_a_discarded_draft_is_gone_and_its_number_is_never_reused(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    actions.discard_draft(draft=draft, by=guidance_admin)
    assert not GuidanceVersion.objects.filter(pk=draft.pk).exists()
    assert actions.create_draft(by=guidance_admin).number == draft.number + 1


# --- What the database itself refuses ---------------------------------------------------------


@contextmanager
def refused(match: str):
    """The statement inside fails in the database (and only its savepoint is rolled back)."""
    with pytest.raises((IntegrityError, InternalError), match=match), transaction.atomic():
        yield


def test_the_database_refuses_a_second_published_version(v2):
    draft = GuidanceVersionFactory(based_on=v2)
    with refused("one_published_guidance_version"):
        GuidanceVersion.objects.filter(pk=draft.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now(), change_summary="Sneaky"
        )
    assert GuidanceVersion.objects.filter(status=Status.PUBLISHED).get() == v2


def test_the_database_refuses_to_change_published_guidance(v2):
    with refused("cannot change"):
        v2.entries.filter(key="general").update(body="Rewritten history")
    with refused("cannot change"):
        GuidanceEntry.objects.create(version=v2, key="extra", title="x", body="y")
    with refused("cannot change"):
        GuidanceVersion.objects.filter(pk=v2.pk).update(change_summary="Rewritten")
    with refused("cannot be deleted"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM triage_guidanceversion WHERE id = %s", [v2.pk])
    assert v2.entries.get(key="general").body != "Rewritten history"


def test_the_database_lets_a_published_version_be_retired_only(v2):
    GuidanceVersion.objects.filter(pk=v2.pk).update(status=Status.RETIRED)
    with refused("cannot change"):
        GuidanceVersion.objects.filter(pk=v2.pk).update(status=Status.PUBLISHED)
