"""The sign-in lockout (django-axes): whose attempts count together, and what the page says.

A lockout is for one user name from one address together (settings: AXES_LOCKOUT_PARAMETERS).

Behind a TLS proxy every request comes from the proxy's address, so a lockout by address alone
would lock out the whole hospital. The address a proxy reports (`X-Forwarded-For`) is believed
only when the request comes from a proxy named in `TRUSTED_PROXIES`; otherwise anyone could
claim any address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The right-most address in X-Forwarded-For that is not a trusted proxy, when the request
    came from a trusted proxy; otherwise the connection's own address."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(forwarded):
        if hop and hop not in trusted:
            return hop
    return remote


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any) -> HttpResponse:
    """The page shown while sign-in is paused: for whom, for how long, and who is not affected."""
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": settings.LOCKOUT_MINUTES},
        status=429,
    )
