"""The guidance component the result, review, version and editor pages all include."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from triage.models import GuidanceEntry

TEMPLATE = Template(
    "{% load guidance_tags %}{% guidance_entry key version as entry %}"
    '{% include "_components/guidance_block.html" with entry=entry version=version %}'
)


@pytest.mark.django_db
def test_it_renders_one_entry_of_a_version(v1):
    html = TEMPLATE.render(Context({"key": "general", "version": v1}))
    entry = v1.entries.get(key="general")
    assert 'data-guidance-entry="general"' in html
    assert f"Local guidance: {entry.title}" in html and "(version 1)" in html
    assert "<li>Arrange early follow-up of pain, mobility and analgesic needs</li>" in html
    assert "Source [1], [2], [6], [7]" in html
    assert "<details" in html and " open" not in html


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
