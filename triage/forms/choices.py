"""A choice of model rows the view already holds (a user's wards, read with the signed-in
user): its options and the check of the chosen one need no query.

Django's ModelChoiceField reads its options through `QuerySet.iterator()` (on PostgreSQL a
server-side cursor: DECLARE, FETCH and CLOSE, three round trips) and the chosen one with
another query; and options read from the database cannot key a rendered field. Here the
options are a list: the rendered field is keyed by them (`form_tags.field_key`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator


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

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        for option in self.options:
            if str(option.pk) == str(value):
                return option
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
