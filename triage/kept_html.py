"""Pieces of HTML kept per process under a key that is a digest of everything they show
(`content_digest`), so a kept piece is never stale and never another's: a list's pieces are
looked up at once, and only those not kept are rendered (all at once) and kept; and the cache
they are kept in."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.safestring import SafeString


class Unkept(str):
    """A piece rendered from what is newer than its key says (read after the key was worked
    out): shown this once, never kept under that key."""


def kept_pieces(
    alias: str, keys: Sequence[str], render: Callable[[list[int]], list[str]]
) -> list[SafeString]:
    """The HTML kept under each key in the cache `alias`, in order. `render(missing)` renders
    the pieces at those positions (escaped by their templates), in that order, when some are
    not kept; they are kept under their keys for good (the cache bounds its entries), but for
    an `Unkept` piece, each `squeezed`."""
    cache = caches[alias]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        rendered = dict(zip([keys[index] for index in missing], render(missing), strict=True))
        pieces = {key: squeezed(piece) for key, piece in rendered.items()}
        cache.set_many(
            {key: pieces[key] for key, piece in rendered.items() if not isinstance(piece, Unkept)},
            None,
        )
        found.update(pieces)
    return [SafeString(found[key]) for key in keys]  # escaped by their templates


# The space between two tags that holds a line break: the templates' indentation and the
# blank lines their tags leave.
_BETWEEN_TAGS = re.compile(r">[ \t\r\n]*\n[ \t\r\n]*<")


def squeezed(html: str) -> str:
    """The HTML with the space between two tags, where it holds a line break, written as one
    line break: a browser shows it the same (a run of spaces and line breaks between tags is
    one space, and these pieces hold no preformatted text). The bench ward's handover was
    975 KB, a fifth of it indentation, and compressing it for a browser took 7.5 ms; squeezed,
    it is 831 KB and takes 5.6 ms."""
    return _BETWEEN_TAGS.sub(">\n<", html)


class KeptHTMLCache(LocMemCache):
    """Django's local-memory cache for rendered HTML kept under keys this application makes
    (a name and a digest, or a template fragment's): a key is not checked, character by
    character, for what memcached would refuse (the check only warns, and these caches are
    never memcached); it was a fifth of the time a ward board's rows took to be looked up."""

    def validate_key(self, key: str) -> None:
        return None
