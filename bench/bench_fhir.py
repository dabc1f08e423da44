"""How long does one encounter's FHIR export take? ``python bench/bench_fhir.py``

Creates and migrates a database of its own (dropped at the end, so the development data is
never touched), loads the demo users and encounters through the real forms and actions
(``manage.py demo_data``), then gives the demo patient with the most red flags a second round,
a physician's override and a sign-off, so that its Bundle holds every kind of resource.

Then, as that ward's physician, ``GET /api/v1/encounters/<id>/fhir`` through Django's test
client (access check, audited read, queries, building the Bundle, JSON) is timed many times;
the median is reported beside the adapter alone (reading the record and building the Bundle).

Target: the whole export answers in at most 50 ms (median). Exits 1 if it does not.

Runs against the embedded PostgreSQL with ``TRIAGE_ENV=dev`` (or the server in DATABASE_URL).
"""

from __future__ import annotations

import io
import json
import logging
import statistics
import sys
import time
from pathlib import Path

from seed import scratch_database, setup_django

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "triage_bench_fhir"
RUNS = 201
WARM_UP = 10
TARGET_MS = 50.0


def seed():
    """The physician, and the encounter to export (two rounds, overridden, signed)."""
    from django.core.management import call_command

    from triage import wizard
    from triage.actions import encounters as encounter_actions
    from triage.actions import review as review_actions
    from triage.models import Encounter, User

    call_command("demo_data", stdout=io.StringIO())
    nurse = User.objects.get(username="nurse")
    physician = User.objects.get(username="physician")
    submitted = Encounter.objects.filter(submitted_at__isnull=False)
    encounter = max(submitted, key=lambda e: (len(e.red_flag_codes), len(e.pathway_codes)))
    first = encounter.current_round()
    round = encounter_actions.start_reassessment(encounter=encounter, by=nurse)
    for step in wizard.QUESTION_STEPS:  # the same answers again, as a reassessment starts
        answers = getattr(first, step.section)
        if answers:
            round = encounter_actions.save_step(
                round=round,
                section=step.section,
                answers=answers,
                step=step.slug,
                by=nurse,
                expected_version=None,
            )
    encounter_actions.submit_round(round=round, by=nurse)
    flagged = first.assessment["red_flags"]
    if flagged:
        review_actions.add_override(
            round=first,
            by=physician,
            kind="red_flag",
            code=flagged[0]["code"],
            decision="confirmed",
            reason="Agreed at the bedside",
            expected_version=None,
        )
    encounter.refresh_from_db()
    review_actions.sign_off(
        encounter=encounter, by=physician, comment="Reviewed", expected_version=None
    )
    return physician, encounter


def median_ms(run) -> float:
    for _ in range(WARM_UP):
        run()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(physician, encounter) -> bool:
    from django.test import Client

    from triage.fhir.bundle import encounter_bundle
    from triage.models import Encounter
    from triage.record_parts import with_record_parts

    logging.disable(logging.INFO)  # one request log line per timed request would drown the result
    client = Client()
    client.force_login(physician)
    url = f"/api/v1/encounters/{encounter.pk}/fhir"
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    bundle = json.loads(response.content)
    kinds: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        kinds[kind] = kinds.get(kind, 0) + 1

    def adapter() -> None:
        record = with_record_parts(Encounter.objects.select_related("ward")).get(pk=encounter.pk)
        json.dumps(encounter_bundle(record))

    view = median_ms(lambda: client.get(url))
    alone = median_ms(adapter)
    print(
        f"FHIR export of one encounter ({len(bundle['entry'])} resources: "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        + f", {len(response.content) / 1024:.0f} KB)"
    )
    print(f"  adapter (read the record, build the Bundle, JSON): median {alone:.1f} ms")
    ok = view <= TARGET_MS
    verdict = "OK" if ok else "TOO SLOW"
    print(
        f"  whole request (GET {url.split(str(encounter.pk))[0]}<id>/fhir): median {view:.1f} ms "
        f"(target <= {TARGET_MS:.0f} ms) {verdict}"
    )
    return ok


def main() -> int:
    setup_django()
    with scratch_database(BENCH_DATABASE):
        physician, encounter = seed()
        ok = measure(physician, encounter)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
