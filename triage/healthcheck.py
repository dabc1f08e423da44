"""The container's health probe: `python -m triage.healthcheck` (docker-compose.yml's `web`).

It asks this machine's server for /healthz over plain HTTP with a Host header the settings
allow (from ALLOWED_HOSTS), so production's host check passes; /healthz is exempt from the
https redirect (SECURE_REDIRECT_EXEMPT), and a redirect is never followed. Exit 0 when the
answer is 200 (the app and its database are up), 1 otherwise, saying why in one line. Imports
nothing from Django: it runs every few seconds.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def probe_host(allowed_hosts: str) -> str:
    """A host name the server accepts, from the ALLOWED_HOSTS variable.

    >>> probe_host("triage.example.org, triage.internal")
    'triage.example.org'
    >>> probe_host(".example.org")  # a leading dot allows the domain and its subdomains
    'example.org'
    >>> probe_host("*")
    'localhost'
    """
    first = next((host.strip() for host in allowed_hosts.split(",") if host.strip()), "*")
    return "localhost" if first == "*" else first.lstrip(".")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # a redirect is an answer to report, not an address to visit


def main() -> int:
    port = os.environ.get("HEALTHCHECK_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": probe_host(os.environ.get("ALLOWED_HOSTS", ""))},
    )
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=4) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"unhealthy: no answer from port {port} ({error})")
        return 1
    if status != 200:
        print(f"unhealthy: /healthz answered {status}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
