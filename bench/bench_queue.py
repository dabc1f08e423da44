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
import statistics
import sys
import time
from pathlib import Path

from seed import scratch_database, seed, setup_django

ROOT = Path(__file__).resolve().parents[1]
ENCOUNTERS = 50_000
PAGE = 500
RUNS = 41
TARGET = 1.2
BENCH_DATABASE = "triage_bench_queue"


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

    from triage import queue as review

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
    with scratch_database(BENCH_DATABASE):
        start = time.perf_counter()
        physician, wards = seed(encounters=ENCOUNTERS, wards=4, physician_wards=3)
        print(f"  seeded in {time.perf_counter() - start:.0f} s")
        ok = measure(physician, wards)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
