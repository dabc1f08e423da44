"""A model choice field whose options are read with one plain query.

Django reads a ModelChoiceField's options through `QuerySet.iterator()`, which on PostgreSQL
opens a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a handful of
wards. The wards a user works on are few, so one ordinary query reads them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoices(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices
