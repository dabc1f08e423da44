"""What is kept of forms posted while signed out is bounded: the newest few steps, each of a
bounded size (a session row re-read on every request must not grow without limit)."""

from __future__ import annotations

import pytest

from tests.wizard.helpers import session_ends
from triage import access
from triage.access import STASH_KEY

pytestmark = pytest.mark.django_db


def test_the_newest_posts_are_kept_and_the_oldest_dropped(client, encounter, monkeypatch):
    monkeypatch.setattr(access, "STASH_POSTS", 2)
    session_ends(client)
    base = f"/encounters/{encounter.pk}"
    for step in ("symptoms", "neuro", "vitals"):
        client.post(f"{base}/{step}/", {"note": step})
    client.post(f"{base}/vitals/", {"note": "vitals again"})
    stash = client.session[STASH_KEY]
    assert list(stash) == [f"{base}/neuro/", f"{base}/vitals/"]
    assert stash[f"{base}/vitals/"]["posted"]["note"] == ["vitals again"]


def test_a_post_larger_than_the_limit_is_not_kept(client, encounter):
    session_ends(client)
    base = f"/encounters/{encounter.pk}"
    client.post(f"{base}/symptoms/", {"note": "x" * (access.STASH_POST_CHARS + 1)})
    assert f"{base}/symptoms/" not in client.session.get(STASH_KEY, {})
    client.post(f"{base}/symptoms/", {"note": "short"})
    assert client.session[STASH_KEY][f"{base}/symptoms/"]["posted"]["note"] == ["short"]
