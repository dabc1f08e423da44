"""The main navigation: the sections each role may use, the page's own marked as current (the
items are drawn once for each role and section: context_processors.navigation)."""

from __future__ import annotations

import re

from django.test import Client

LINK = re.compile(r'<a class="nav-link" href="[^"]+"( aria-current="page")?>([^<]+)</a>')


def navigation(client: Client, path: str) -> tuple[list[str], list[str]]:
    """The sections offered on the page at `path`, and those marked as the current one."""
    page = client.get(path).content.decode()
    links = LINK.findall(page[page.index('<ul class="navbar-nav') : page.index("</ul>")])
    return [name for _, name in links], [name for current, name in links if current]


def test_each_role_sees_its_sections_with_the_pages_own_marked(physician_client, nurse):
    as_nurse = Client()
    as_nurse.force_login(nurse)
    nurses = ["Home", "Encounters", "Ward"]
    assert navigation(as_nurse, "/") == (nurses, ["Home"])
    assert navigation(as_nurse, "/encounters/") == (nurses, ["Encounters"])
    assert navigation(as_nurse, "/ward/") == (nurses, ["Ward"])
    physicians = ["Home", "Encounters", "Ward", "Review"]
    assert navigation(physician_client, "/encounters/") == (physicians, ["Encounters"])
    assert navigation(physician_client, "/review/") == (physicians, ["Review"])
    assert navigation(physician_client, "/sources/") == (physicians, [])
    assert navigation(as_nurse, "/") == (nurses, ["Home"])  # as drawn the first time


def test_the_api_tokens_page_marks_its_own_link(nurse):
    client = Client()
    client.force_login(nurse)
    page = client.get("/accounts/api-tokens/").content.decode()
    assert 'aria-current="page">API tokens</a>' in page
    assert 'aria-current="page">API tokens</a>' not in client.get("/").content.decode()
