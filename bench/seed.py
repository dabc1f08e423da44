"""A realistic data set for the benches: submitted encounters over several wards.

Bulk inserts in a realistic mix: a year of submissions, most older ones signed, about one in
seven an emergency (a red flag), one in seven urgent and the rest routine, one in ten
reassessed, a few overridden. Every stored assessment is the real engine's answer to the
findings beside it. Used by bench_queue.py and bench_pages.py; needs Django set up.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BATCH = 2_000

# Findings behind the stored assessments, by how often they occur (weights).
WELL = {"pain_score": 3, "pain_course": "improving"}
NORMAL_NEURO = {
    "motor": "normal",
    "sensory": "normal",
    "bowel_bladder": "normal",
    "focal_signs": False,
}
NORMAL_VITALS = {
    "respiratory_rate": 15,
    "spo2": 97,
    "on_oxygen": False,
    "systolic_bp": 128,
    "heart_rate": 74,
    "consciousness": "A",
    "temperature": 36.7,
}
MIX = [
    (60, {"symptoms": WELL, "imaging": {"status": "not_done"}}),
    (12, {"symptoms": {"pain_score": 6, "pain_course": "unchanged"}}),
    (
        8,
        {
            "symptoms": {"pain_score": 6, "pain_course": "worse_since_procedure"},
            "imaging": {"status": "done", "modality": "ct", "findings": ["foraminal_leak"]},
        },
    ),
    (
        6,
        {
            "symptoms": {"pain_score": 7, "pain_course": "sudden_increase_after_improvement"},
            "imaging": {"status": "done", "modality": "mri", "findings": ["new_adjacent_fracture"]},
        },
    ),
    (5, {"neuro": {**NORMAL_NEURO, "motor": "new_deficit"}}),
    (4, {"symptoms": {"pain_score": 9, "uncontrolled_despite_analgesia": True}}),
    (
        3,
        {
            "symptoms": {"pain_score": 5, "chest_pain": True, "dyspnoea": True},
            "vitals": {**NORMAL_VITALS, "respiratory_rate": 26, "spo2": 90, "heart_rate": 122},
        },
    ),
    (2, {"vitals": {**NORMAL_VITALS, "systolic_bp": 88, "consciousness": "V"}}),
]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triage.settings")
    import django

    django.setup()


@contextmanager
def scratch_database(name: str) -> Iterator[None]:
    """A database of the bench's own, created and migrated by the tables' owner and used as the
    application (as in production, and as the tests do); dropped on the way out."""
    from django.conf import settings
    from django.db import connection

    from triage.db import roles

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    original = connection.settings_dict["NAME"]
    print(f"creating and migrating the database {name} ...")
    roles.log_in_as(connection, roles.OWNER)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        roles.log_in_as(connection, roles.APPLICATION)
        yield
    finally:
        roles.log_in_as(connection, roles.OWNER)
        connection.creation.destroy_test_db(original, verbosity=0)


def assessments() -> list[tuple[int, dict, dict]]:
    """(weight, findings, assessment) of each kind of patient, from the real engine."""
    from triage.clinical import assess_json

    kinds = []
    for weight, sections in MIX:
        findings = {
            "procedure": {"hours_since": 14, "levels": ["L1"]},
            "symptoms": {
                "pain_score": 4,
                "pain_course": "improving",
                "radicular_pain": False,
                "chest_pain": False,
                "dyspnoea": False,
                "uncontrolled_despite_analgesia": False,
            },
            "neuro": NORMAL_NEURO,
            "vitals": NORMAL_VITALS,
            "imaging": {"status": "requested", "modality": "mri"},
        }
        for name, section in sections.items():
            findings[name] = section if name == "imaging" else {**findings[name], **section}
        kinds.append((weight, findings, assess_json(findings).to_dict()))
    return kinds


def seed(
    *, encounters: int, wards: int, physician_wards: int, prefix: str = "Bench"
) -> tuple[object, list]:
    """`encounters` over `wards` new wards, two nurses each and a physician covering the first
    `physician_wards`; returns that physician and their wards."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from triage.actions.encounters import enter_review_queue
    from triage.models import Encounter, GuidanceVersion, Override, Round, SignOff, User, Ward

    rng = random.Random(2026)
    now = timezone.now()
    guidance = GuidanceVersion.objects.filter(status="published").first()
    if guidance is None:
        guidance = GuidanceVersion.objects.create(
            number=1, status="published", published_at=now, change_summary="Bench"
        )
    all_wards = [Ward.objects.create(name=f"{prefix} ward {n}") for n in range(wards)]
    nurse_group, _ = Group.objects.get_or_create(name="nurse")
    physician_group, _ = Group.objects.get_or_create(name="physician")
    nurses = []
    for n in range(2 * wards):
        nurse = User.objects.create(username=f"{prefix.lower()}-nurse-{n}")
        nurse.groups.add(nurse_group)
        nurse.wards.add(all_wards[n % wards])
        nurses.append(nurse)
    physician = User.objects.create(username=f"{prefix.lower()}-physician")
    physician.groups.add(physician_group)
    physician.wards.add(*all_wards[:physician_wards])
    kinds = assessments()
    weights = [weight for weight, _, _ in kinds]

    for start in range(0, encounters, BATCH):
        batch, rounds, sign_offs, overrides = [], [], [], []
        for _ in range(start, min(start + BATCH, encounters)):
            ward_index = rng.randrange(wards)
            nurse = nurses[ward_index + wards * rng.randrange(2)]
            submitted_at = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
            encounter = Encounter(
                ward=all_wards[ward_index],
                patient_identifier=f"B{rng.randrange(10**7):07d}",
                procedure_at=submitted_at - timedelta(hours=rng.randrange(2, 200)),
                levels=["L1"],
                created_by=nurse,
                submitted_at=submitted_at,
            )
            count = 2 if rng.random() < 0.1 else 1
            for number in range(1, count + 1):
                _, findings, assessment = rng.choices(kinds, weights)[0]
                at = submitted_at + timedelta(hours=6 * (number - 1))
                round = Round(
                    encounter=encounter,
                    number=number,
                    status=Round.Status.SUBMITTED,
                    created_by=nurse,
                    submitted_by=nurse,
                    submitted_at=at,
                    findings=findings,
                    assessment=assessment,
                    guidance_version=guidance,
                    last_step="result",
                )
                enter_review_queue(encounter, round)
                rounds.append(round)
                if assessment["pathways"] and rng.random() < 0.03:
                    overrides.append(
                        Override(
                            round=round,
                            kind="pathway",
                            code=assessment["pathways"][0]["code"],
                            original=assessment["pathways"][0]["status"],
                            decision="confirmed",
                            reason="Agreed on review",
                            by=physician,
                        )
                    )
            age = now - encounter.last_submitted_at
            if rng.random() < (0.97 if age > timedelta(days=2) else 0.3):
                encounter.queue_rank = Encounter.QueueRank.SIGNED_OR_DRAFT
                sign_offs.append(SignOff(encounter=encounter, signed_by=physician))
            batch.append(encounter)
        # Rounds before sign-offs: a signed encounter's rounds are locked by a trigger.
        Encounter.objects.bulk_create(batch)
        Round.objects.bulk_create(rounds)
        Override.objects.bulk_create(overrides)
        SignOff.objects.bulk_create(sign_offs)
        print(f"  seeded {start + len(batch):,} encounters", end="\r", flush=True)
    print()
    from django.db import connection

    from triage.db.roles import as_owner

    # Only the tables' owner may vacuum and analyse them (the application's role may not).
    with as_owner(connection), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE triage_encounter")
        cursor.execute("ANALYZE triage_round")
        cursor.execute("ANALYZE triage_override")
        cursor.execute("ANALYZE triage_signoff")
    return physician, all_wards[:physician_wards]
