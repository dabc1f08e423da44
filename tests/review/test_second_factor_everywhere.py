"""With TRIAGE_REQUIRE_2FA on, every URL of the project (the admin's too) waits for the second
factor: the walk reads the URL patterns, so a new page is covered without remembering it."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import transaction

from tests.factories import UserFactory
from tests.review.test_access_matrix import ADMIN_SEED, every_url
from triage.access import BEFORE_SECOND_FACTOR
from triage.actions.two_factor import confirm_enrolment, start_enrolment
from triage.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_url_waits_for_the_second_factor(
    client, settings, ward, red_flag_encounter, published_guidance, htmx
):
    settings.TRIAGE_REQUIRE_2FA = True
    user = UserFactory(
        username="chief", is_staff=True, is_superuser=True,
        roles=(Role.PHYSICIAN, Role.GUIDANCE_ADMIN), wards=(ward,),
    )  # fmt: skip
    confirm_enrolment(device=start_enrolment(user=user))
    client.force_login(user)
    seed = {"encounter": red_flag_encounter, "pk": published_guidance.pk, "key": "general"}
    urls = [u for u in every_url({**seed, **ADMIN_SEED}) if u[0] not in BEFORE_SECOND_FACTOR]
    assert len(urls) > 40
    headers = {"HX-Request": "true"} if htmx else {}
    wrong = []
    for name, url, (method, _) in urls:
        with transaction.atomic():
            response = client.generic(method, url, headers=headers)
            transaction.set_rollback(True)
        to_code = f"/accounts/two-factor/?next={quote(url)}"
        if url.startswith("/api/"):
            ok = response.status_code == 401 and "two-factor" in response.content.decode()
        elif htmx:
            ok = response.status_code == 200 and response.get("HX-Redirect") == to_code
        else:
            ok = response.status_code == 302 and response["Location"] == to_code
        if not ok:
            wrong.append(f"{method} {url} ({name}): {response.status_code}")
    assert wrong == []
