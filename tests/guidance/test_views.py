"""The guidance pages through the test client: history, editor, diff, publish, side by side."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.guidance.factories import WEAK_LEG, RoundFactory
from triage.actions import guidance as actions
from triage.clinical import GUIDANCE_KEYS
from triage.guidance import entry_token
from triage.models import GuidanceVersion
from triage.views.guidance import kind_label

pytestmark = pytest.mark.django_db
KEY = "pathway.transient_pain"


@pytest.fixture
def draft(v2, guidance_admin) -> GuidanceVersion:
    return actions.create_draft(by=guidance_admin)


def entry_url(draft, key=KEY) -> str:
    return reverse("guidance:entry", kwargs={"pk": draft.pk, "key": key})


def entry_post(draft, key=KEY, **changes) -> dict:
    entry = draft.entries.get(key=key)
    data = {"title": entry.title, "body": entry.body, "actions": entry.actions}
    data |= {"citations": [str(n) for n in entry.citations], "base": entry_token(entry)}
    return {**data, **changes}


def test_the_list_shows_every_version_and_offers_a_draft(admin_client, v2):
    page = admin_client.get(reverse("guidance:list")).content.decode()
    assert 'data-version="1"' in page and 'data-version="2"' in page
    assert "Start a new draft" in page
    response = admin_client.post(reverse("guidance:new"))
    draft = GuidanceVersion.objects.get(status="draft")
    assert response["Location"] == reverse("guidance:edit", kwargs={"pk": draft.pk})
    # A second "new draft" leads to the same draft.
    response = admin_client.post(reverse("guidance:new"), follow=True)
    assert GuidanceVersion.objects.filter(status="draft").count() == 1
    assert "already being drafted" in response.content.decode()


def test_a_version_page_renders_every_entry_with_the_result_component(admin_client, v2):
    page = admin_client.get(reverse("guidance:detail", kwargs={"pk": v2.pk})).content.decode()
    # Every key of the engine, in the engine's order (escalation first, general last).
    assert re.findall(r'data-guidance-entry="([^"]+)"', page) == list(GUIDANCE_KEYS)
    assert page.count("(version 2)") == len(GUIDANCE_KEYS) == 25
    assert "Escalation: Emergency <code" in page


def test_the_retired_version_1_still_renders_its_own_entries(admin_client, v1):
    page = admin_client.get(reverse("guidance:detail", kwargs={"pk": v1.pk})).content.decode()
    assert page.count("(version 1)") == 16
    assert 'data-guidance-entry="escalation.emergency"' not in page


@pytest.mark.parametrize("key", GUIDANCE_KEYS)
def test_every_key_s_entry_opens_in_the_editor(admin_client, draft, key):
    entry = draft.entries.get(key=key)
    page = admin_client.get(entry_url(draft, key)).content.decode()
    assert escape(f"{kind_label(key)}: {entry.title}") in page
    assert f'data-guidance-entry="{key}"' in page  # the live preview


def test_saving_an_entry_goes_back_to_the_draft(admin_client, draft):
    response = admin_client.post(entry_url(draft), entry_post(draft, body="New **text**"))
    assert response["Location"] == reverse("guidance:edit", kwargs={"pk": draft.pk})
    assert draft.entries.get(key=KEY).body == "New **text**"
    page = admin_client.get(response["Location"]).content.decode()
    assert re.search(rf'data-entry="{KEY}".*?Changed', page, re.S)


def test_an_invalid_entry_shows_an_error_summary_linking_to_its_fields(admin_client, draft):
    response = admin_client.post(entry_url(draft), entry_post(draft, title="", body=" "))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert '<a href="#id_title">Enter a title</a>' in page
    assert '<a href="#id_body">Enter the guidance text</a>' in page
    assert page.index("error-summary") < page.index('id="id_title"')
    assert draft.entries.get(key=KEY).body != " "


def test_typing_autosaves_and_previews_with_the_result_component(admin_client, draft):
    data = entry_post(draft, body="Rest **two** days <script>alert(1)</script>")
    response = admin_client.post(entry_url(draft), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="preview"' in html and 'data-guidance-entry="pathway.transient_pain"' in html
    assert "<strong>two</strong>" in html and "<script>alert" not in html
    assert "Saved at" in html and 'hx-swap-oob="true"' in html
    assert "<form" not in html  # only the live parts, not the page
    assert draft.entries.get(key=KEY).body.startswith("Rest **two** days")


def test_an_invalid_autosave_previews_but_does_not_save(admin_client, draft):
    before = draft.entries.get(key=KEY).body
    data = entry_post(draft, title="", body="Half-typed *text")
    html = admin_client.post(entry_url(draft), data, headers={"HX-Request": "true"}).content
    assert b"Half-typed" in html and b"Not saved yet: Enter a title." in html
    assert draft.entries.get(key=KEY).body == before


def test_a_published_version_cannot_be_edited(admin_client, v2):
    response = admin_client.post(entry_url(v2), entry_post(v2, body="Rewrite"))
    assert response["Location"] == reverse("guidance:detail", kwargs={"pk": v2.pk})
    response = admin_client.get(reverse("guidance:publish", kwargs={"pk": v2.pk}))
    assert response.status_code == 302


def test_the_diff_page_marks_changed_words(admin_client, draft):
    old = draft.entries.get(key=KEY).actions
    new = old.replace("including opioids", "including strong opioids").replace(
        "24 to 48 hours", "two days"
    )
    admin_client.post(entry_url(draft), entry_post(draft, actions=new))
    page = admin_client.get(reverse("guidance:diff", kwargs={"pk": draft.pk})).content.decode()
    assert page.count("data-changed=") == 1 and f'data-changed="{KEY}"' in page
    changes = re.findall(r'<(ins|del) class="app-\w+"><span[^>]*>\w+: </span>(.*?)</', page)
    assert changes == [("ins", " strong"), ("del", "24 to 48 hours"), ("ins", "two days")]


def test_publishing_needs_a_summary(admin_client, draft):
    url = reverse("guidance:publish", kwargs={"pk": draft.pk})
    page = admin_client.post(url, {"summary": ""}).content.decode()
    assert '<a href="#id_summary">Enter a summary of the changes</a>' in page
    assert GuidanceVersion.objects.get(pk=draft.pk).status == "draft"


def test_publishing_lists_every_problem_with_a_link_to_its_entry(admin_client, draft):
    admin_client.post(entry_url(draft), entry_post(draft, key="general"))
    entry = draft.entries.get(key="general")
    actions.update_entry(
        entry=entry, title="", body="", actions="", citations=[9], by=draft.created_by
    )
    url = reverse("guidance:publish", kwargs={"pk": draft.pk})
    page = admin_client.post(url, {"summary": "Fix"}).content.decode()
    link = entry_url(draft, "general")
    for message in ("enter a title", "enter the guidance text", "source 9 is not one of"):
        assert re.search(rf'<a href="{link}">general: {message}', page), message
    assert GuidanceVersion.objects.get(pk=draft.pk).status == "draft"


def test_the_publish_page_shows_the_impact_with_side_by_side_links(admin_client, draft, v2):
    round = RoundFactory(findings=WEAK_LEG, guidance_version=v2)
    key = "red_flag.progressive_neuro_deficit"
    admin_client.post(entry_url(draft, key), entry_post(draft, key, body="Call **now**."))
    page = admin_client.get(reverse("guidance:publish", kwargs={"pk": draft.pk})).content.decode()
    row = re.search(rf'data-impact="{key}".*?</tr>', page, re.S).group(0)
    assert re.search(r"data-rounds>1<", row) and re.search(r"data-encounters>1<", row)
    compare = reverse(
        "guidance:side-by-side",
        kwargs={"pk": draft.pk, "encounter": round.encounter_id, "number": 1, "key": key},
    )
    assert f'href="{compare}"' in row

    side = admin_client.get(compare).content.decode()
    shown = re.search(r'data-side="shown".*?</section>', side, re.S).group(0)
    proposed = re.search(r'data-side="proposed".*?</section>', side, re.S).group(0)
    assert "(version 2)" in shown and "Call <strong>now</strong>." not in shown
    assert "(version 3)" in proposed and "Call <strong>now</strong>." in proposed
    assert round.encounter.patient_identifier not in side


def test_a_changed_escalation_entry_shows_in_the_diff_and_the_impact(admin_client, draft, v2):
    RoundFactory(findings=WEAK_LEG, guidance_version=v2)  # a red flag: emergency escalation
    key = "escalation.emergency"
    admin_client.post(entry_url(draft, key), entry_post(draft, key, body="Call **now**."))
    diff = admin_client.get(reverse("guidance:diff", kwargs={"pk": draft.pk})).content.decode()
    assert re.findall(r'data-changed="([^"]+)"', diff) == [key]
    assert "Escalation: Emergency <code" in diff
    page = admin_client.get(reverse("guidance:publish", kwargs={"pk": draft.pk})).content.decode()
    row = re.search(rf'data-impact="{key}".*?</tr>', page, re.S).group(0)
    assert re.search(r"data-rounds>1<", row) and re.search(r"data-encounters>1<", row)


def test_publishing_from_the_page(admin_client, draft, v2):
    admin_client.post(entry_url(draft), entry_post(draft, body="Settles in days."))
    url = reverse("guidance:publish", kwargs={"pk": draft.pk})
    response = admin_client.post(url, {"summary": "Simpler wording"})
    assert response["Location"] == reverse("guidance:detail", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    v2.refresh_from_db()
    assert (draft.status, draft.change_summary, v2.status) == (
        "published",
        "Simpler wording",
        "retired",
    )


def test_discarding_needs_confirmation(admin_client, draft):
    url = reverse("guidance:discard", kwargs={"pk": draft.pk})
    admin_client.post(url)
    assert GuidanceVersion.objects.filter(pk=draft.pk).exists()
    response = admin_client.post(url, {"confirm": "yes"})
    assert response["Location"] == reverse("guidance:list")
    assert not GuidanceVersion.objects.filter(pk=draft.pk).exists()


def test_a_browser_s_line_endings_do_not_count_as_a_change(admin_client, draft):
    data = entry_post(draft)
    data["actions"] = data["actions"].replace("\n", "\r\n")
    assert "\r\n" in data["actions"]
    admin_client.post(entry_url(draft), data)
    assert "\r" not in draft.entries.get(key=KEY).actions
    page = admin_client.get(reverse("guidance:diff", kwargs={"pk": draft.pk})).content.decode()
    assert "data-changed=" not in page
