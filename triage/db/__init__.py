"""Database configuration: a server named by DATABASE_URL, or the embedded PostgreSQL."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def database_from_url(url: str) -> dict:
    """Turn `postgres://user:password@host:port/name?sslmode=require` into a Django DATABASES entry.

    >>> database_from_url("postgres://postgres@127.0.0.1:5432/postgres")["HOST"]
    '127.0.0.1'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (this product runs only on PostgreSQL), "
            f"not {parts.scheme or 'an empty scheme'}://"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. .../triage")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


def owner_from_url(url: str, application: dict) -> dict[str, str]:
    """The owner's login from DATABASE_OWNER_URL, which must name the application's database."""
    owner = database_from_url(url)
    same = ("NAME", "HOST", "PORT")
    if any(owner[key] != application[key] for key in same):
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL must name the same server and database as DATABASE_URL "
            "(only the user and password differ)."
        )
    return {"USER": owner["USER"], "PASSWORD": owner["PASSWORD"]}
