"""Two publishes at the same moment: exactly one wins, the other is told why.

Each publish runs in its own thread (its own database connection). The test first holds the
published row's lock itself and waits until both publishes are blocked behind it, so they
really do run at the same moment, whatever the scheduler does.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tests.guidance.factories import GuidanceVersionFactory
from triage.actions import guidance as actions
from triage.models import GuidanceVersion

pytestmark = pytest.mark.django_db(transaction=True)


def publish_at_once(drafts: list[GuidanceVersion], by) -> list[object]:
    outcomes: list[object] = [None] * len(drafts)

    def run(index: int) -> None:
        try:
            outcomes[index] = actions.publish(draft=drafts[index], summary="Race", by=by)
        except (actions.CannotPublish, actions.NotADraft) as refused:
            outcomes[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(drafts))]
    with transaction.atomic():
        GuidanceVersion.objects.select_for_update().get(status=GuidanceVersion.Status.PUBLISHED)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while waiting_for_a_lock() < len(drafts):
            assert time.monotonic() < deadline, "the publishes never queued for the lock"
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=20)
    return outcomes


def waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # Activity statistics are a snapshot per transaction unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_drafts_published_at_once_leave_exactly_one_published(v2, guidance_admin):
    drafts = [GuidanceVersionFactory(based_on=v2, number=n) for n in (3, 4)]
    outcomes = publish_at_once(drafts, guidance_admin)
    published = GuidanceVersion.objects.filter(status=GuidanceVersion.Status.PUBLISHED)
    assert published.count() == 1
    winner = published.get()
    assert winner in drafts
    loser = outcomes[drafts.index(winner) ^ 1]
    assert isinstance(loser, actions.CannotPublish)
    assert "Another version was published after this draft was started" in str(loser)
    assert GuidanceVersion.objects.get(pk=v2.pk).status == GuidanceVersion.Status.RETIRED


def test_one_draft_published_twice_at_once_is_published_once(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    outcomes = publish_at_once([draft, draft], guidance_admin)
    assert GuidanceVersion.objects.get(status=GuidanceVersion.Status.PUBLISHED).pk == draft.pk
    refused = [o for o in outcomes if isinstance(o, actions.NotADraft)]
    assert len(refused) == 1
    assert "no longer a draft" in str(refused[0])
