"""The physician's queue: order, escalation badges, filters, search, keyset pages, constant
query count."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from operator import attrgetter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, WardFactory
from tests.review.factories import (
    BREATHLESS,
    FEVER,
    NEW_RED_FLAGS,
    RADICULAR,
    UNCONTROLLED_PAIN,
    WEAK_LEG,
    reassess,
)
from triage import queue as views
from triage.actions import review as actions
from triage.clinical.explain import RED_FLAG_TITLES
from triage.models import Encounter
from triage.roles import Role
from triage.views.queue import whole_queue

ROW = re.compile(r'data-encounter="([0-9a-f-]+)"')
RANK = re.compile(r'data-rank="(\d)"')
NOW = timezone.now().replace(microsecond=0)


def hours_ago(hours: float):
    return NOW - timedelta(hours=hours)


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return ROW.findall(response.content.decode())


def row_of(content: str, encounter: Encounter) -> str:
    row = content[content.index(f'data-encounter="{encounter.pk}"') :]
    return row[: row.index("</tr>")]


def sign(encounter: Encounter, by) -> None:
    encounter.refresh_from_db()
    actions.sign_off(
        encounter=encounter, by=by, comment="", expected_version=encounter.lock_version
    )


@pytest.fixture
def mixed(make_encounter, physician):
    """Unsigned: two emergencies (a red flag), two urgent, two routine (transient pain); two
    signed; by name."""
    made = {
        "plain_old": make_encounter(patient_identifier="PLAIN1", submitted_at=hours_ago(3)),
        "red_new": make_encounter(
            patient_identifier="RED1", submitted_at=hours_ago(2), answers=WEAK_LEG
        ),
        "red_old": make_encounter(
            patient_identifier="RED2", submitted_at=hours_ago(5), answers=UNCONTROLLED_PAIN
        ),
        "plain_new": make_encounter(patient_identifier="PLAIN2", submitted_at=hours_ago(1)),
        "urgent_new": make_encounter(
            patient_identifier="URG1", submitted_at=hours_ago(1.5), answers=RADICULAR
        ),
        "urgent_old": make_encounter(
            patient_identifier="URG2", submitted_at=hours_ago(6), answers=FEVER
        ),
        "signed_new": make_encounter(patient_identifier="DONE1", submitted_at=hours_ago(0.5)),
        "signed_red": make_encounter(
            patient_identifier="DONE2", submitted_at=hours_ago(4), answers=WEAK_LEG
        ),
    }
    sign(made["signed_new"], physician)
    sign(made["signed_red"], physician)
    return made


def ids(made: dict, *names: str) -> list[str]:
    return [str(made[name].pk) for name in names]


def test_it_requires_a_physician(client, nurse, guidance_admin):
    assert client.get("/review/").status_code == 302
    client.force_login(nurse)
    assert client.get("/review/").status_code == 403
    client.force_login(guidance_admin)
    assert client.get("/review/").status_code == 403


def search(client, text: str, **filters: str):
    """The queue's search as its form posts it, then the results' address it answers with."""
    response = client.post("/review/", {"q": text, **filters})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_signed_out_htmx_filtering_loads_the_sign_in_page_whole(client, published_guidance):
    response = client.post("/review/", {"q": "RED"}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx follows HX-Redirect, not a 302 into the swap
    assert response["HX-Redirect"] == "/accounts/login/?next=/review/"
    assert response.content == b""


def test_unsigned_emergencies_then_urgent_then_routine_then_signed_newest_first(
    physician_client, mixed
):
    response = physician_client.get("/review/")
    assert listed(response) == ids(
        mixed,
        "red_new",
        "red_old",
        "urgent_new",
        "urgent_old",
        "plain_new",
        "plain_old",
        "signed_new",
        "signed_red",
    )
    assert RANK.findall(response.content.decode()) == ["3", "3", "2", "2", "1", "1", "0", "0"]
    # A signed emergency sorts below every unsigned routine encounter.
    assert mixed["signed_red"].escalation == "emergency"


def test_the_ranks_are_the_escalations_of_the_assessments(mixed):
    for name, escalation in (
        ("red_new", "emergency"),
        ("urgent_new", "urgent"),
        ("urgent_old", "urgent"),
        ("plain_new", "routine"),
    ):
        encounter = mixed[name]
        assert encounter.escalation == escalation
        assert encounter.rounds.get().assessment["escalation"] == escalation
    assert mixed["urgent_new"].pathway_codes == ["cement_leak_neural"]
    assert mixed["urgent_old"].pathway_codes == ["infection"]


def test_each_row_says_its_escalation_in_words(physician_client, mixed):
    content = physician_client.get("/review/").content.decode()
    for name, words in (
        ("red_new", "Emergency"),
        ("urgent_old", "Urgent"),
        ("plain_old", "Routine"),
        ("signed_red", "Emergency"),  # signed: still says what it was
        ("signed_new", "Routine"),
    ):
        row = row_of(content, mixed[name])
        badge = re.search(r"<span [^>]*data-escalation-badge>([^<]*)</span>", row)
        assert badge is not None and badge.group(1) == words, (name, row)
    assert 'class="app-queue-red"' in row_of(content, mixed["red_new"])
    assert "app-queue-red" not in row_of(content, mixed["signed_red"])


def test_badges_name_the_new_red_flags_by_title(physician_client, make_encounter):
    encounter = make_encounter(patient_identifier="NEW5", answers=NEW_RED_FLAGS)
    new = [
        "systemic_embolism",
        "stroke_signs",
        "altered_consciousness",
        "respiratory_depression",
        "circulatory_compromise",
    ]
    assert set(new) <= set(encounter.red_flag_codes)
    row = row_of(physician_client.get("/review/").content.decode(), encounter)
    for code in new:
        assert f"Red flag: {RED_FLAG_TITLES[code]}" in row
        assert code not in row
    assert "Emergency" in row


@pytest.mark.parametrize("code", list(RED_FLAG_TITLES))
def test_every_red_flag_the_rules_know_has_a_titled_badge_and_a_filter(
    physician_client, make_encounter, code
):
    encounter = make_encounter()
    # The queue reads the codes the actions stored; any stored code is shown by its title.
    Encounter.objects.filter(pk=encounter.pk).update(red_flag_codes=[code])
    response = physician_client.get(f"/review/?red_flag={code}")
    assert listed(response) == [str(encounter.pk)]
    assert f"Red flag: {RED_FLAG_TITLES[code]}</span>" in response.content.decode()


def test_a_row_shows_what_the_physician_needs(physician_client, mixed, nurse):
    content = physician_client.get("/review/").content.decode()
    assert "<caption>" in content
    row = row_of(content, mixed["red_new"])
    assert "RED1" in row
    assert "14 h" in row  # since the procedure: 12 h before a submission 2 h ago
    assert "Red flag: Progressive neurological deficit" in row
    assert "Spinal cord compression" in row  # the pathway
    assert nurse.username in row
    assert "Unsigned" in row
    signed = content[content.index(f'data-encounter="{mixed["signed_new"].pk}"') :]
    assert "Signed" in signed[: signed.index("</tr>")]


def test_drafts_and_other_wards_are_not_listed(physician_client, mixed, other_ward, ward):
    other_nurse = UserFactory(username="other-nurse", roles=(Role.NURSE,), wards=(other_ward,))
    from tests.review.factories import SubmittedEncounterFactory

    elsewhere = SubmittedEncounterFactory(ward=other_ward, created_by=other_nurse)
    draft = Encounter.objects.create(ward=ward, patient_identifier="DRAFT1", created_by=other_nurse)
    shown = listed(physician_client.get("/review/"))
    assert str(elsewhere.pk) not in shown
    assert str(draft.pk) not in shown
    assert len(shown) == 8


def test_filter_by_ward(client, mixed, other_ward, published_guidance):
    from tests.review.factories import SubmittedEncounterFactory

    both = UserFactory(
        username="both", roles=(Role.PHYSICIAN,), wards=(mixed["red_new"].ward, other_ward)
    )
    elsewhere = SubmittedEncounterFactory(ward=other_ward, created_by=both)
    client.force_login(both)
    assert str(elsewhere.pk) in listed(client.get("/review/"))
    assert listed(client.get(f"/review/?ward={other_ward.pk}")) == [str(elsewhere.pk)]
    assert str(elsewhere.pk) not in listed(client.get(f"/review/?ward={mixed['red_new'].ward_id}"))


def test_a_ward_that_is_not_yours_is_not_a_choice(physician_client, mixed, other_ward):
    response = physician_client.get(f"/review/?ward={other_ward.pk}")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ROW.findall(response.content.decode()) == []


def test_filter_by_red_flag(physician_client, mixed):
    url = "/review/?red_flag=progressive_neuro_deficit"
    assert listed(physician_client.get(url)) == ids(mixed, "red_new", "signed_red")
    assert listed(physician_client.get("/review/?red_flag=uncontrolled_pain")) == ids(
        mixed, "red_old"
    )


def test_filter_by_pathway(physician_client, mixed):
    assert listed(physician_client.get("/review/?pathway=cord_compression")) == ids(
        mixed, "red_new", "signed_red"
    )
    assert listed(physician_client.get("/review/?pathway=transient_pain")) == ids(
        mixed, "plain_new", "plain_old", "signed_new"
    )


def test_filter_by_sign_off(physician_client, mixed):
    assert listed(physician_client.get("/review/?status=signed")) == ids(
        mixed, "signed_new", "signed_red"
    )
    assert listed(physician_client.get("/review/?status=unsigned")) == ids(
        mixed, "red_new", "red_old", "urgent_new", "urgent_old", "plain_new", "plain_old"
    )


def test_filter_by_escalation(physician_client, mixed):
    def shown(level: str) -> list[str]:
        return listed(physician_client.get(f"/review/?escalation={level}"))

    assert shown("emergency") == ids(mixed, "red_new", "red_old", "signed_red")
    assert shown("urgent") == ids(mixed, "urgent_new", "urgent_old")
    assert shown("routine") == ids(mixed, "plain_new", "plain_old", "signed_new")
    assert shown("not_recorded") == []
    both = listed(physician_client.get("/review/?escalation=emergency&status=unsigned"))
    assert both == ids(mixed, "red_new", "red_old")
    response = physician_client.get("/review/?escalation=panic")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_encounter_signed_before_escalations_were_kept_says_what_its_codes_tell(
    physician_client, make_encounter, physician
):
    """Migration 0010 left signed encounters as they were, with no escalation stored (and so,
    after migration 0017, no escalation record asked for)."""

    def signed_long_ago(name: str, answers: dict) -> Encounter:
        encounter = make_encounter(patient_identifier=name, answers=answers)
        Encounter.objects.filter(pk=encounter.pk).update(escalation="", escalation_call="")
        sign(encounter, physician)
        encounter.refresh_from_db()
        assert encounter.escalation == ""
        return encounter

    red = signed_long_ago("OLD-RED", WEAK_LEG)
    urgent = signed_long_ago("OLD-URGENT", RADICULAR)
    reassured = signed_long_ago("OLD-CALM", {})
    content = physician_client.get("/review/").content.decode()
    assert "data-escalation-badge>Emergency<" in row_of(content, red)
    assert "data-escalation-badge>Urgent<" in row_of(content, urgent)
    # Transient pain offered in some round: routine, or urgent in another round; unknown.
    assert "data-escalation-badge>Escalation level unknown<" in row_of(content, reassured)

    def shown(level: str) -> list[str]:
        return listed(physician_client.get(f"/review/?escalation={level}"))

    assert shown("emergency") == [str(red.pk)]
    assert shown("urgent") == [str(urgent.pk)]
    assert shown("routine") == []
    assert shown("not_recorded") == [str(reassured.pk)]


def test_filter_by_submission_dates(physician_client, make_encounter):
    # The day of NOW (read when this module was imported), not of the clock now: a run that
    # crosses midnight must not move the dates the filter is asked for.
    today = timezone.localdate(NOW)
    old = make_encounter(submitted_at=NOW - timedelta(days=10))
    recent = make_encounter(submitted_at=NOW - timedelta(days=2))
    day = (today - timedelta(days=10)).isoformat()
    assert listed(physician_client.get(f"/review/?submitted_from={day}&submitted_to={day}")) == [
        str(old.pk)
    ]
    since = (today - timedelta(days=3)).isoformat()
    assert listed(physician_client.get(f"/review/?submitted_from={since}")) == [str(recent.pk)]
    until = (today - timedelta(days=3)).isoformat()
    assert listed(physician_client.get(f"/review/?submitted_to={until}")) == [str(old.pk)]


def test_a_backwards_date_range_is_an_error_naming_the_field(physician_client, mixed):
    response = physician_client.get("/review/?submitted_from=2026-05-02&submitted_to=2026-05-01")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Submitted to must be on or after submitted from." in content
    assert 'href="#id_submitted_to"' in content


def test_htmx_gets_the_error_in_the_fragment_it_swaps(physician_client, mixed):
    response = physician_client.get(
        "/review/?submitted_from=2026-05-02&submitted_to=2026-05-01",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx does not swap an error status
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="queue-results"')
    assert "Submitted to must be on or after submitted from." in content


def test_search_by_patient_identifier_prefix_any_case(physician_client, mixed):
    assert listed(search(physician_client, "red")) == ids(mixed, "red_new", "red_old")
    assert listed(search(physician_client, "PLAIN2")) == ids(mixed, "plain_new")
    assert listed(search(physician_client, "%")) == []  # LIKE wildcards are literal


def test_filters_combine(physician_client, mixed):
    response = search(physician_client, "DONE", red_flag="progressive_neuro_deficit")
    assert listed(response) == ids(mixed, "signed_red")


def test_empty_states(physician_client, mixed, published_guidance):
    content = search(physician_client, "NOBODY").content.decode()
    assert "No submitted encounters match these filters." in content
    lonely = UserFactory(username="lonely", roles=(Role.PHYSICIAN,), wards=(WardFactory(),))
    physician_client.force_login(lonely)
    content = physician_client.get("/review/").content.decode()
    assert "There are no submitted encounters on your wards yet." in content
    assert "<table" not in content


def test_htmx_filtering_returns_only_the_results(physician_client, mixed):
    posted = physician_client.post("/review/", {"q": "RED"}, headers={"HX-Request": "true"})
    location = json.loads(posted["HX-Location"])
    assert location["target"] == "#queue-results"
    response = physician_client.get(location["path"], headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="queue-results"')
    assert "<html" not in content
    assert ROW.findall(content) == ids(mixed, "red_new", "red_old")


def test_overrides_are_marked_in_the_queue(physician_client, mixed, physician):
    encounter = mixed["red_new"]
    actions.add_override(
        round=encounter.rounds.get(),
        by=physician,
        kind="red_flag",
        code="progressive_neuro_deficit",
        decision="ruled_out",
        reason="Known old weakness",
        expected_version=None,
    )
    content = physician_client.get("/review/").content.decode()
    rows = content.split("<tr ")
    marked = [row for row in rows if "data-override-marker" in row]
    assert len(marked) == 1 and str(encounter.pk) in marked[0]


def test_a_new_red_flag_in_a_reassessment_moves_the_encounter_up(physician_client, mixed, nurse):
    encounter = mixed["plain_old"]
    reassess(encounter, by=nurse, answers=BREATHLESS, at=hours_ago(0.25))
    assert encounter.queue_rank == Encounter.QueueRank.EMERGENCY
    assert encounter.escalation == "emergency"
    assert listed(physician_client.get("/review/"))[0] == str(encounter.pk)


def test_an_urgent_reassessment_moves_a_routine_encounter_into_the_urgent_group(
    physician_client, mixed, nurse
):
    encounter = mixed["plain_old"]
    reassess(encounter, by=nurse, answers=FEVER, at=hours_ago(0.25))
    assert encounter.queue_rank == Encounter.QueueRank.URGENT
    shown = listed(physician_client.get("/review/"))
    assert shown[2:4] == ids(mixed, "plain_old", "urgent_new")


def test_a_calmer_reassessment_keeps_the_encounter_at_its_most_urgent(
    physician_client, mixed, nurse
):
    # A physician has not yet seen the emergency: a calmer round does not hide it.
    encounter = mixed["red_old"]
    reassess(encounter, by=nurse, at=hours_ago(0.25))
    assert encounter.rounds.order_by("number").last().assessment["escalation"] == "routine"
    assert (encounter.queue_rank, encounter.escalation) == (3, "emergency")
    assert listed(physician_client.get("/review/"))[0] == str(encounter.pk)


# --- Keyset pages ---------------------------------------------------------------------------------


def next_page(content: str) -> str | None:
    match = re.search(r'rel="next" href="\?([^"]+)"', content)
    return ("/review/?" + match.group(1).replace("&amp;", "&")) if match else None


def follow(client, url: str = "/review/") -> tuple[list[str], str | None]:
    response = client.get(url)
    return listed(response), next_page(response.content.decode())


def test_pages_neither_skip_nor_repeat_when_encounters_arrive(
    physician_client, make_encounter, physician, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    reds = [make_encounter(submitted_at=hours_ago(h), answers=WEAK_LEG) for h in (1, 2, 3)]
    plain = [make_encounter(submitted_at=hours_ago(h)) for h in (1, 2)]
    signed = [make_encounter(submitted_at=hours_ago(h)) for h in (1, 2)]
    for encounter in signed:
        sign(encounter, physician)

    page1, next_url = follow(physician_client)
    assert page1 == [str(e.pk) for e in reds]
    # One arrives that sorts before the cursor (a new red flag), one after it.
    before = make_encounter(submitted_at=NOW, answers=WEAK_LEG)
    after = make_encounter(submitted_at=hours_ago(1.5))

    page2, next_url = follow(physician_client, next_url)
    assert page2 == [str(plain[0].pk), str(after.pk), str(plain[1].pk)]
    page3, next_url = follow(physician_client, next_url)
    assert page3 == [str(e.pk) for e in signed]
    assert next_url is None
    seen = page1 + page2 + page3
    assert len(seen) == len(set(seen))
    assert str(before.pk) not in seen  # it is on page 1 for whoever starts again
    assert listed(physician_client.get("/review/"))[0] == str(before.pk)


def test_pages_that_straddle_the_rank_boundaries_keep_the_order(
    physician_client, make_encounter, physician, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    # Newer routine and urgent encounters than the emergencies: rank decides before time.
    emergency = [make_encounter(submitted_at=hours_ago(h), answers=WEAK_LEG) for h in (5, 6)]
    urgent = [make_encounter(submitted_at=hours_ago(h), answers=RADICULAR) for h in (3, 4)]
    routine = [make_encounter(submitted_at=hours_ago(h)) for h in (1, 2)]
    signed = [make_encounter(submitted_at=hours_ago(h)) for h in (0.5, 7)]
    for encounter in signed:
        sign(encounter, physician)

    pages, url = [], "/review/"
    while url is not None:
        content = physician_client.get(url).content.decode()
        pages.append(list(zip(ROW.findall(content), RANK.findall(content), strict=True)))
        url = next_page(content)
    assert [[rank for _, rank in page] for page in pages] == [
        ["3", "3", "2"],
        ["2", "1", "1"],
        ["0", "0"],
    ]
    order = [pk for page in pages for pk, _ in page]
    assert order == [str(e.pk) for e in (*emergency, *urgent, *routine, *signed)]


def test_the_last_page_has_no_next_link_and_a_first_page_link(
    physician_client, make_encounter, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for hours in (1, 2, 3):
        make_encounter(submitted_at=hours_ago(hours))
    _, next_url = follow(physician_client, "/review/?status=unsigned")
    assert "status=unsigned" in next_url
    response = physician_client.get(next_url)
    content = response.content.decode()
    assert len(ROW.findall(content)) == 1
    assert 'rel="next"' not in content
    assert 'href="?status=unsigned"' in content  # back to the first page, filters kept


def test_a_broken_cursor_shows_the_first_page(physician_client, mixed):
    response = physician_client.get("/review/?after=not-a-cursor")
    assert listed(response)[0] == str(mixed["red_new"].pk)
    assert "That page link is not valid" in response.content.decode()


def test_pages_use_a_row_comparison_never_offset(physician_client, mixed, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _, next_url = follow(physician_client)
    with CaptureQueriesContext(connection) as queries:
        physician_client.get(next_url)
    queue_sql = [
        q["sql"] for q in queries if "triage_encounter" in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert len(queue_sql) == 1
    sql = queue_sql[0]
    table = r'(\w+|"triage_encounter")'
    assert re.search(rf'\({table}\."queue_rank", \1\."last_submitted_at", \1\."id"\) < \(', sql), (
        sql
    )
    assert "OFFSET" not in sql


def test_the_query_plan_reads_the_queue_index(physician_client, mixed):
    queryset = views.review_queue(Encounter.objects.values("ward"))
    cursor = views.Cursor.after(mixed["red_old"])
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
    page = views.queue_page(queryset, cursor, 2)[0]
    assert [e.pk for e in page] == [mixed["urgent_new"].pk, mixed["urgent_old"].pk]
    keys = views.Tuple(views.F("queue_rank"), views.F("last_submitted_at"), views.F("id"))
    plan = queryset.filter(views.TupleLessThan(keys, (cursor.rank, cursor.at, cursor.pk)))[
        :3
    ].explain()
    assert "encounter_review_queue" in plan


def test_the_query_count_does_not_grow_with_the_rows_on_a_page(
    client, make_encounter, physician, nurse, monkeypatch, published_guidance
):
    monkeypatch.setattr(views, "PAGE_SIZE", 50)
    client.force_login(physician)

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = listed(client.get("/review/"))
        return len(rows), len(queries)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            encounter = make_encounter(
                submitted_at=hours_ago(i), answers=(WEAK_LEG, RADICULAR, {})[i % 3]
            )
            if i % 4 == 0:
                sign(encounter, physician)
            elif i % 5 == 0:
                actions.add_override(
                    round=encounter.rounds.get(),
                    by=physician,
                    kind="pathway",
                    code=encounter.pathway_codes[0],
                    decision="confirmed",
                    reason="Agree",
                    expected_version=None,
                )

    add(5, 1)
    rows_5, queries_5 = count_queries()
    add(45, 6)
    rows_50, queries_50 = count_queries()
    assert (rows_5, rows_50) == (5, 50)
    assert queries_50 == queries_5


def test_a_whole_queue_pages_key_is_what_its_rows_are_made_from(mixed, physician, monkeypatch):
    """A page of the whole queue is keyed by every column read and each row's hours since its
    procedure; computing the key and the count makes no rows."""
    now = timezone.now()
    page, _ = whole_queue(physician.pk, None, now)

    def refused(*args, **kwargs):
        raise AssertionError("rows were made")

    monkeypatch.setattr(type(page.read), "instances", refused)
    key, count = page.key, len(page)
    monkeypatch.undo()
    assert count == len(mixed) and len(page.rows) == count
    assert whole_queue(physician.pk, None, now)[0].key == key
    # Each row's "since procedure" changes on its own hour: within the hour the key holds,
    # past it the key changes.
    firsts = page.read.column("procedure_at")
    to_next_hour = min(timedelta(hours=1) - (now - at) % timedelta(hours=1) for at in firsts)
    later = now + to_next_hour - timedelta(microseconds=1)
    assert whole_queue(physician.pk, None, later)[0].key == key
    assert whole_queue(physician.pk, None, later + timedelta(microseconds=1))[0].key != key
    sign(mixed["plain_old"], physician)  # a column a row shows
    assert whole_queue(physician.pk, None, now)[0].key != key


def test_the_whole_queues_compiled_pages_are_the_pages_of_its_queryset(
    mixed, physician, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    compiled, after = [], None
    queried, queried_after = [], None
    now = timezone.now()
    while True:
        page, after = whole_queue(physician.pk, after, now)
        expected, queried_after = views.queue_page(
            views.review_queue(physician.ward_list()), queried_after
        )
        compiled.append([row.encounter.pk for row in page])
        queried.append([e.pk for e in expected])
        assert after == queried_after
        if after is None:
            break
    assert compiled == queried and len(compiled) > 2
    assert sum(len(p) for p in compiled) == len(mixed)
    shown = ("ward.name", "nurse", "has_override", "signed_by", "escalation", "red_flag_codes")
    for row, expected in zip(
        whole_queue(physician.pk, None, now)[0],
        views.queue_page(views.review_queue(physician.ward_list()), None)[0],
        strict=True,
    ):
        assert row == views.queue_row(expected, now)
        for name in shown:
            assert attrgetter(name)(row.encounter) == attrgetter(name)(expected), name
        assert row.encounter.nurse  # who submitted it, read in the same query
