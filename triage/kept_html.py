"""Pieces of HTML kept per process under a key that is a digest of everything they show
(`content_digest`), so a kept piece is never stale and never another's: a list's pieces are
looked up at once, and only those not kept are rendered (all at once) and kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe


def kept_pieces(
    alias: str, keys: Sequence[str], render: Callable[[list[int]], list[str]]
) -> list[SafeString]:
    """The HTML kept under each key in the cache `alias`, in order. `render(missing)` renders
    the pieces at those positions (escaped by their templates), in that order, when some are
    not kept; they are kept under their keys for good (the cache bounds its entries)."""
    cache = caches[alias]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        rendered = dict(zip([keys[index] for index in missing], render(missing), strict=True))
        cache.set_many(rendered, None)
        found.update(rendered)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 - escaped by their templates
