"""The queue's patient search is posted and kept on the server: no address (page, redirect,
link, htmx header, Referer) ever holds the identifier searched for."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.review.test_queue import ROW, listed, next_page
from triage import queue as queue_module
from triage.models import QueueSearch
from triage.roles import Role

IDENTIFIER = "QX7741"
# Every address a page offers: links, form targets, htmx requests.
ADDRESS = re.compile(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"')


@pytest.fixture
def patients(make_encounter):
    """Three encounters of one patient, one of another."""
    ours = [make_encounter(patient_identifier=IDENTIFIER) for _ in range(3)]
    make_encounter(patient_identifier="OTHER1")
    return ours


def post_search(client, text: str = IDENTIFIER, **filters: str):
    response = client.post("/review/", {"q": text, **filters})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def addresses(response) -> list[str]:
    return ADDRESS.findall(response.content.decode())


def test_a_posted_search_finds_the_patient_and_no_address_holds_the_identifier(
    physician_client, patients
):
    posted = post_search(physician_client, IDENTIFIER.lower())
    location = posted["Location"]
    assert re.fullmatch(r"/review/\?search=[A-Za-z0-9_-]{22}", location)
    page = physician_client.get(location)
    assert sorted(listed(page)) == sorted(str(e.pk) for e in patients)
    content = page.content.decode()
    assert f'value="{IDENTIFIER.lower()}"' in content  # the box still says what was searched
    assert addresses(page)
    for address in [location, *addresses(page)]:
        assert IDENTIFIER.lower() not in address.lower(), address


def test_the_other_filters_stay_in_the_address_beside_the_token(physician_client, patients):
    location = post_search(physician_client, status="unsigned", escalation="")["Location"]
    assert "status=unsigned" in location and "escalation" not in location
    assert IDENTIFIER not in location
    assert len(listed(physician_client.get(location))) == 3


def test_paging_keeps_the_search(physician_client, patients, monkeypatch):
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 2)
    page1 = physician_client.get(post_search(physician_client)["Location"])
    second = next_page(page1.content.decode())
    assert second is not None and "search=" in second and IDENTIFIER not in second
    page2 = physician_client.get(second)
    shown = listed(page1) + listed(page2)
    assert sorted(shown) == sorted(str(e.pk) for e in patients)  # never the other patient
    assert next_page(page2.content.decode()) is None
    first = re.search(r'href="\?([^"]*)"[^>]*>First page', page2.content.decode())
    assert first is not None and "search=" in first.group(1)


def test_htmx_gets_the_results_address_to_fetch_never_the_identifier(physician_client, patients):
    posted = physician_client.post(
        "/review/", {"q": IDENTIFIER, "status": ""}, headers={"HX-Request": "true"}
    )
    assert posted.status_code == 200
    assert IDENTIFIER not in posted["HX-Location"]
    location = json.loads(posted["HX-Location"])
    assert (location["target"], location["swap"]) == ("#queue-results", "outerHTML")
    fragment = physician_client.get(location["path"], headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="queue-results"')
    assert len(ROW.findall(fragment.content.decode())) == 3


def test_back_to_a_search_restores_the_whole_page(physician_client, patients):
    """htmx keeps no copy of pages (historyCacheSize 0): Back asks the server for the address,
    and gets the whole page, not the results alone."""
    location = post_search(physician_client)["Location"]
    restored = physician_client.get(
        location, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    content = restored.content.decode()
    assert "<html" in content and "Filter encounters" in content
    assert len(ROW.findall(content)) == 3


def test_an_identifier_in_the_address_is_not_searched_and_the_page_says_why(
    physician_client, patients
):
    response = physician_client.get(f"/review/?q={IDENTIFIER}&status=unsigned")
    assert response.status_code == 200
    content = response.content.decode()
    assert "A patient identifier is no longer read from the page address" in content
    assert ROW.findall(content) == []
    assert IDENTIFIER not in content  # neither searched nor put back in the box or a link


def test_another_user_cannot_use_the_search(physician_client, patients, ward, published_guidance):
    location = post_search(physician_client)["Location"]
    colleague = UserFactory(username="physician2", roles=(Role.PHYSICIAN,), wards=(ward,))
    other = Client()
    other.force_login(colleague)
    content = other.get(location).content.decode()
    assert "This search has ended" in content
    assert ROW.findall(content) == [] and IDENTIFIER not in content
    # The one who searched still can.
    assert len(listed(physician_client.get(location))) == 3


def test_an_expired_search_asks_to_search_again_in_words(physician_client, patients):
    location = post_search(physician_client)["Location"]
    QueueSearch.objects.update(expires_at=timezone.now())
    response = physician_client.get(location)
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "This search has ended: a search is kept for 30 minutes, and only for the person who "
        "made it. Type the patient identifier again and choose Show encounters."
    ) in content
    assert ROW.findall(content) == []
    assert re.search(r"<details [^>]*open", content)  # the search box is open to type in


def test_a_search_lasts_thirty_minutes_and_expired_ones_are_deleted(physician_client, patients):
    before = timezone.now()
    post_search(physician_client)
    search = QueueSearch.objects.get()
    assert search.text == IDENTIFIER
    lifetime = search.expires_at - before
    assert timedelta(minutes=30) <= lifetime < timedelta(minutes=31)
    QueueSearch.objects.update(expires_at=timezone.now())
    post_search(physician_client, "OTHER")
    assert list(QueueSearch.objects.values_list("text", flat=True)) == ["OTHER"]


def test_an_invalid_search_is_answered_in_words_on_the_page(physician_client, patients):
    response = physician_client.post(
        "/review/", {"q": IDENTIFIER, "submitted_from": "2026-05-02", "submitted_to": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "Submitted to must be on or after submitted from." in response.content.decode()


def test_the_search_form_needs_the_security_token(physician, patients, published_guidance):
    client = Client(enforce_csrf_checks=True)
    client.force_login(physician)
    refused = client.post("/review/", {"q": IDENTIFIER})
    assert refused.status_code == 403
    page = client.get("/review/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    posted = client.post("/review/", {"q": IDENTIFIER, "csrfmiddlewaretoken": token.group(1)})
    assert posted.status_code == 302 and IDENTIFIER not in posted["Location"]
