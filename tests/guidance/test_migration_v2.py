"""Migration 0012 publishes guidance version 2 from its fixture, on a fresh database and over
local versions; rounds submitted before it keep showing what they showed."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, WardFactory
from tests.foundation.helpers import ROOT
from triage.actions import encounters as encounter_actions
from triage.actions import guidance as actions
from triage.guidance import history, published_version, render_markdown
from triage.models import GuidanceVersion, Round
from triage.roles import Role

FIXTURE = json.loads((ROOT / "fixtures" / "guidance-v2.json").read_text(encoding="utf-8"))
SHIPPED = {e["key"]: {k: v for k, v in e.items() if k != "key"} for e in FIXTURE["entries"]}
MIGRATION = import_module("triage.migrations.0012_guidance_v2")
Status = GuidanceVersion.Status


def texts(version: GuidanceVersion) -> dict:
    return {
        e.key: {"title": e.title, "body": e.body, "actions": e.actions, "citations": e.citations}
        for e in version.entries.all()
    }


def run_the_migration() -> None:
    """Its forward step with its own historical models, in one transaction as `migrate` does."""
    state = MigrationExecutor(connection).loader.project_state(("triage", "0012_guidance_v2"))
    with transaction.atomic():
        MIGRATION.publish_v2(state.apps, None)


@pytest.mark.django_db
def test_the_migration_published_version_2_and_retired_version_1(v1, v2):
    assert published_version() == v2
    assert (v1.status, v2.status, v2.based_on) == (Status.RETIRED, Status.PUBLISHED, v1)
    assert v2.change_summary == FIXTURE["change_summary"]
    assert v2.published_at is not None and v2.published_by is None
    assert texts(v2) == SHIPPED
    assert GuidanceVersion.objects.count() == 2
    assert [item.what for item in history(v1)][-1] == "Retired it (a newer version was published)"


@pytest.mark.django_db
def test_over_later_local_versions_it_publishes_the_shipped_text_as_the_next_free_number(
    v2, guidance_admin
):
    local = actions.create_draft(by=guidance_admin)
    entry = local.entries.get(key="general")
    actions.update_entry(
        entry=entry,
        title=entry.title,
        body="Local wording.",
        actions=entry.actions,
        citations=entry.citations,
        by=guidance_admin,
    )
    actions.publish(draft=local, summary="Local change", by=guidance_admin)
    actions.discard_draft(draft=actions.create_draft(by=guidance_admin), by=guidance_admin)
    open_draft = actions.create_draft(by=guidance_admin)  # numbers 3, 4 (discarded), 5

    run_the_migration()

    shipped = published_version()
    local.refresh_from_db()
    assert (shipped.number, shipped.based_on, local.status) == (6, local, Status.RETIRED)
    assert texts(shipped) == SHIPPED
    assert shipped.change_summary == (
        f"{FIXTURE['change_summary']}. Shipped as version 6, replacing local version 3: "
        "re-enter any local wording still needed in a new draft"
    )
    assert [(item.by, item.what) for item in history(shipped)][-1] == (
        "the system",
        "Published version 6",
    )
    # The open draft was started from local wording: it stays, but can no longer be published.
    assert GuidanceVersion.objects.get(pk=open_draft.pk).status == Status.DRAFT
    with pytest.raises(actions.CannotPublish, match="Another version was published after"):
        actions.publish(draft=open_draft, summary="Mine", by=guidance_admin)


@pytest.mark.django_db
def test_running_it_again_publishes_nothing(v2):
    events = GuidanceVersion.pgh_event_model.objects
    before = (list(GuidanceVersion.objects.values()), events.count())
    run_the_migration()
    assert (list(GuidanceVersion.objects.values()), events.count()) == before
    assert published_version() == v2


def submit_a_round(nurse, ward) -> Round:
    encounter = encounter_actions.start_encounter(
        by=nurse,
        ward=ward,
        patient_identifier=f"MX{Round.objects.count():04d}",
        procedure_at=timezone.now() - timedelta(hours=20),
        levels=["L1"],
        client_token=None,
    )
    return encounter_actions.submit_round(round=encounter.rounds.get(), by=nurse).round


@pytest.mark.django_db(transaction=True)
def test_a_round_submitted_under_version_1_keeps_showing_it_after_version_2_is_published(
    client,
):
    # The database as it was before 0012 ran: version 1 published, nothing else.
    call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        import_module("triage.migrations.0007_guidance_v1").load_v1(apps, None)
    ward = WardFactory(name="Spinal ward")
    nurse = UserFactory(username="nurse1", roles=(Role.NURSE,), wards=(ward,))
    before = submit_a_round(nurse, ward)
    assert before.guidance_version.number == 1

    run_the_migration()
    after = submit_a_round(nurse, ward)

    before.refresh_from_db()
    assert (before.guidance_version.number, after.guidance_version.number) == (1, 2)
    # Nothing assessed, so urgent imaging: an entry whose text version 2 changed.
    key = "imaging.urgent"
    assert before.assessment["imaging_detail"]["guidance_key"] == key
    v1_body = before.guidance_version.entries.get(key=key).body
    v2_body = after.guidance_version.entries.get(key=key).body
    assert v1_body != v2_body
    client.force_login(nurse)
    pages = [
        client.get(
            reverse("encounters:round", kwargs={"pk": r.encounter_id, "number": 1})
        ).content.decode()
        for r in (before, after)
    ]
    assert str(render_markdown(v1_body)) in pages[0]
    assert str(render_markdown(v2_body)) not in pages[0]
    assert "(version 1)" in pages[0] and "(version 2)" not in pages[0]
    assert str(render_markdown(v2_body)) in pages[1]
    assert str(render_markdown(v1_body)) not in pages[1]
    assert "(version 2)" in pages[1] and "(version 1)" not in pages[1]
