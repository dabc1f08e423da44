"""Bad input is answered in words, never with a server error (500)."""

from __future__ import annotations

import json
import re

import pytest

from triage.actions import guidance as actions

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000


def test_a_five_thousand_digit_number_in_the_api_is_a_json_400(client, nurse):
    client.force_login(nurse)
    body = '{"vitals": {"respiratory_rate": ' + HUGE + "}}"
    response = client.post("/api/v1/assess", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "number" in json.dumps(response.json())


@pytest.mark.parametrize(
    "query",
    ["submitted_to=9999-12-31", "submitted_from=0001-01-01", "submitted_from=9999-12-31"],
)
def test_a_date_filter_far_out_of_range_is_refused_in_words(client, physician, query):
    client.force_login(physician)
    response = client.get(f"/review/?{query}")
    assert response.status_code == 400
    assert "Enter a date between" in response.content.decode()


def test_a_five_thousand_digit_citation_is_refused_in_words(
    client, guidance_admin, published_guidance
):
    client.force_login(guidance_admin)
    draft = actions.create_draft(by=guidance_admin)
    url = f"/guidance/{draft.pk}/edit/general/"
    page = client.get(url).content.decode()
    base = re.search(r'name="base"[^>]*value="([^"]*)"', page).group(1)
    data = {
        "title": "After every vertebroplasty",
        "body": "Text",
        "citations": [HUGE],
        "base": base,
    }
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, data, headers=headers)
        assert response.status_code in (200, 400), response.status_code
        assert (
            "valid choice" in response.content.decode() or "not one of" in response.content.decode()
        )
