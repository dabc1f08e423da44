"""`{% route 'name' %}`: the address of a view that takes no arguments, as `{% url 'name' %}`
writes it, reversed once per process rather than on every render.

Every page's layout links half a dozen such views (home, the sections a role may open, the
account's pages, signing out): Django reverses each anew, about 25 µs apiece, a tenth of the
signed-in home page. The address depends only on the name, the URL map and the prefix the site
is served under, which are the cache's key.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@cache
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def route(name: str) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, get_script_prefix(), urlconf)
