"""The address of a view, as `reverse` writes it, worked out once per process for each view
rather than on every call (`{% route %}` in templates, `address` in Python).

Django reverses an address anew each time, about 25 µs apiece: a record page links a dozen
views. An address depends only on the view's name, its arguments, the URL map and the prefix
the site is served under. For a view without arguments that is the whole address; for one
whose arguments are ids (a UUID, a whole number), the address is reversed once with stand-in
values and each later one is that address with the stand-ins replaced by the values' text,
which is what the `uuid` and `int` path converters write. Any other argument (a slug, a text)
is reversed by Django each time, as before.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins no address holds otherwise (checked: each must appear exactly once).
_STAND_INS: dict[type, Any] = {
    uuid.UUID: uuid.UUID("5ee1d5ee-d5ee-4d5e-8d5e-e1d5eed5ee1d"),
    int: 8_675_309_217,
}


# The prefix the site is served under is in each look-up's key: `reverse` writes it.
@cache
def _whole(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


@cache
def _form(
    name: str, kinds: tuple[tuple[str, type], ...], prefix: str, urlconf: str
) -> tuple[str, tuple[str, ...]] | None:
    """The view's address with `{}` where each argument goes, and the arguments in that
    order; None when the stand-ins cannot be told apart in it (then `reverse` each time)."""
    stand_ins = {key: _STAND_INS[kind] for key, kind in kinds}
    written = reverse(name, kwargs=stand_ins, urlconf=urlconf)
    if any(written.count(str(value)) != 1 for value in stand_ins.values()):
        return None
    places = {key: written.find(str(value)) for key, value in stand_ins.items()}
    order = tuple(sorted(places, key=places.__getitem__))
    form = written.replace("{", "{{").replace("}", "}}")
    for key in order:
        form = form.replace(str(stand_ins[key]), "{}")
    return form, order


def _kind(value: Any) -> type | None:
    if type(value) is uuid.UUID:
        return uuid.UUID
    if type(value) is int and value >= 0:
        return int
    return None


def address(name: str, **kwargs: Any) -> str:
    """`reverse(name, kwargs=kwargs)`, reversed once per process for each view."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    if not kwargs:  # every page's layout links a few such views
        return _whole(name, get_script_prefix(), urlconf)
    kinds = tuple((key, _kind(value)) for key, value in kwargs.items())
    if any(kind is None for _, kind in kinds):
        return reverse(name, kwargs=kwargs, urlconf=urlconf)
    found = _form(name, kinds, get_script_prefix(), urlconf)
    if found is None:
        return reverse(name, kwargs=kwargs, urlconf=urlconf)
    form, order = found
    return form.format(*(kwargs[key] for key in order))
