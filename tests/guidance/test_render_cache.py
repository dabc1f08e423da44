"""A published version's guidance text is rendered and sanitised once, then kept; a new
published version shows its own text; a draft is rendered afresh every time."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from triage import guidance
from triage.actions import guidance as actions
from triage.guidance import body_html, entries_by_key, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch) -> dict[str, int]:
    """How often the Markdown renderer and the sanitiser ran."""
    calls = {"markdown": 0, "sanitiser": 0}
    markdown, clean = guidance.markdown_lib.markdown, guidance.nh3.clean

    def counted_markdown(*args, **kwargs):
        calls["markdown"] += 1
        return markdown(*args, **kwargs)

    def counted_clean(*args, **kwargs):
        calls["sanitiser"] += 1
        return clean(*args, **kwargs)

    monkeypatch.setattr(guidance.markdown_lib, "markdown", counted_markdown)
    monkeypatch.setattr(guidance.nh3, "clean", counted_clean)
    cache.clear()
    yield calls
    cache.clear()


def test_a_published_entry_is_rendered_once(v2, renders, django_assert_num_queries):
    first = body_html(entries_by_key(v2)["general"])
    assert renders == {"markdown": 1, "sanitiser": 1}
    with django_assert_num_queries(0):  # its entries are kept too
        again = body_html(entries_by_key(v2)["general"])
    assert again == first
    assert renders == {"markdown": 1, "sanitiser": 1}


def test_a_new_published_version_shows_its_new_text(v2, guidance_admin, renders):
    old = body_html(entries_by_key(v2)["general"])
    draft = actions.create_draft(by=guidance_admin)
    entry = draft.entries.get(key="general")
    actions.update_entry(
        entry=entry, by=guidance_admin, title=entry.title, body="**Rest** for a day.",
        actions=entry.actions, citations=entry.citations,
    )  # fmt: skip
    actions.publish(draft=draft, summary="Shorter advice", by=guidance_admin)
    new = body_html(entries_by_key(published_version())["general"])
    assert new == "<p><strong>Rest</strong> for a day.</p>"
    assert new != old
    v2.refresh_from_db()
    assert body_html(entries_by_key(v2)["general"]) == old  # the retired version is unchanged


def test_a_draft_is_rendered_every_time(v2, guidance_admin, renders):
    draft = actions.create_draft(by=guidance_admin)
    body_html(entries_by_key(draft)["general"])
    entry = draft.entries.get(key="general")
    actions.update_entry(
        entry=entry, by=guidance_admin, title=entry.title, body="Changed *now*.",
        actions=entry.actions, citations=entry.citations,
    )  # fmt: skip
    assert body_html(entries_by_key(draft)["general"]) == "<p>Changed <em>now</em>.</p>"
    assert renders["markdown"] == 2
