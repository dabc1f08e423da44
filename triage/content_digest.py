"""The digest of a value's whole content: the key under which HTML that shows only that value
is rendered once per process and reused ("rendered" cache: list rows, observation charts, SBAR
sections; "steps" cache: form fields). Two values share a digest only when everything in them
is equal, so a cached rendering is never served for another patient's data, and anything that
changes what it shows changes its key.

The value is written out with `pickle` (never read back): every attribute of every object in
it, with its class (every column read of a model instance and the related rows read with it,
every field of a dataclass, every item of a list, tuple, set or dict), exactly and in C, three
times faster than walking it in Python. A model instance is written as its attributes (its
columns, annotations and prefetched rows) and the related rows read with it, without the
copies Django's own pickling makes (40% faster); a UUID as its number; a lazy text (a form
field's label) as the text it gives. Equal values may be written differently (a set's order,
one object met twice where the other has two equal ones): that costs a rendering, never a
wrong one. What a rendering shows from elsewhere (the time now, the user) must be part of
the value.
"""

from __future__ import annotations

import io
import pickle
from hashlib import sha256
from typing import Any
from uuid import UUID

from django.db.models import Model
from django.db.models.base import ModelState
from django.utils.functional import Promise


class _Writer(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is UUID:  # its number (UUID's own pickling runs in Python: 10 µs each)
            return UUID, (None, None, None, None, obj.int)
        if isinstance(obj, Promise):  # a lazy text (a field's label): the text it gives now
            return str, (str(obj),)
        if isinstance(obj, Model):  # its attributes as they are, without Django's copies
            return type(obj), (obj.__dict__,)
        if isinstance(obj, ModelState):  # of its state, the related rows read with it
            return ModelState, (obj.fields_cache,)
        return NotImplemented


def digest(value: Any) -> str:
    """A hex SHA-256 of the value written out whole."""
    out = io.BytesIO()
    _Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return sha256(out.getbuffer()).hexdigest()
