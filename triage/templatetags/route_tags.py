"""`{% route 'name' %}`, `{% route 'name' pk=encounter.pk %}`: the address of a view, as
`{% url %}` writes it, worked out once per process for each view (`triage.addresses`) rather
than reversed on every render. It takes keyword arguments only, and `as` a variable."""

from __future__ import annotations

from typing import Any

from django import template

from triage.addresses import address

register = template.Library()


@register.simple_tag
def route(name: str, **kwargs: Any) -> str:
    return address(name, **kwargs)
