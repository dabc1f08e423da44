"""Does a deep page of the review queue cost what the first does? ``python bench/bench_queue.py``

Seeds 50,000 submitted encounters (bulk inserts, a realistic mix: four wards, a year of
submissions, most older ones signed, about one in seven an emergency (a red flag), one in seven
urgent and the rest routine, some reassessed or overridden) into a database of its own, created
and migrated for the run and dropped at the end, so the development data is never touched.
Then, for a physician covering three of the wards:

1. page 500 is reached by following the cursors from page 1 (checking that no row repeats);
2. page 1 and page 500 are timed alternately, as the queue query alone and as the whole view
   through the test client; the median of each is reported;
3. the look-back (the current rules re-run over every submitted round of those wards) is timed
   once and its rate reported, without a target: it is an occasional audit, not a page opened
   every minute, and its cost grows with the rounds by design.

Target: page 500 takes at most 1.2 times as long as page 1 (keyset pagination: the cost of a
page does not depend on how deep it is). Exits 1 if either ratio misses it.

Runs against the embedded PostgreSQL with ``TRIAGE_ENV=dev`` (or the server in DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENCOUNTERS = 50_000
PAGE = 500
RUNS = 41
TARGET = 1.2
BENCH_DATABASE = "triage_bench_queue"
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


def seed() -> tuple[object, list]:
    """The data set; returns the physician to time and their wards."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from triage.actions.encounters import _enter_review_queue
    from triage.models import Encounter, GuidanceVersion, Override, Round, SignOff, User, Ward

    rng = random.Random(2026)
    now = timezone.now()
    guidance = GuidanceVersion.objects.filter(status="published").first()
    if guidance is None:
        guidance = GuidanceVersion.objects.create(
            number=1, status="published", published_at=now, change_summary="Bench"
        )
    wards = [Ward.objects.create(name=f"Bench ward {n}") for n in range(4)]
    nurse_group, _ = Group.objects.get_or_create(name="nurse")
    physician_group, _ = Group.objects.get_or_create(name="physician")
    nurses = []
    for n in range(8):
        nurse = User.objects.create(username=f"bench-nurse-{n}")
        nurse.groups.add(nurse_group)
        nurse.wards.add(wards[n % 4])
        nurses.append(nurse)
    physician = User.objects.create(username="bench-physician")
    physician.groups.add(physician_group)
    physician.wards.add(*wards[:3])
    kinds = assessments()
    weights = [weight for weight, _, _ in kinds]

    for start in range(0, ENCOUNTERS, BATCH):
        encounters, rounds, sign_offs, overrides = [], [], [], []
        for _ in range(start, min(start + BATCH, ENCOUNTERS)):
            ward_index = rng.randrange(4)
            nurse = nurses[ward_index + 4 * rng.randrange(2)]
            submitted_at = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
            encounter = Encounter(
                ward=wards[ward_index],
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
                _enter_review_queue(encounter, round)
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
            encounters.append(encounter)
        # Rounds before sign-offs: a signed encounter's rounds are locked by a trigger.
        Encounter.objects.bulk_create(encounters)
        Round.objects.bulk_create(rounds)
        Override.objects.bulk_create(overrides)
        SignOff.objects.bulk_create(sign_offs)
        print(f"  seeded {start + len(encounters):,} encounters", end="\r", flush=True)
    print()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE triage_encounter")
        cursor.execute("ANALYZE triage_round")
        cursor.execute("ANALYZE triage_override")
        cursor.execute("ANALYZE triage_signoff")
    return physician, wards[:3]


def median_seconds(run, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(physician, wards) -> bool:
    from django.db import connection
    from django.test import Client

    from triage.views import review

    queryset = review.review_queue([ward.pk for ward in wards])
    cursor, seen = None, set()
    for _ in range(PAGE - 1):  # follow the cursors to the start of page 500
        rows, cursor = review.queue_page(queryset, cursor, review.PAGE_SIZE)
        assert cursor is not None, "fewer than 500 pages"
        keys = {row.pk for row in rows}
        assert not keys & seen, "a row repeated across pages"
        seen |= keys
    deep = cursor
    page_1 = review.queue_page(queryset, None, review.PAGE_SIZE)[0]
    page_500 = review.queue_page(queryset, deep, review.PAGE_SIZE)[0]
    assert len(page_1) == len(page_500) == review.PAGE_SIZE
    assert not {row.pk for row in page_500} & seen

    client = Client()
    client.force_login(physician)
    deep_url = f"/review/?after={deep.encode()}"
    assert client.get("/review/").status_code == 200
    assert client.get(deep_url).status_code == 200

    def timings(first, deeper) -> tuple[float, float]:
        for _ in range(5):  # warm up both
            first()
            deeper()
        # Alternate in blocks so both pages see the same machine conditions.
        a, b = [], []
        for _ in range(5):
            a.append(median_seconds(first, RUNS // 5))
            b.append(median_seconds(deeper, RUNS // 5))
        return statistics.median(a), statistics.median(b)

    def execution_ms(after) -> float:
        """What PostgreSQL itself spends on the page (EXPLAIN ANALYZE), in seconds."""
        sql, params = review.page_rows(queryset, after, review.PAGE_SIZE).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Execution Time"] / 1000

    database = []
    for after in (None, deep):
        execution_ms(after)
        database.append(statistics.median(execution_ms(after) for _ in range(RUNS)))
    query_1, query_500 = timings(
        lambda: review.queue_page(queryset, None, review.PAGE_SIZE),
        lambda: review.queue_page(queryset, deep, review.PAGE_SIZE),
    )
    view_1, view_500 = timings(lambda: client.get("/review/"), lambda: client.get(deep_url))

    plan = review.after_cursor(queryset, deep).values("pk")[: review.PAGE_SIZE + 1].explain()
    print(f"queue of {queryset.count():,} encounters for a physician of 3 wards (of 4):")
    print("  plan of page 500: " + plan.splitlines()[0].strip()[:100] + " ...")
    for line in plan.splitlines():
        if "encounter_review_queue" in line:
            print("   " + line.strip()[:110])
    ok = True
    for what, first, deeper in (
        ("database (EXPLAIN ANALYZE)", *database),
        ("query (ORM, rows built)", query_1, query_500),
        ("view (whole response)", view_1, view_500),
    ):
        ratio = deeper / first
        verdict = "OK" if ratio <= TARGET else "TOO SLOW"
        ok = ok and ratio <= TARGET
        print(
            f"  {what}: page 1 {first * 1000:.2f} ms, page {PAGE} {deeper * 1000:.2f} ms, "
            f"ratio {ratio:.2f} (target <= {TARGET}) {verdict}"
        )
    from triage.lookback import look_back

    start = time.perf_counter()
    result = look_back(wards)
    seconds = time.perf_counter() - start
    print(
        f"  look-back: {result.rounds_checked:,} rounds in {seconds:.1f} s "
        f"({result.rounds_checked / seconds:,.0f} rounds/s), {len(result.changes):,} listed"
    )
    connection.close()
    return ok


def main() -> int:
    setup_django()
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BENCH_DATABASE
    original = connection.settings_dict["NAME"]
    print(f"creating and migrating the database {BENCH_DATABASE} ...")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        physician, wards = seed()
        print(f"  seeded in {time.perf_counter() - start:.0f} s")
        ok = measure(physician, wards)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
