"""Guidance text is rendered and sanitised once for each text, then kept: a published
version's entries too; a new published version shows its own text; a draft's changed text is
rendered afresh; the editor reads an entry with its version in one query."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches

from triage import guidance
from triage.actions import guidance as actions
from triage.guidance import body_html, entries_by_key, published_version
from triage.models import GuidanceVersion

pytestmark = pytest.mark.django_db


def draft_saying(body: str, *, by) -> GuidanceVersion:
    """A new draft whose general advice says `body`."""
    draft = actions.create_draft(by=by)
    entry = draft.entries.get(key="general")
    actions.update_entry(
        entry=entry, by=by, title=entry.title, body=body,
        actions=entry.actions, citations=entry.citations,
    )  # fmt: skip
    return draft


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
    caches["rendered"].clear()
    yield calls
    cache.clear()
    caches["rendered"].clear()


def test_a_published_entry_is_rendered_once(v2, renders, django_assert_num_queries):
    first = body_html(entries_by_key(v2)["general"])
    assert renders == {"markdown": 1, "sanitiser": 1}
    with django_assert_num_queries(0):  # its entries are kept too
        again = body_html(entries_by_key(v2)["general"])
    assert again == first
    assert renders == {"markdown": 1, "sanitiser": 1}


def test_a_new_published_version_shows_its_new_text(v2, guidance_admin, renders):
    old = body_html(entries_by_key(v2)["general"])
    draft = draft_saying("**Rest** for a day.", by=guidance_admin)
    actions.publish(draft=draft, summary="Shorter advice", by=guidance_admin)
    new = body_html(entries_by_key(published_version())["general"])
    assert new == "<p><strong>Rest</strong> for a day.</p>"
    assert new != old
    v2.refresh_from_db()
    assert body_html(entries_by_key(v2)["general"]) == old  # the retired version is unchanged


def test_a_drafts_changed_text_is_rendered_afresh(v2, guidance_admin, renders):
    published = body_html(entries_by_key(v2)["general"])
    unchanged = actions.create_draft(by=guidance_admin)
    assert body_html(entries_by_key(unchanged)["general"]) == published
    assert renders["markdown"] == 1  # the draft's text is the published text: kept
    draft = draft_saying("Changed *now*.", by=guidance_admin)  # the same draft, changed
    assert body_html(entries_by_key(draft)["general"]) == "<p>Changed <em>now</em>.</p>"
    assert renders["markdown"] == 2
    assert body_html(entries_by_key(v2)["general"]) == published
    assert renders["markdown"] == 2


def test_the_same_text_renders_the_same_html_once_and_other_text_its_own(renders):
    first = guidance.render_markdown("Call the **spinal team**.")
    assert guidance.render_markdown("Call the **spinal team**.") == first
    assert renders == {"markdown": 1, "sanitiser": 1}
    other = guidance.render_markdown("Call the **spinal team** now.")
    assert other == "<p>Call the <strong>spinal team</strong> now.</p>" != first
    cleaned = guidance.render_markdown("<script>x</script>\n\nHi")
    assert "script" not in cleaned and "<p>Hi</p>" in cleaned
    assert guidance.render_markdown("<script>x</script>\n\nHi") == cleaned  # kept sanitised
    assert renders == {"markdown": 3, "sanitiser": 3}


def test_a_published_entry_is_read_once_and_a_drafts_each_time(
    v2, guidance_admin, renders, django_assert_num_queries
):
    first = guidance.frozen_entry(v2, "general")
    with django_assert_num_queries(0):
        again = guidance.frozen_entry(v2, "general")
        assert guidance.frozen_entry(None, "general") is None
    assert again.pk == first.pk and again.body == first.body and again.version is v2
    assert guidance.frozen_entry(v2, "no.such.key") is None
    with django_assert_num_queries(0):
        assert guidance.frozen_entry(v2, "no.such.key") is None
    draft = draft_saying("Changed *now*.", by=guidance_admin)
    with django_assert_num_queries(1):
        assert guidance.frozen_entry(draft, "general").body == "Changed *now*."


def test_the_editor_reads_an_entry_with_its_version_in_one_query(
    v2, guidance_admin, django_assert_num_queries
):
    from triage.access import guidance_entry_for

    draft = actions.create_draft(by=guidance_admin)
    with django_assert_num_queries(1):
        entry = guidance_entry_for(draft.pk, "general")
        assert entry.version == draft and entry.version.based_on == v2
        assert entry.version.created_by == guidance_admin
    assert entry == draft.entries.get(key="general")
    assert guidance_entry_for(draft.pk, "no.such.key") is None
    assert guidance_entry_for(v2.pk, "general") == v2.entries.get(key="general")
    assert guidance_entry_for(-5, "general") is None
    assert guidance_entry_for(draft.pk, "gen\x00eral") is None  # not sent to the database


def test_a_frozen_versions_entries_are_read_once_per_process_and_a_drafts_each_time(
    v2, guidance_admin, django_assert_num_queries
):
    first = guidance.version_entries(v2)
    with django_assert_num_queries(0):
        again = guidance.version_entries(v2)
    assert [e.pk for e in again] == [e.pk for e in first] and all(e.version is v2 for e in again)
    assert again is not first  # the caller's own list
    draft = draft_saying("Changed *now*.", by=guidance_admin)
    for _ in range(2):
        with django_assert_num_queries(1):
            assert entries_by_key(draft)["general"].body == "Changed *now*."


def test_only_a_few_frozen_versions_are_kept(v2, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(guidance, "KEPT_VERSIONS", 2)
    monkeypatch.setattr(guidance, "KEPT_ENTRIES", {})

    def version(number: int) -> GuidanceVersion:  # v2's entries, as another version's
        return GuidanceVersion(
            pk=v2.pk, status=v2.status, created_at=v2.created_at.replace(microsecond=number)
        )

    for number in range(5):
        guidance.version_entries(version(number))
        assert len(guidance.KEPT_ENTRIES) <= 2
    with django_assert_num_queries(0):
        guidance.version_entries(version(4))
    with django_assert_num_queries(1):
        guidance.version_entries(version(0))
