"""Static files as whitenoise serves them (compressed, names with their content's hash), each
file's address worked out once per process.

The manifest of hashed names is read when the process starts and does not change while it runs,
and every page asks for the same few style sheets and scripts: Django's storage parses, cleans
and joins each name again on every `{% static %}` (counted: about 700 of the 12,000 Python
calls a wizard step makes)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.addresses: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        address = self.addresses.get(name)
        if address is None:
            address = self.addresses[name] = super().url(name)
        return address
