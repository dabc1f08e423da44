"""A save refused for a stale security token (the user signed in again in another tab) keeps a
bedside step's answers and says why; other forms explain what to do. Never Django's bare page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.wizard.conftest import step_url
from tests.wizard.helpers import vitals_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(nurse, published_guidance) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    return client


def test_a_step_saved_with_a_stale_token_comes_back_with_its_answers(strict_client, encounter):
    url = step_url(encounter, "vitals")
    strict_client.get(url)
    stale = {**vitals_post(heart_rate="131"), "csrfmiddlewaretoken": "x" * 64}
    response = strict_client.post(url, stale)
    assert response.status_code == 302
    assert response["Location"] == url
    page = strict_client.get(url).content.decode()
    assert 'value="131"' in page
    assert "Your sign-in changed while this page was open" in page
    assert "CSRF verification failed" not in page


def test_an_autosave_with_a_stale_token_reloads_the_step_with_its_answers(strict_client, encounter):
    url = step_url(encounter, "vitals")
    strict_client.get(url)  # the page the autosave comes from
    stale = {**vitals_post(heart_rate="132"), "csrfmiddlewaretoken": "x" * 64}
    response = strict_client.post(url, stale, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == url
    assert 'value="132"' in strict_client.get(url).content.decode()


def test_another_form_with_a_stale_token_explains_in_words(strict_client):
    response = strict_client.post(
        "/accounts/api-tokens/", {"name": "x", "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page had expired" in page
    assert "CSRF verification failed" not in page
