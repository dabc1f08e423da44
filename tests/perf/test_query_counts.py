"""Queries per request: at most six on every page, and as many for a big record (or list, or
queue) as for a small one.

Counted as Django counts them (`django_assert_max_num_queries`), the session's read and save
and the signed-in user included. A test runs in a transaction, where each `transaction.atomic`
block is a SAVEPOINT and a RELEASE; in production the same block is a BEGIN and a COMMIT, which
Django logs and counts too, so the counts here are the counts of a served request.

Each page is opened once before it is counted, as on a running server: a published guidance
version's entries are read (and their text rendered) once per process, then come from the
cache. What a cold cache costs is counted apart (`test_a_cold_guidance_cache_costs_one_query`).
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from tests.clinical.examples import load_examples
from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory, reassess
from tests.twofactor.conftest import enrol
from tests.wizard.helpers import patient_post, symptoms_post
from triage import guidance, wizard
from triage.actions import escalation as escalation_actions
from triage.actions import guidance as guidance_actions
from triage.actions import review as review_actions
from triage.actions.api_tokens import create_token
from triage.models import Encounter
from triage.queue import PAGE_SIZE

pytestmark = pytest.mark.django_db

LIMIT = 6

# An autosave is posted as a nurse answers: the session with its user, the round with its
# encounter, and the save itself, one statement (see `actions.encounters.save_step`).
AUTOSAVE = 3


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    guidance.KEPT_ENTRIES.clear()  # a published version's entries, kept by this process
    yield
    cache.clear()


@pytest.fixture
def submitted(nurse, ward, published_guidance) -> Encounter:
    return SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)


@pytest.fixture
def draft(client, nurse, ward, published_guidance) -> Encounter:
    client.force_login(nurse)
    posted = {**patient_post(ward), "client_token": str(uuid.uuid4())}
    assert client.post("/encounters/new/", posted).status_code == 302
    client.logout()
    return Encounter.objects.get(submitted_at__isnull=True)


@pytest.fixture
def guidance_draft(guidance_admin, published_guidance):
    return guidance_actions.create_draft(by=guidance_admin)


def count(client, method: str, url: str, **kwargs) -> int:
    """The queries of one request (answered 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_within(client, django_assert_max_num_queries, method, url, **kwargs):
    """Open the page once (warming the guidance cache), then count the next request."""
    assert getattr(client, method)(url, **kwargs).status_code == 200
    with django_assert_max_num_queries(LIMIT):
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)


def autosave(client, encounter: Encounter) -> dict:
    """An autosave from one page (the id its form carries), as its form posts it."""
    encounter.refresh_from_db()
    return {
        "data": {
            **symptoms_post(),
            "lock_version": encounter.lock_version,
            "editor": "5d4c9a0e-7f43-4f0e-9a51-2b8f0c1d3e6a",
            "_autosave": "1",
        },
        "headers": {"HX-Request": "true"},
    }


# --- Every page, as the role that opens it ----------------------------------------------------

NURSE_PAGES = [
    ("list", "get", lambda e: "/encounters/"),
    ("ward-board", "get", lambda e: "/ward/"),
    ("ward-handover", "get", lambda e: "/ward/handover/"),
    ("home", "get", lambda e: "/"),
    ("sources", "get", lambda e: "/sources/"),
    ("api-tokens", "get", lambda e: "/accounts/api-tokens/"),
    ("patient", "get", lambda e: f"/encounters/{e['draft'].pk}/patient/"),
    *[
        (step.slug, "get", lambda e, slug=step.slug: f"/encounters/{e['draft'].pk}/{slug}/")
        for step in wizard.QUESTION_STEPS
    ],
    ("check", "get", lambda e: f"/encounters/{e['draft'].pk}/check/"),
    ("result", "get", lambda e: f"/encounters/{e['submitted'].pk}/rounds/1/"),
    ("record", "get", lambda e: f"/encounters/{e['submitted'].pk}/"),
    ("handover", "get", lambda e: f"/encounters/{e['submitted'].pk}/handover/"),
    ("export", "get", lambda e: f"/api/v1/encounters/{e['submitted'].pk}"),
    ("fhir-export", "get", lambda e: f"/api/v1/encounters/{e['submitted'].pk}/fhir"),
]

