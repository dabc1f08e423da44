"""A form control the bedside wizard repeats many times on one page, rendered in one pass.

The neuro exam shows two dozen selects of up to seven options each; drawn by a template, every
option is a template render of its own, which made the selects the page's largest cost. The tag
writes the same markup as the template it replaced, escaped by `format_html`.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

SELECTED = SafeString(" selected")


@register.simple_tag
def select(field: BoundField, hidden_label: bool = False) -> SafeString:
    """The field's label, select and errors. `hidden_label`: for screen readers only (a table's
    headers show it to everyone else)."""
    current = str(field.value())
    error_id = f"{field.auto_id}_error"
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SELECTED if str(value) == current else "", label)
            for value, label in field.field.choices  # type: ignore[attr-defined]
        ),
    )
    invalid = (
        format_html(' aria-describedby="{}" aria-invalid="true"', error_id) if field.errors else ""
    )
    return format_html(
        '<label class="{}" for="{}">{}</label>\n'
        '<select name="{}" id="{}" class="form-select{}"{}>\n  {}\n</select>\n{}',
        "visually-hidden" if hidden_label else "form-label",
        field.auto_id,
        field.label,
        field.html_name,
        field.auto_id,
        " is-invalid" if field.errors else "",
        invalid,
        options,
        format_html_join(
            "",
            '<p class="invalid-feedback d-block small" id="{}">{}</p>',
            ((error_id, error) for error in field.errors),
        ),
    )


@register.filter
def attributes(attrs: dict) -> SafeString:
    """A widget's HTML attributes, as Django's and crispy's `attrs.html` write them (a value of
    True is a bare attribute, False leaves it out), without a template render per widget."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )
