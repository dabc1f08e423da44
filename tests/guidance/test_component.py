"""The guidance component the result, review, version and editor pages all include."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.html import escape

from triage.clinical import GUIDANCE_KEYS
from triage.guidance import action_lines, render_markdown
from triage.models import GuidanceEntry, GuidanceVersion

TEMPLATE = Template(
    "{% load guidance_tags %}{% guidance_entry key version as entry %}"
    '{% include "_components/guidance_block.html" with entry=entry version=version %}'
)


@pytest.mark.django_db
def test_it_renders_one_entry_of_a_version(v2):
    html = TEMPLATE.render(Context({"key": "general", "version": v2}))
    entry = v2.entries.get(key="general")
    assert 'data-guidance-entry="general"' in html
    assert f"Local guidance: {entry.title}" in html and "(version 2)" in html
    assert "<li>Arrange early follow-up of pain, mobility and analgesic needs</li>" in html
    assert (
        'Source <a href="/sources/#source-1">[1]</a>, <a href="/sources/#source-2">[2]</a>' in html
    )
    assert "<details" in html and " open" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("key", GUIDANCE_KEYS)
def test_every_shipped_key_renders_through_the_component(v2, key):
    html = TEMPLATE.render(Context({"key": key, "version": v2}))
    entry = v2.entries.get(key=key)
    assert f'data-guidance-entry="{key}"' in html
    assert f"Local guidance: {escape(entry.title)} <span" in html and "(version 2)" in html
    assert str(render_markdown(entry.body)) in html
    assert html.count("<li>") >= len(action_lines(entry.actions)) >= 1
    for action in action_lines(entry.actions):
        assert f"<li>{escape(action)}</li>" in html
    sources = ", ".join(f'<a href="/sources/#source-{n}">[{n}]</a>' for n in entry.citations)
    if entry.citations:
        assert f'app-guidance-sources">Source {sources}</p>' in html
    else:
        assert "app-guidance-sources" not in html


def test_it_sanitises_an_unsaved_entry_and_can_be_shown_open():
    entry = GuidanceEntry(
        key="general",
        title="<b>Title</b>",
        body="**Bold** <img src=x onerror=alert(1)>",
        actions="One\n\n<script>Two</script>",
        citations=[],
    )
    html = Template('{% include "_components/guidance_block.html" %}').render(
        Context({"entry": entry, "version": None, "open": True})
    )
    assert "<strong>Bold</strong>" in html and "<img" not in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html
    assert "<li>&lt;script&gt;Two&lt;/script&gt;</li>" in html
    assert "Source" not in html and " open>" in html


def test_nothing_is_rendered_without_an_entry():
    assert (
        Template('{% include "_components/guidance_block.html" %}')
        .render(Context({"entry": None}))
        .strip()
        == ""
    )


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("title", "Another title", "Local guidance: Another title"),
        ("body", "Another **body**", "Another <strong>body</strong>"),
        ("actions", "Another action", "<li>Another action</li>"),
        ("citations", [3], 'href="/sources/#source-3">[3]</a>'),
        ("key", "pathway.transient_pain", 'data-guidance-entry="pathway.transient_pain"'),
    ],
)
def test_a_kept_block_is_drawn_again_when_anything_it_shows_changes(column, value, shown):
    """The block is drawn once for what it shows: each column, the version's number and
    whether it is open; the same entry again is the same block."""
    columns = {
        "key": "general",
        "title": "Title",
        "body": "Body",
        "actions": "One",
        "citations": [1],
    }
    entry = GuidanceEntry(**columns)
    block = Template('{% include "_components/guidance_block.html" %}')

    def drawn(entry: GuidanceEntry, **context) -> str:
        return block.render(Context({"entry": entry, "version": None, **context}))

    first = drawn(entry)
    assert drawn(entry) == first
    assert shown not in first
    assert shown in drawn(GuidanceEntry(**{**columns, column: value}))
    assert " open>" in drawn(entry, open=True) and " open>" not in drawn(entry)
    assert "(version 2)" in drawn(entry, version=GuidanceVersion(number=2))
    assert "(version 3)" in drawn(entry, version=GuidanceVersion(number=3))
