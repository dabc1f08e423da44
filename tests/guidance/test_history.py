"""A version's history page: who drafted, changed, published and retired it (the audit trail)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from triage.actions import guidance as actions
from triage.guidance import entry_token, history
from triage.roles import Role

pytestmark = pytest.mark.django_db
KEY = "pathway.transient_pain"


def change(entry, by, **fields):
    values = {name: getattr(entry, name) for name in ("title", "body", "actions", "citations")}
    return actions.update_entry(entry=entry, by=by, **{**values, **fields})


def test_history_names_who_did_what_to_which_entry(v2, guidance_admin):
    other = UserFactory(username="guidance2", first_name="Rita", roles=(Role.GUIDANCE_ADMIN,))
    draft = actions.create_draft(by=guidance_admin)
    entry = draft.entries.get(key=KEY)
    actions.update_entry(
        entry=entry,
        title=entry.title,
        body="New words.",
        actions=entry.actions,
        citations=[1],
        by=other,
        base=entry_token(entry),
    )
    actions.publish(draft=draft, summary="Reworded", by=guidance_admin)

    items = [(item.by, item.what) for item in history(draft)]

    assert items == [
        ("guidance1", "Started the draft"),
        (
            "Rita",
            f"Changed the guidance text and sources of Transient post-procedural pain ({KEY})",
        ),
        ("guidance1", "Published version 3"),
    ]
    assert [(i.by, i.what) for i in history(v2)][-1] == (
        "guidance1",
        "Retired it (a newer version was published)",
    )


def test_autosaves_in_a_row_read_as_one_change(v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    entry = draft.entries.get(key=KEY)
    other = draft.entries.get(key="general")
    for body in ("One.", "One, two.", "One, two, three."):
        entry = change(entry, guidance_admin, body=body)
    entry = change(entry, guidance_admin, title="Settling pain")
    change(other, guidance_admin, body="General words.")
    change(entry, guidance_admin, body="Four.")

    whats = [item.what for item in history(draft)]

    assert whats == [
        "Started the draft",
        f"Changed the title and guidance text of Settling pain ({KEY}) (4 saves)",
        "Changed the guidance text of After every vertebroplasty (general)",
        f"Changed the guidance text of Settling pain ({KEY})",
    ]


def test_the_history_page_lists_the_changes(admin_client, v2, guidance_admin):
    draft = actions.create_draft(by=guidance_admin)
    page = admin_client.get(reverse("guidance:history", kwargs={"pk": draft.pk})).content.decode()
    assert page.count("data-history") == 1
    assert "Started the draft" in page
    assert 'aria-current="page">History</a>' in page


def test_version_1_was_published_by_the_system(admin_client, v1):
    page = admin_client.get(reverse("guidance:history", kwargs={"pk": v1.pk})).content.decode()
    assert "the system" in page
    assert "Published version 1" in page
    assert "Retired it (a newer version was published)" in page


def test_version_2_was_drafted_and_published_by_the_system(admin_client, v2):
    assert [(item.by, item.what) for item in history(v2)] == [
        ("the system", "Started the draft"),
        ("the system", "Published version 2"),
    ]
    page = admin_client.get(reverse("guidance:history", kwargs={"pk": v2.pk})).content.decode()
    assert page.count("data-history") == 2
