"""`content_key`: the key of a fragment cached with `{% cache %}`, made of the value itself
(`triage.content_digest`): it changes whenever anything the fragment may show changes.

A list row rendered by a template (a queue row: patient, ward, escalation, flags, nurse, times,
status) costs a quarter of a millisecond; read again from the "rendered" cache, a few
microseconds. A fragment keyed on it may show only what comes from that value (not the time
now, not the user): anything else must be in the key as well.
"""

from __future__ import annotations

from typing import Any

from django import template

from triage.content_digest import digest

register = template.Library()


@register.filter
def content_key(value: Any) -> str:
    return digest(value)
