"""Guidance administration is for guidance admins only, on every URL, for every method."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from tests.guidance.factories import RoundFactory
from triage.actions import guidance as actions
from triage.models import GuidanceVersion
from triage.urls import guidance_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(v2, guidance_admin) -> list[str]:
    """Every guidance URL, with real ids: the draft, a key, a submitted round."""
    draft = actions.create_draft(by=guidance_admin)
    round = RoundFactory(guidance_version=v2)
    values = {
        "pk": draft.pk,
        "key": "pathway.transient_pain",
        "encounter": round.encounter_id,
        "number": round.number,
    }
    found = []
    for pattern in guidance_urls:
        assert isinstance(pattern, URLPattern)
        params = pattern.pattern.converters.keys()
        assert set(params) <= set(values), f"give {pattern.name} a real value for {params}"
        kwargs = {name: values[name] for name in params}
        found.append(reverse(f"guidance:{pattern.name}", kwargs=kwargs))
    assert len(found) == len(guidance_urls) >= 9
    return found


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["nurse", "physician", "stranger"])
def test_everyone_but_guidance_admins_is_refused(client, urls, request, who, method):
    client.force_login(request.getfixturevalue(who))
    for url in urls:
        response = getattr(client, method)(url, {"summary": "x", "confirm": "yes"})
        assert response.status_code == 403, (who, method, url)
    assert GuidanceVersion.objects.filter(status="draft").exists()  # nothing was discarded


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, urls, method):
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"/accounts/login/?next={url}"), url


def test_anonymous_htmx_is_redirected_by_htmx(client, urls):
    response = client.post(urls[0], headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next={urls[0]}"


def test_guidance_admins_may_open_every_page(admin_client, urls):
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code in (200, 405), url
