"""No page of the product is kept by a browser or a proxy cache.

Almost every page carries patient data, and ward PCs are shared: after sign-out, the Back button
or a cache must not show what the last user saw. So every response Django makes (static files
are served before this, and cached as usual) says `no-store`, unless its view chose otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
