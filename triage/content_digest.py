"""The digest of a value's whole content: the key under which HTML that shows only that value
is rendered once per process and reused ("rendered" cache: list rows, observation charts, SBAR
sections). Two values share a digest only when everything in them is equal, so a cached
rendering is never served for another patient's data, and anything that changes what it shows
changes its key.

Covered: every column read of a model instance (and the related rows read with it), every
field of a dataclass, every item of a list, tuple, set or dict, and plain values by `repr`.
What a rendering shows from elsewhere (the time now, the user) must be part of the value.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from hashlib import sha256
from typing import Any
from uuid import UUID

from django.db.models import Model

# Values written by `repr` as they are (checked by exact type: a subclass may carry more).
PLAIN = frozenset(
    {str, int, float, bool, type(None), Decimal, datetime, date, time, timedelta, UUID}
)


@cache
def dataclass_fields(cls: type) -> tuple[str, ...] | None:
    """The names of a dataclass's fields, None for any other class (once per class)."""
    if not hasattr(cls, "__dataclass_fields__"):
        return None
    return tuple(f.name for f in fields(cls))


def content(value: Any, seen: set[int] | None = None) -> Any:
    """The value as nested tuples of plain values (what `repr` writes faithfully)."""
    kind = type(value)
    if kind in PLAIN:
        return repr(value)
    if seen is None:
        seen = set()
    if id(value) in seen:  # a related row pointing back (a one-to-one's reverse side)
        return ("<back>", kind.__qualname__)
    seen.add(id(value))
    try:
        return composite(value, kind, seen)
    finally:
        seen.discard(id(value))


def composite(value: Any, kind: type, seen: set[int]) -> Any:
    if isinstance(value, Model):
        columns = sorted((name, v) for name, v in vars(value).items() if name != "_state")
        related = sorted(value._state.fields_cache.items())
        return (
            value._meta.label,
            tuple((name, content(v, seen)) for name, v in columns),
            tuple((name, content(v, seen)) for name, v in related),
        )
    names = dataclass_fields(kind)
    if names is not None:
        values = tuple((name, content(getattr(value, name), seen)) for name in names)
        return (kind.__qualname__, values)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), content(v, seen)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (kind.__name__, tuple(content(item, seen) for item in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((content(item, seen) for item in value), key=repr)))
    return repr(value)


def digest(value: Any) -> str:
    """A hex SHA-256 of the value's whole `content`."""
    return sha256(repr(content(value)).encode()).hexdigest()
