"""Every encounter keeps the exact guidance it showed, whatever is published later."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.guidance.factories import RoundFactory
from triage.actions import guidance as actions
from triage.guidance import entries_by_key, published_version, render_markdown

pytestmark = pytest.mark.django_db
KEY = "pathway.transient_pain"


def test_a_round_keeps_its_version_and_text_after_a_new_publish(v2, guidance_admin, nurse, client):
    round = RoundFactory(guidance_version=v2, encounter__created_by=nurse)
    old_body = v2.entries.get(key=KEY).body
    draft = actions.create_draft(by=guidance_admin)
    entry = draft.entries.get(key=KEY)
    actions.update_entry(
        entry=entry,
        title="Short-lived pain after the procedure",
        body="Version two says **something else**.",
        actions=entry.actions,
        citations=entry.citations,
        by=guidance_admin,
    )
    actions.publish(draft=draft, summary="Reworded transient pain", by=guidance_admin)
    assert published_version() == draft

    round.refresh_from_db()
    assert round.guidance_version_id == v2.pk
    assert entries_by_key(round.guidance_version)[KEY].body == old_body

    client.force_login(nurse)
    page = client.get(
        reverse("encounters:round", kwargs={"pk": round.encounter_id, "number": 1})
    ).content.decode()
    assert str(render_markdown(old_body)) in page
    assert "something else" not in page
    assert "Short-lived pain after the procedure" not in page
