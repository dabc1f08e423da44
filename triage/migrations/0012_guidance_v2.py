"""Publish guidance version 2, written for the version 2 assessment rules, from fixtures/.

The fixture file is the one copy of the text; this migration only reads it. It does what
`triage.actions.guidance` does, with the historical models: a draft based on the published
version, its entries added while it is a draft (0008's triggers refuse them later), then the
old version retired and the draft published. The migration runs in one transaction, so no
one ever sees two published versions, or none.

On a fresh database that publishes version 2 over version 1. Where guidance admins have
already published later local versions, the shipped text is still published, since it carries
safety corrections that local wording written for the version 1 rules cannot have: as the next
free number (numbers are never reused, not even a discarded draft's), based on the local
version it replaces, whose wording stays in the history and the diff. An open draft is left
alone; being based on a version that is no longer published, it can no longer be published and
must be started again. If the published version already holds exactly the shipped text,
nothing is done.

There is no reverse: published guidance never changes (0008), and rounds submitted since keep
pointing at version 2, so unapplying this migration leaves the guidance as it is.
"""

import json
from pathlib import Path

import pghistory
from django.db import migrations
from django.db.models import Max
from django.utils import timezone

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "guidance-v2.json"
FIELDS = ("title", "body", "actions", "citations")


def _texts(entries) -> dict:
    return {entry["key"]: {name: entry[name] for name in FIELDS} for entry in entries}


def publish_v2(apps, schema_editor):
    GuidanceVersion = apps.get_model("triage", "GuidanceVersion")
    GuidanceEntry = apps.get_model("triage", "GuidanceEntry")
    GuidanceVersionEvent = apps.get_model("triage", "GuidanceVersionEvent")
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    shipped = _texts(data["entries"])
    # Locking the published row orders this publish after any one the running app is making.
    current = GuidanceVersion.objects.select_for_update().filter(status="published").first()
    if current is not None:
        published = GuidanceEntry.objects.filter(version=current).values("key", *FIELDS)
        if _texts(published) == shipped:
            return
    live = GuidanceVersion.objects.aggregate(n=Max("number"))["n"] or 0
    past = GuidanceVersionEvent.objects.aggregate(n=Max("number"))["n"] or 0
    number = max(data["number"], live + 1, past + 1)
    summary = data["change_summary"]
    if number != data["number"]:
        replaced = f", replacing local version {current.number}" if current else ""
        summary += (
            f". Shipped as version {number}{replaced}: re-enter any local wording still "
            "needed in a new draft"
        )
    with pghistory.context(action="migration.0012_guidance_v2"):
        draft = GuidanceVersion.objects.create(number=number, status="draft", based_on=current)
        GuidanceEntry.objects.bulk_create(
            GuidanceEntry(version=draft, **entry) for entry in data["entries"]
        )
        if current is not None:
            current.status = "retired"
            current.save(update_fields=["status"])
        draft.status = "published"
        draft.change_summary = summary
        draft.published_at = timezone.now()
        draft.save(update_fields=["status", "change_summary", "published_at"])


class Migration(migrations.Migration):
    dependencies = [("triage", "0011_lookback_runs")]

    operations = [migrations.RunPython(publish_v2, migrations.RunPython.noop)]
