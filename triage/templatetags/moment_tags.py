"""`moment`: a moment as the product writes it (`triage.moments`), in a template:
`{{ round.submitted_at|moment }}`, `{{ point.at|moment:"short" }}`."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from triage.moments import Style, moment_text

register = template.Library()


@register.filter
def moment(value: datetime | date | None, style: Style = "full") -> str:
    return moment_text(value, style)
