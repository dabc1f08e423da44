"""Form controls, rendered at a fraction of a template's cost.

`select`: the neuro exam shows two dozen selects of up to seven options each; drawn by a
template, every option is a template render of its own, which made the selects the page's
largest cost. The tag writes the same markup as the template it replaced, escaped by
`format_html`.

`check_boxes`: every check box of a multiple-choice field, likewise without a template.

`as_form_field`: crispy's `as_crispy_field`, rendered once per process for a field of a form
holding no posted data, under a key made of everything the field's markup is drawn from
(`field_key`); a field of posted data (its value and errors the request's own) is rendered each
time.

`hidden_input`: a hidden field's input, likewise without a template.

`form_fields`: several fields of a form as `as_form_field` draws them, drawn once per process
for the same form key (`triage.forms.rendering`): one look-up for the group instead of a key
worked out for each field (the record's sign-off, override, discharge and addendum forms).
"""

from __future__ import annotations

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.core.cache import caches
from django.forms import BoundField
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from triage.content_digest import digest
from triage.forms.choices import ListedModelChoiceField
from triage.forms.rendering import RenderedOnce

register = template.Library()
TEMPLATE_PACK = "bootstrap5"

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


@register.simple_tag
def check_boxes(field: BoundField, label_class: str) -> SafeString:
    """Every check box of a multiple-choice field, each in its label (of `label_class`), as
    Django's widget writes each box (`option.tag()`), in one pass: the treated levels are 25,
    and Django makes each box's attributes anew (a copy of the widget's per box). The
    attributes the boxes share are escaped once; each box adds its id, value and tick."""
    widget = field.field.widget
    auto_id = widget.attrs.get("id") or field.auto_id
    attrs = widget.build_attrs(
        widget.attrs, field.build_widget_attrs({"id": auto_id} if auto_id else {})
    )
    names = list(attrs)
    split = names.index("id") if auto_id else len(names)
    before = attributes({name: attrs[name] for name in names[:split]})
    after = attributes({name: attrs[name] for name in names[split + 1 :]})
    ticked = set(widget.format_value(field.value()))
    opening = f'<label class="{escape(label_class)}" for="'
    name = escape(field.html_name)
    boxes = []
    for index, (value, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        box_id = escape(f"{auto_id}_{index}") if auto_id else ""
        where = f' id="{box_id}"' if auto_id else ""
        tick = " checked" if str(value) in ticked else ""
        value, label = conditional_escape(value), conditional_escape(label)
        boxes.append(
            f'{opening}{box_id}"><input type="checkbox" name="{name}" value="{value}"'
            f"{before}{where}{after}{tick}><span>{label}</span></label>"
        )
    return mark_safe("".join(boxes))  # noqa: S308 - every value above is escaped


def field_key(field: BoundField) -> str | None:
    """Everything `as_crispy_field` draws the field from, as a key; None when it cannot be
    told without rendering (posted data, choices read from the database; a listed choice's
    options are in the key)."""
    form, control = field.form, field.field
    if form.is_bound or (
        isinstance(control, forms.ModelChoiceField)
        and not isinstance(control, ListedModelChoiceField)
    ):
        return None
    widget = control.widget
    helper = getattr(form, "helper", None)
    parts: tuple[Any, ...] = (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        getattr(form, "required_css_class", None),
        getattr(form, "error_css_class", None),
        field.name,
        field.value(),
        control.label,
        control.help_text,
        control.required,
        control.disabled,
        control.show_hidden_initial,
        control.localize,
        type(control).__qualname__,
        type(widget).__module__,
        type(widget).__qualname__,
        sorted(widget.attrs.items()),
        vars(widget).get("input_type"),
        vars(widget).get("format"),
        list(getattr(widget, "choices", ())),
        list(getattr(control, "choices", ())),
        None if helper is None else sorted(helper.get_attributes(TEMPLATE_PACK).items()),
        None if helper is None else helper.field_template,
    )
    return "field:" + digest(parts)


@register.filter
def as_form_field(field: BoundField) -> SafeString:
    """`as_crispy_field`, rendered once for the same field, label, value and choices."""
    key = field_key(field)
    if key is None:
        return mark_safe(as_crispy_field(field))  # noqa: S308 - crispy's own escaped markup
    rendered = caches["rendered"].get(key)
    if rendered is None:
        rendered = str(as_crispy_field(field))
        caches["rendered"].set(key, rendered, None)
    return mark_safe(rendered)  # noqa: S308 - crispy's own escaped markup, as rendered


@register.simple_tag
def form_fields(form: forms.BaseForm, names: str) -> SafeString:
    """The fields `names` (separated by spaces) of `form`, each as `as_form_field` draws it:
    drawn once for the same form key when the form has one (`RenderedOnce.rendering_key`)."""
    drawn = names.split()
    key = form.rendering_key(drawn) if isinstance(form, RenderedOnce) else None
    if key is None:
        return mark_safe("\n".join(as_form_field(form[name]) for name in drawn))  # noqa: S308
    kept_as = "fields:" + digest((key, drawn))
    rendered = caches["rendered"].get(kept_as)
    if rendered is None:
        rendered = "\n".join(as_form_field(form[name]) for name in drawn)
        caches["rendered"].set(kept_as, rendered, None)
    return mark_safe(rendered)  # noqa: S308 - crispy's own escaped markup, as rendered


@register.simple_tag
def hidden_input(field: BoundField) -> SafeString:
    """A hidden field's input as Django's widget writes it, without its two templates (0.05 ms:
    the record's and the result page's one-off submission ids)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)  # as `BoundField.as_widget` makes them
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    value = widget.format_value(field.value())
    shown = "" if value is None else format_html(' value="{}"', value)
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget.input_type,
        field.html_name,
        shown,
        attributes(attrs),
    )
