"""The digest of a value's whole content: the key under which HTML that shows only that value
is rendered once per process and reused ("rendered" cache: list rows, observation charts;
"handovers": SBARs; "steps": form fields). Two values share a digest only when everything in
them is equal, so a cached rendering is never served for another patient's data, and anything
that changes what it shows changes its key.

The value is written out with `pickle` (never read back): every attribute of every object in
it, with its class (every column read of a model instance and the related rows read with it,
every field of a dataclass, every item of a list, tuple, set or dict), exactly and in C, three
times faster than walking it in Python. A model instance is written as its attributes (its
columns, annotations and prefetched rows) and the related rows read with it, without the
copies Django's own pickling makes (40% faster); a named tuple as its class and items; a
UUID as its number; a lazy text (a form field's label) as the text it gives. A moment is
written as pickle writes it, in C: its date, time and time zone (three times faster than as
its ISO 8601 text, which a list of rows held dozens of). Equal values may be written
differently (a set's order, one object met twice where the other has two equal ones, one
moment in two time zones): that costs a rendering, never a wrong one.
What a rendering shows from elsewhere (the time now, the user) must be part of the value.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from datetime import datetime
from hashlib import sha256
from typing import Any
from uuid import UUID

from django.db.models import Model
from django.db.models.base import ModelState
from django.utils.functional import Promise


def _as_number(obj: UUID) -> Any:
    return UUID, (None, None, None, None, obj.int)  # UUID's own pickling runs in Python


def _as_given(obj: Promise) -> Any:
    return str, (str(obj),)  # a lazy text (a field's label): the text it gives now


def _as_attributes(obj: Model) -> Any:
    return type(obj), (obj.__dict__,)  # without Django's copies


def _as_related(obj: ModelState) -> Any:
    return ModelState, (obj.fields_cache,)  # of its state, the related rows read with it


def _as_items(obj: tuple) -> Any:
    return type(obj), tuple(obj)  # a named tuple's own pickling runs in Python


def _as_pickled(obj: Any) -> Any:
    return NotImplemented


# How each type met so far is written: decided once per type (the first object of a type
# pays for the subclass checks, every later one for a dictionary look-up).
_WRITERS: dict[type, Callable[[Any], Any]] = {
    UUID: _as_number,
    datetime: _as_pickled,
    ModelState: _as_related,
}


def _writer_for(kind: type) -> Callable[[Any], Any]:
    if issubclass(kind, Promise):
        return _as_given
    if issubclass(kind, Model):
        return _as_attributes
    if issubclass(kind, ModelState):
        return _as_related
    if issubclass(kind, tuple) and kind.__dictoffset__ == 0:  # a named tuple: its items are all
        return _as_items
    return _as_pickled


class _Writer(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        write = _WRITERS.get(kind)
        if write is None:
            write = _WRITERS[kind] = _writer_for(kind)
        return write(obj)


def digest(value: Any) -> str:
    """A hex SHA-256 of the value written out whole."""
    out = io.BytesIO()
    _Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return sha256(out.getbuffer()).hexdigest()
