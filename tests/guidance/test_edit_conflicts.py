"""Two admins editing the same draft entry: a save never silently overwrites the other's text.

The editor sends back the fingerprint (`entry_token`) of the text it started from; a save made
after someone else changed the entry is refused, the typed text is kept, the other text is
shown, and the admin chooses to save over it or to load it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from triage.actions import guidance as actions
from triage.guidance import entry_token
from triage.models import GuidanceEntry, GuidanceVersion
from triage.roles import Role

pytestmark = pytest.mark.django_db
KEY = "pathway.transient_pain"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft(v2, guidance_admin) -> GuidanceVersion:
    return actions.create_draft(by=guidance_admin)


@pytest.fixture
def entry(draft) -> GuidanceEntry:
    return draft.entries.get(key=KEY)


@pytest.fixture
def other_admin(db):
    return UserFactory(
        username="guidance2", first_name="Rita", last_name="Okafor", roles=(Role.GUIDANCE_ADMIN,)
    )


@pytest.fixture
def url(draft) -> str:
    return reverse("guidance:entry", kwargs={"pk": draft.pk, "key": KEY})


@pytest.fixture
def editor(client, guidance_admin) -> Client:
    """The admin who opened the editor first."""
    client.force_login(guidance_admin)
    return client


def save(entry: GuidanceEntry, by, body: str, base: str | None) -> GuidanceEntry:
    return actions.update_entry(
        entry=entry,
        title=entry.title,
        body=body,
        actions=entry.actions,
        citations=entry.citations,
        by=by,
        base=base,
    )


def post_data(entry: GuidanceEntry, body: str, base: str, **extra: str) -> dict:
    return {
        "title": entry.title,
        "body": body,
        "actions": entry.actions,
        "citations": [str(n) for n in entry.citations],
        "base": base,
        **extra,
    }


def events(entry: GuidanceEntry) -> int:
    return GuidanceEntry.pgh_event_model.objects.filter(pgh_obj_id=entry.pk).count()


def test_a_save_over_a_change_made_meanwhile_is_refused(entry, guidance_admin, other_admin):
    opened = entry_token(entry)
    save(entry, other_admin, "Theirs.", base=opened)
    before = events(entry)

    with pytest.raises(actions.EditConflict) as refused:
        save(entry, guidance_admin, "Mine.", base=opened)

    entry.refresh_from_db()
    assert entry.body == "Theirs."
    assert refused.value.current.body == "Theirs."
    assert refused.value.token == entry_token(entry)
    assert events(entry) == before  # nothing was written


def test_saving_what_is_already_stored_is_no_conflict(entry, guidance_admin, other_admin):
    opened = entry_token(entry)
    save(entry, other_admin, "Same words.", base=opened)
    # Both typed the same text: nothing of theirs would be lost.
    saved = save(entry, guidance_admin, "Same words.", base=opened)
    assert saved.body == "Same words."


def test_a_save_from_the_current_text_goes_through(entry, guidance_admin, other_admin):
    first = save(entry, other_admin, "Theirs.", base=entry_token(entry))
    second = save(entry, guidance_admin, "Mine, having read theirs.", base=entry_token(first))
    assert second.body == "Mine, having read theirs."


def test_the_editor_keeps_the_typed_text_and_shows_theirs(editor, url, entry, other_admin):
    opened = entry_token(entry)
    assert f'name="base" id="id_base" value="{opened}"' in editor.get(url).content.decode()
    save(entry, other_admin, "Their **newer** text.", base=opened)

    response = editor.post(url, post_data(entry, "My own text.", base=opened))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "Someone else saved a change to this entry after you opened it" in page
    assert "My own text.</textarea>" in page  # the typed text is kept
    assert "Rita Okafor saved it at" in page
    assert "Their <strong>newer</strong> text." in page
    token = entry_token(GuidanceEntry.objects.get(pk=entry.pk))
    assert f'name="overwrite" value="{token}"' in page
    # The form still carries the old fingerprint: autosaves go on being refused until the
    # admin decides.
    assert f'value="{opened}"' in page
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "Their **newer** text."


def test_save_my_text_over_theirs_saves_it(editor, url, entry, other_admin):
    opened = entry_token(entry)
    theirs = save(entry, other_admin, "Theirs.", base=opened)

    data = post_data(entry, "Mine.", base=opened, overwrite=entry_token(theirs))
    response = editor.post(url, data)

    assert response.status_code == 302
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "Mine."


def test_save_over_theirs_is_refused_again_if_they_saved_once_more(editor, url, entry, other_admin):
    opened = entry_token(entry)
    theirs = save(entry, other_admin, "Theirs.", base=opened)
    save(entry, other_admin, "Theirs, again.", base=entry_token(theirs))

    data = post_data(entry, "Mine.", base=opened, overwrite=entry_token(theirs))
    response = editor.post(url, data)

    assert response.status_code == 200
    assert "Theirs, again." in response.content.decode()
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "Theirs, again."


def test_a_refused_autosave_says_not_saved_and_shows_theirs(editor, url, entry, other_admin):
    opened = entry_token(entry)
    save(entry, other_admin, "Theirs.", base=opened)

    page = editor.post(url, post_data(entry, "Mine.", base=opened), headers=HTMX).content.decode()

    assert "Not saved: someone else changed this entry meanwhile" in page
    assert '<div id="conflict" hx-swap-oob="true">' in page
    assert "data-conflict" in page
    # The preview shows what was typed; the form's fingerprint is left as it was.
    assert "<p>Mine.</p>" in page
    assert f'id="id_base" value="{opened}" hx-swap-oob="true"' in page
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "Theirs."


def test_autosaves_follow_each_other_without_a_false_conflict(editor, url, entry):
    base = entry_token(entry)
    for body in ("One.", "One, two.", "One, two, three."):
        page = editor.post(url, post_data(entry, body, base=base), headers=HTMX).content.decode()
        assert "Saved at" in page
        # Each saved autosave hands the editor the new fingerprint, cleared of any conflict.
        base = entry_token(GuidanceEntry.objects.get(pk=entry.pk))
        assert f'id="id_base" value="{base}" hx-swap-oob="true"' in page
        assert '<div id="conflict" hx-swap-oob="true">' in page
        assert "data-conflict" not in page
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "One, two, three."


def test_a_post_without_a_fingerprint_asks_for_a_reload(editor, url, entry):
    data = post_data(entry, "Mine.", base="")

    page = editor.post(url, data).content.decode()

    assert "This page is out of date: reload it to edit the entry" in page
    assert GuidanceEntry.objects.get(pk=entry.pk).body != "Mine."


def test_two_admins_in_two_sessions(entry, draft, guidance_admin, other_admin):
    """The whole exchange as two browsers make it: both open, one saves, the other is told."""
    url = reverse("guidance:entry", kwargs={"pk": draft.pk, "key": KEY})
    mine, theirs = Client(), Client()
    mine.force_login(guidance_admin)
    theirs.force_login(other_admin)
    opened = entry_token(entry)
    assert opened in mine.get(url).content.decode()
    assert opened in theirs.get(url).content.decode()

    assert theirs.post(url, post_data(entry, "Theirs.", opened), headers=HTMX).status_code == 200
    page = mine.post(url, post_data(entry, "Mine.", opened), headers=HTMX).content.decode()

    assert "Not saved" in page
    assert GuidanceEntry.objects.get(pk=entry.pk).body == "Theirs."
