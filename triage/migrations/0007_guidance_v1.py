"""Publish guidance version 1, our paraphrase of the clinical source, from fixtures/.

The fixture file is the one copy of the text; this migration only reads it.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "guidance-v1.json"


def load_v1(apps, schema_editor):
    GuidanceVersion = apps.get_model("triage", "GuidanceVersion")
    GuidanceEntry = apps.get_model("triage", "GuidanceEntry")
    if GuidanceVersion.objects.filter(number=1).exists():
        return
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    # Entries are added while the version is a draft, then it is published: the same order
    # the product follows (entries of a published version are frozen by a trigger, 0008).
    version = GuidanceVersion.objects.create(number=data["number"], status="draft")
    GuidanceEntry.objects.bulk_create(
        GuidanceEntry(version=version, **entry) for entry in data["entries"]
    )
    version.status = "published"
    version.change_summary = data["change_summary"]
    version.published_at = timezone.now()
    version.save()


def unload_v1(apps, schema_editor):
    GuidanceVersion = apps.get_model("triage", "GuidanceVersion")
    GuidanceEntry = apps.get_model("triage", "GuidanceEntry")
    GuidanceEntry.objects.filter(version__number=1).delete()
    GuidanceVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("triage", "0006_review_queue")]

    operations = [migrations.RunPython(load_v1, unload_v1)]