PHYSICIAN_PAGES = [
    ("queue", "get", lambda e: "/review/"),
    ("ward-board", "get", lambda e: "/ward/"),
    ("ward-handover", "get", lambda e: "/ward/handover/"),
    ("record", "get", lambda e: f"/encounters/{e['submitted'].pk}/"),
    ("result", "get", lambda e: f"/encounters/{e['submitted'].pk}/rounds/1/"),
    ("audit", "get", lambda e: f"/encounters/{e['submitted'].pk}/audit/"),
    ("audit-csv", "get", lambda e: f"/encounters/{e['submitted'].pk}/audit.csv"),
    ("handover", "get", lambda e: f"/encounters/{e['submitted'].pk}/handover/"),
    ("lookback", "get", lambda e: "/review/lookback/"),
    ("export", "get", lambda e: f"/api/v1/encounters/{e['submitted'].pk}"),
    ("fhir-export", "get", lambda e: f"/api/v1/encounters/{e['submitted'].pk}/fhir"),
    ("home", "get", lambda e: "/"),
    ("api-tokens", "get", lambda e: "/accounts/api-tokens/"),
]

GUIDANCE_PAGES = [
    ("guidance-list", "get", lambda v: "/guidance/"),
    ("guidance-version", "get", lambda v: f"/guidance/{v.based_on_id}/"),
    ("guidance-draft", "get", lambda v: f"/guidance/{v.pk}/edit/"),
    ("guidance-editor", "get", lambda v: f"/guidance/{v.pk}/edit/general/"),
    ("guidance-diff", "get", lambda v: f"/guidance/{v.pk}/changes/"),
    ("guidance-publish", "get", lambda v: f"/guidance/{v.pk}/publish/"),
    ("guidance-history", "get", lambda v: f"/guidance/{v.pk}/history/"),
]


@pytest.mark.parametrize(("name", "method", "url"), NURSE_PAGES, ids=[p[0] for p in NURSE_PAGES])
def test_each_nurse_page_makes_at_most_six_queries(
    client, nurse, submitted, draft, django_assert_max_num_queries, name, method, url
):
    client.force_login(nurse)
    pages = {"draft": draft, "submitted": submitted}
    assert_within(client, django_assert_max_num_queries, method, url(pages))


@pytest.mark.parametrize(
    ("name", "method", "url"), PHYSICIAN_PAGES, ids=[p[0] for p in PHYSICIAN_PAGES]
)
def test_each_physician_page_makes_at_most_six_queries(
    client, physician, submitted, django_assert_max_num_queries, name, method, url
):
    client.force_login(physician)
    pages = {"submitted": submitted}
    assert_within(client, django_assert_max_num_queries, method, url(pages))


@pytest.mark.parametrize(
    ("name", "method", "url"), GUIDANCE_PAGES, ids=[p[0] for p in GUIDANCE_PAGES]
)
def test_each_guidance_page_makes_at_most_six_queries(
    client, guidance_admin, guidance_draft, django_assert_max_num_queries, name, method, url
):
    client.force_login(guidance_admin)
    assert_within(client, django_assert_max_num_queries, method, url(guidance_draft))


def test_an_autosave_makes_three_queries(client, nurse, draft, django_assert_max_num_queries):
    client.force_login(nurse)
    url = f"/encounters/{draft.pk}/symptoms/"
    assert client.post(url, **autosave(client, draft)).status_code == 200
    posted = autosave(client, draft)
    with django_assert_max_num_queries(AUTOSAVE):
        response = client.post(url, **posted)
    assert response["X-Autosave"] == "saved"


def test_a_later_queue_page_makes_at_most_six_queries(
    client, physician, ward, nurse, published_guidance, django_assert_max_num_queries
):
    for _ in range(PAGE_SIZE + 2):
        SubmittedEncounterFactory(ward=ward, created_by=nurse)
    client.force_login(physician)
    first = client.get("/review/")
    later = first.context["next_query"]
    assert later and "after=" in later
    assert_within(client, django_assert_max_num_queries, "get", f"/review/?{later}")


