"""Every page says no-store (patient data never stays in a browser or proxy cache) and switches
off the browser features the product never uses; production cookies carry the __Host- prefix."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.foundation.helpers import PRODUCTION_ENV, run_python
from tests.review.test_access_matrix import ADMIN_SEED, every_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "nurse", "physician", "guidance_admin"])
def test_every_url_answers_no_store_with_a_permissions_policy(
    client, request, who, red_flag_encounter, published_guidance
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    seed = {"encounter": red_flag_encounter, "pk": published_guidance.pk, "key": "general"}
    urls = every_url({**seed, **ADMIN_SEED})
    assert len(urls) > 40
    names = {name for name, _, _ in urls}
    assert {"encounters:escalation-calls", "encounters:escalation-acknowledge"} <= names
    wrong = []
    for name, url, (method, _) in urls:
        with transaction.atomic():
            response = client.generic(method, url)
            transaction.set_rollback(True)
        cache = response.get("Cache-Control", "")
        policy = response.get("Permissions-Policy", "")
        if "no-store" not in cache or "camera=()" not in policy or "geolocation=()" not in policy:
            wrong.append(f"{method} {url} ({name}) {response.status_code}: {cache!r} {policy!r}")
    assert wrong == []


def test_static_files_may_still_be_cached(client):
    response = client.get("/static/css/app.css")
    response.close()  # a file response: nothing more is read from it
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_cookies_carry_the_host_prefix():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )
    result = run_python(["-c", code], PRODUCTION_ENV)
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True"], result.stderr
    result = run_python(["-c", code], {"TRIAGE_ENV": "dev"})  # plain HTTP on a laptop
    assert result.stdout.split() == ["sessionid", "csrftoken", "False"], result.stderr
