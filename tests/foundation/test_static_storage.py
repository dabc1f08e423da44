"""Static file addresses in production: the manifest's hashed names, each worked out once."""

from __future__ import annotations

import pytest

from triage.static_storage import StaticFilesStorage


def storage_with_manifest(tmp_path, names: dict[str, str]) -> StaticFilesStorage:
    writer = StaticFilesStorage(location=tmp_path, base_url="/static/")
    writer.hashed_files = {writer.hash_key(name): hashed for name, hashed in names.items()}
    writer.save_manifest()
    return StaticFilesStorage(location=tmp_path, base_url="/static/")  # reads the manifest


def test_a_static_address_is_the_manifests_hashed_name_worked_out_once(tmp_path, settings):
    settings.DEBUG = False
    storage = storage_with_manifest(tmp_path, {"css/app.css": "css/app.0123abcd.css"})
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"
    storage.hashed_files.clear()  # the manifest as read is no longer asked
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_still_an_error_every_time(tmp_path, settings):
    settings.DEBUG = False
    storage = storage_with_manifest(tmp_path, {"css/app.css": "css/app.0123abcd.css"})
    for _ in range(2):
        with pytest.raises(ValueError, match="css/gone.css"):
            storage.url("css/gone.css")
