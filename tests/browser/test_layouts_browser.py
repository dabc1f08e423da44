"""Every page type fits a phone (390 px) and a tablet (768 px) without sideways scrolling, and
has no serious or critical accessibility problem (axe)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from tests.browser.conftest import PHONE, TABLET, screenshot, serious_violations, sign_in_as
from tests.factories import PASSWORD
from triage.actions.guidance import create_draft
from triage.models import Encounter, GuidanceVersion, User
from triage.wizard import STEPS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
WIDTH = "() => document.documentElement.scrollWidth"


def pages_for(username: str) -> list[str]:
    signed = Encounter.objects.filter(patient_identifier="DEMO-1001").first()
    encounter = Encounter.objects.filter(submitted_at__isnull=False).order_by("pk").first()
    draft = Encounter.objects.filter(submitted_at__isnull=True).get()  # the demo's draft
    published = GuidanceVersion.objects.order_by("-number").first()
    version = create_draft(by=User.objects.get(username="admin"))
    base, wizard = f"/encounters/{encounter.pk}/", f"/encounters/{draft.pk}/"
    guidance = f"/guidance/{version.pk}/"
    pages = {
        "nurse": ["/", "/encounters/", "/encounters/new/", base, f"{base}rounds/1/",
                  *(f"{wizard}{step.slug}/" for step in STEPS),
                  "/accounts/api-tokens/", "/sources/", "/ward/", "/ward/handover/",
                  f"{base}handover/"],
        "physician": ["/review/", "/review/lookback/", base, f"{base}audit/",
                      f"/encounters/{(signed or encounter).pk}/", "/ward/"],
        "admin": ["/guidance/", f"/guidance/{published.pk}/", f"/guidance/{published.pk}/history/",
                  guidance, f"{guidance}edit/", f"{guidance}edit/general/",
                  f"{guidance}changes/", f"{guidance}publish/"],
    }  # fmt: skip
    return pages[username]


@SIZES
@pytest.mark.parametrize("username", ["nurse", "physician", "admin"])
def test_no_page_scrolls_sideways_and_every_page_is_accessible(
    page: Page, live_server, published_guidance, axe, viewport, username
):
    call_command("demo_data")
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    page.set_viewport_size(viewport)
    sign_in_as(page, live_server, username)
    too_wide, inaccessible = {}, {}
    for path in pages_for(username):
        page.goto(live_server.url + path)
        width = page.evaluate(WIDTH)
        if width > viewport["width"]:
            too_wide[path] = width
        if problems := serious_violations(axe, page):
            inaccessible[path] = problems
        name = re.sub(r"[0-9a-f-]{36}", lambda m: m[0][:4], path).strip("/").replace("/", "-")
        screenshot(page, f"layout-{username}-{name or 'home'}")
    assert too_wide == {}
    assert inaccessible == {}
