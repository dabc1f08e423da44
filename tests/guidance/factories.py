"""Guidance versions, encounters and submitted rounds built straight through the ORM.

Rounds carry a real assessment from the clinical engine, so the JSON the impact queries read
is exactly what the product stores.
"""

from __future__ import annotations

import json
from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import UserFactory, WardFactory
from tests.foundation.helpers import ROOT
from triage.clinical import assess_json
from triage.models import Encounter, GuidanceEntry, GuidanceVersion, Round
from triage.roles import Role

FIXTURE = json.loads((ROOT / "fixtures" / "guidance-v2.json").read_text(encoding="utf-8"))

# Findings of a checked, well patient: only the transient-pain pathway, routine escalation,
# urgent imaging.
WELL = {
    "procedure": {"hours_since": 20, "levels": ["L1"]},
    "symptoms": {
        "pain_score": 5,
        "pain_course": "worse_since_procedure",
        "radicular_pain": False,
        "chest_pain": False,
        "dyspnoea": False,
        "uncontrolled_despite_analgesia": False,
    },
    "neuro": {
        "motor": "normal",
        "sensory": "normal",
        "bowel_bladder": "normal",
        "focal_signs": False,
    },
    "vitals": {
        "respiratory_rate": 16,
        "spo2": 97,
        "on_oxygen": False,
        "systolic_bp": 128,
        "heart_rate": 80,
        "consciousness": "A",
        "temperature": 36.8,
    },
}
# New leg weakness: a red flag, cord compression suspected, emergency escalation and imaging.
WEAK_LEG = {**WELL, "neuro": {**WELL["neuro"], "motor": "new_deficit"}}


class GuidanceVersionFactory(factory.django.DjangoModelFactory):
    """A version with one entry per key (the shipped version 2's texts unless `texts`
    overrides some fields).

    Entries are written while the version is a draft, then the status is set: the database
    refuses entries for a version that has left draft.
    """

    class Meta:
        model = GuidanceVersion

    number = factory.Sequence(lambda n: 100 + n)
    status = GuidanceVersion.Status.DRAFT
    texts = factory.Dict({})  # {key: {"body": ...}}; a value of None leaves the key out

    @classmethod
    def _create(cls, model_class, *, status, texts, **kwargs) -> GuidanceVersion:
        version = model_class.objects.create(status=GuidanceVersion.Status.DRAFT, **kwargs)
        entries = []
        for entry in FIXTURE["entries"]:
            if entry["key"] in texts and texts[entry["key"]] is None:
                continue
            entries.append(
                GuidanceEntry(version=version, **{**entry, **texts.get(entry["key"], {})})
            )
        GuidanceEntry.objects.bulk_create(entries)
        if status != GuidanceVersion.Status.DRAFT:
            version.status = status
            version.published_at = timezone.now()
            version.change_summary = f"Test version {version.number}"
            version.save()
        return version


class EncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encounter

    ward = factory.SubFactory(WardFactory, name="Spinal ward")
    patient_identifier = factory.Sequence(lambda n: f"GX{n:05d}")
    created_by = factory.SubFactory(UserFactory, username="nurse1", roles=(Role.NURSE,))
    submitted_at = factory.LazyFunction(timezone.now)


class RoundFactory(factory.django.DjangoModelFactory):
    """A submitted round: what the engine said for `findings`, shown with `guidance_version`."""

    class Meta:
        model = Round

    encounter = factory.SubFactory(EncounterFactory)
    number = 1
    status = Round.Status.SUBMITTED
    created_by = factory.SelfAttribute("encounter.created_by")
    submitted_by = factory.SelfAttribute("encounter.created_by")
    submitted_at = factory.LazyFunction(timezone.now)
    findings = factory.LazyFunction(lambda: WELL)
    assessment = factory.LazyAttribute(lambda o: assess_json(o.findings).to_dict())
    guidance_version = factory.LazyFunction(
        lambda: GuidanceVersion.objects.get(status=GuidanceVersion.Status.PUBLISHED)
    )


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)
