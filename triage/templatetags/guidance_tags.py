"""Guidance in templates: `{% load guidance_tags %}`.

- `{{ entry|body_html }}`: the sanitised HTML of an entry's guidance text.
- `{{ text|markdown }}`: the sanitised HTML of any guidance Markdown (each rendered once per
  process for each text: `guidance.render_markdown`).
- `{{ entry.actions|lines }}`: the recommended actions, one per line.
- `{% guidance_entry "pathway.transient_pain" version as entry %}`: one entry of a version.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from triage.guidance import action_lines, body_html, entries_by_key, render_markdown
from triage.models import GuidanceEntry, GuidanceVersion

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter(name="body_html")
def body_html_filter(entry: GuidanceEntry) -> SafeString:
    return body_html(entry)


@register.filter
def lines(text: str) -> list[str]:
    return action_lines(text)


@register.simple_tag(takes_context=True)
def guidance_entry(context, key: str, version: GuidanceVersion | None) -> GuidanceEntry | None:
    """The entry for `key` in `version`; a page looking up several keys reads the version once."""
    if version is None:
        return None
    cache = context.render_context.setdefault("guidance_entries", {})
    if version.pk not in cache:
        cache[version.pk] = entries_by_key(version)
    return cache[version.pk].get(key)
