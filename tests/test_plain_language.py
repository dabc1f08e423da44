"""Screens speak a nurse's language: no engine code, field path or database column reaches the
visible text of any page a nurse or physician opens (they stay in the snapshot, the API and
the CSV exports)."""

from __future__ import annotations

import html
import re

import pytest
from django.core.management import call_command

from triage.models import Encounter, User

# snake_case words (cord_compression, lock_version) and dotted paths (imaging.findings).
MACHINE_WORDS = re.compile(
    r"\b(?:procedure|symptoms|neuro|vitals|imaging|encounter|round)\.[a-z_]+\b"
    r"|\b[a-z0-9]+(?:_[a-z0-9]+)+\b"
)
STEPS = ("patient", "symptoms", "neuro", "vitals", "imaging", "check")


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def pages_of(encounter: Encounter) -> list[str]:
    base = f"/encounters/{encounter.pk}/"
    urls = [base, f"{base}audit/", *(f"{base}{step}/" for step in STEPS)]
    return urls + [f"{base}rounds/{r.number}/" for r in encounter.rounds.all()]


def test_the_pattern_finds_machine_words():
    text = "Reason (imaging.findings includes cord_compression); lock_version 3 → 4"
    assert MACHINE_WORDS.findall(text) == ["imaging.findings", "cord_compression", "lock_version"]
    assert MACHINE_WORDS.findall("Low, but one observation scores 3. NEWS2 5.") == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["nurse", "physician"])
def test_no_page_shows_a_machine_word(client, published_guidance, username):
    call_command("demo_data")
    client.force_login(User.objects.get(username=username))
    urls = ["/", "/encounters/", "/review/", "/review/lookback/"]
    for encounter in Encounter.objects.prefetch_related("rounds"):
        urls += pages_of(encounter)
    found, read = {}, 0
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue  # not this role's page (a nurse has no review queue), or not yet made
        read += 1
        words = set(MACHINE_WORDS.findall(visible_text(response.content.decode())))
        if words:
            found[url] = sorted(words)
    assert read > 40
    assert found == {}
