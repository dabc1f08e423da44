"""The server's entry point: the application, with what it loaded kept out of the collector."""

from __future__ import annotations

import gc
import importlib
import sys


def test_the_entry_point_freezes_what_it_loaded_before_serving(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.delitem(sys.modules, "triage.wsgi", raising=False)

    module = importlib.import_module("triage.wsgi")

    assert calls == ["freeze"]
    assert module.application.__class__.__name__ == "WSGIHandler"
