"""A choice of model rows the view already holds (a user's wards, read with the signed-in
user): its options and the check of the chosen one need no query.

Django's ModelChoiceField reads its options through `QuerySet.iterator()` (on PostgreSQL a
server-side cursor: DECLARE, FETCH and CLOSE, three round trips) and the chosen one with
another query; and options read from the database cannot key a rendered field. Here the
options are a list: the rendered field is keyed by them (`form_tags.field_key`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelChoiceIterator, ModelFormMetaclass
from django.forms.widgets import ChoiceWidget


class ListedChoices(ModelChoiceIterator):
    field: ListedModelChoiceField

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.options) + (self.field.empty_label is not None)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are `options` (a list), not a queryset's rows."""

    iterator = ListedChoices

    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        super().__init__(queryset=model._default_manager.none(), **kwargs)
        self.options: Sequence[Model] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> ListedModelChoiceField:
        """A copy for one form as Django makes it (`own_copy`: its own widget, attributes,
        messages and validators), without the copy of the queryset Django makes (never read:
        the options are the form's, given after); its widget offers the copy's options."""
        copied = own_copy(self)
        copied.widget.choices = copied.choices
        return copied

    def offered(self) -> list[tuple[Any, str]]:
        """Each option as the field offers it: its id and its label (what keys the field as
        drawn, `RenderedOnce`)."""
        return [(option.pk, self.label_from_instance(option)) for option in self.options]

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        for option in self.options:
            if str(option.pk) == str(value):
                return option
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


AnyField = TypeVar("AnyField", bound=forms.Field)
Copied = TypeVar("Copied")


def _shallow(instance: Copied) -> Copied:
    """What `copy.copy` makes of a field or a widget (a new instance of its class holding the
    same attributes), without its generic way there (`__reduce_ex__`): a quarter of the cost.
    Neither Django's fields nor its widgets define their own shallow copy or state."""
    kind = type(instance)
    copied = kind.__new__(kind)
    copied.__dict__.update(instance.__dict__)
    return copied


def own_copy(field: AnyField) -> AnyField:
    """A copy of `field` for one form, as Django copies a form's declared fields for each form
    (`Field.__deepcopy__`: its own widget, widget attributes, messages and validators), but for
    a choice field's choices, which are shared: nothing changes them in place. Django's deep
    copy walks every choice (30 µs a field of a dozen choices)."""
    copied = _shallow(field)
    copied.widget = _shallow(field.widget)
    copied.widget.attrs = dict(field.widget.attrs)
    copied.error_messages = dict(field.error_messages)
    copied.validators = list(field.validators)
    return copied


def _copy_of(kind: type) -> Any:
    return getattr(kind, "__deepcopy__", None)


# The copies of a field and of a widget that `own_copy` makes as Django does (a choice field's
# choices aside, shared): any field or widget whose class copies it otherwise (a field of
# several fields, a multi-widget, a choice of model rows) is copied as its class says.
PLAIN_FIELD_COPIES = (_copy_of(forms.Field), _copy_of(forms.ChoiceField))
PLAIN_WIDGET_COPIES = (_copy_of(forms.Widget), _copy_of(ChoiceWidget))


def _copied_plainly(field: forms.Field) -> bool:
    return (
        _copy_of(type(field)) in PLAIN_FIELD_COPIES
        and _copy_of(type(field.widget)) in PLAIN_WIDGET_COPIES
    )


class SharedChoices(dict[str, forms.Field]):
    """A form class's declared fields. Django copies them whole for each form
    (`BaseForm.__init__` deep-copies `base_fields`); here each field is copied by `own_copy`
    (a choice field sharing its declared choices), and any field or widget of a class with a
    copy of its own as that class copies it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {
            name: own_copy(field) if _copied_plainly(field) else copy.deepcopy(field, memo)
            for name, field in self.items()
        }


class SharedChoicesMetaclass(DeclarativeFieldsMetaclass):
    """The metaclass of forms whose choice fields share their declared choices across every
    form of the class (`SharedChoices`): a form's fields cost a fifth of Django's copy."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        form_class = super().__new__(mcs, name, bases, attrs)
        form_class.base_fields = SharedChoices(form_class.base_fields)  # type: ignore[attr-defined]
        return form_class


class SharedChoicesModelFormMetaclass(SharedChoicesMetaclass, ModelFormMetaclass):
    """`SharedChoicesMetaclass` for a model form: its fields (the model's and those it
    declares) as `ModelFormMetaclass` makes them, then shared as there."""