def test_the_assess_api_makes_at_most_six_queries(client, nurse, django_assert_max_num_queries):
    findings = next(example.findings for example in load_examples() if example.valid)
    client.force_login(nurse)
    body = {"data": json.dumps(findings), "content_type": "application/json"}
    with django_assert_max_num_queries(LIMIT):
        response = client.post("/api/v1/assess", **body)
    assert response.status_code == 200
    token = create_token(user=nurse, name="script").raw
    client.logout()
    with django_assert_max_num_queries(LIMIT):
        response = client.post(
            "/api/v1/assess", **body, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200


# --- As many queries for a big list, queue or record as for a small one -----------------------


def queries_of(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm
    return count(client, "get", url)


def add_encounters(nurse, ward, number: int) -> None:
    for index in range(number):
        SubmittedEncounterFactory(
            ward=ward, created_by=nurse, answers=WEAK_LEG if index % 2 else {}
        )


def test_the_list_and_the_queue_cost_the_same_for_3_or_30_encounters(
    client, nurse, physician, ward, published_guidance
):
    add_encounters(nurse, ward, 3)
    client.force_login(nurse)
    small_list = queries_of(client, "/encounters/")
    client.force_login(physician)
    small_queue = queries_of(client, "/review/")
    add_encounters(nurse, ward, 27)
    client.force_login(nurse)
    assert queries_of(client, "/encounters/") == small_list
    client.force_login(physician)
    assert queries_of(client, "/review/") == small_queue


def test_a_record_costs_the_same_with_five_rounds_addenda_overrides_and_a_sign_off(
    client, nurse, physician, ward, published_guidance
):
    small = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    big = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    for _ in range(4):
        reassess(big, by=nurse, answers=WEAK_LEG)
    for round in big.rounds.order_by("number")[:2]:
        kind, code = next(iter(review_actions.override_items(round)))
        review_actions.add_override(
            round=round, by=physician, kind=kind, code=code, decision="confirmed",
            reason="Seen on the ward round", expected_version=None,
        )  # fmt: skip
    for text in ("Called the family", "Pain settling", "Reviewed again at 18:00"):
        review_actions.add_addendum(encounter=big, by=physician, text=text, expected_version=None)
    review_actions.sign_off(encounter=big, by=physician, comment="", expected_version=None)
    assert big.rounds.count() == 5
    client.force_login(physician)
    for page in ("", "audit/", "audit.csv"):
        small_count = queries_of(client, f"/encounters/{small.pk}/{page}")
        assert queries_of(client, f"/encounters/{big.pk}/{page}") == small_count, page
    page = client.get(f"/encounters/{big.pk}/").content.decode()
    assert "Reviewed again at 18:00" in page and "data-signed-by" in page
    assert client.get(f"/api/v1/encounters/{big.pk}").json()["rounds"][1]["overrides"]
    for export in ("", "/fhir"):
        small_export = queries_of(client, f"/api/v1/encounters/{small.pk}{export}")
        assert queries_of(client, f"/api/v1/encounters/{big.pk}{export}") == small_export, export


def test_escalation_calls_and_acknowledgements_add_no_query_to_the_pages(
    client, nurse, physician, ward, published_guidance, django_assert_max_num_queries
):
    """The queue, the record and the result page cost the same with no call or with several
    calls and acknowledgements; recording a call with htmx stays within the limit."""
    add_encounters(nurse, ward, 3)
    quiet = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    busy = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    reassess(busy, by=nurse, answers=WEAK_LEG)
    pages = ("/review/", "/encounters/{}/", "/encounters/{}/rounds/1/")
    client.force_login(physician)
    before = [queries_of(client, page.format(busy.pk)) for page in pages]
    for number in (1, 2):
        for name in ("Dr A", "Dr B"):
            escalation_actions.record_call(
                round=busy.rounds.get(number=number), by=nurse, informed_role="registrar",
                informed_name=name, method="phone", called_at=timezone.now(),
                response="advice", response_detail="Analgesia and review in the morning",
            )  # fmt: skip
    escalation_actions.acknowledge(encounter=busy, by=physician, expected_version=None)
    for page, count_before in zip(pages, before, strict=True):
        assert queries_of(client, page.format(busy.pk)) == count_before, page
        assert queries_of(client, page.format(quiet.pk)) == count_before, page
    client.force_login(nurse)
    url = f"/encounters/{quiet.pk}/rounds/1/escalation-calls/"
    called = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {
        "informed_role": "consultant", "informed_name": "Dr C", "method": "in_person",
        "called_at": called, "response": "attending",
    }  # fmt: skip
    recorded = []
    for _ in range(3):
        # A write: the lock, the version, the insert and its audit, the encounter's state.
        with django_assert_max_num_queries(LIMIT + 10) as queries:
            response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        recorded.append(len(queries))
    assert recorded[1] == recorded[2]  # the third call costs what the second did
    assert response.content.decode().count("data-escalation-call") == 3


# --- The second factor, and a cold cache -------------------------------------------------------


def verified_session(client, physician) -> None:
    """Signed in, with the second factor entered in this session (as `django_otp.login`)."""
    device, _ = enrol(physician)
    client.force_login(physician)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.parametrize("name", ["queue", "record", "result", "export", "home"])
def test_the_second_factor_adds_no_query(client, physician, submitted, settings, name):
    """The session's device is checked against the devices read with the user."""
    url = dict((n, u) for n, _, u in PHYSICIAN_PAGES)[name]({"submitted": submitted})
    client.force_login(physician)
    without = queries_of(client, url)
    settings.TRIAGE_REQUIRE_2FA = True
    verified_session(client, physician)
    assert queries_of(client, url) == without


def test_a_cold_guidance_cache_costs_one_query(client, physician, submitted):
    """Once per process and published version: its entries are read, then kept."""
    client.force_login(physician)
    url = f"/encounters/{submitted.pk}/"
    cold = count(client, "get", url)
    warm = count(client, "get", url)
    assert (cold, warm) == (warm + 1, warm)
