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

from dataclasses import fields, is_dataclass
from hashlib import sha256
from typing import Any

from django.db.models import Model


def content(value: Any, seen: frozenset[int] = frozenset()) -> Any:
    """The value as nested tuples of plain values (what `repr` writes faithfully)."""
    if id(value) in seen:  # a related row pointing back (a one-to-one's reverse side)
        return ("<back>", type(value).__qualname__)
    inner = seen | {id(value)}
    if isinstance(value, Model):
        columns = {name: v for name, v in vars(value).items() if name != "_state"}
        related = value._state.fields_cache
        return (
            value._meta.label,
            tuple((name, content(v, inner)) for name, v in sorted(columns.items())),
            tuple((name, content(v, inner)) for name, v in sorted(related.items())),
        )
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple((f.name, content(getattr(value, f.name), inner)) for f in fields(value)),
        )
    if isinstance(value, dict):
        return tuple(sorted((repr(k), content(v, inner)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(content(item, inner) for item in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((content(item, inner) for item in value), key=repr)))
    return repr(value)


def digest(value: Any) -> str:
    """A hex SHA-256 of the value's whole `content`."""
    return sha256(repr(content(value)).encode()).hexdigest()
