"""The first load of a wizard step is small: the page with every stylesheet and script it links,
as the server sends them (gzip), stays within the bedside budget of 50 KB.

This is a size check, not a timing one; `make lighthouse` measures how fast the pages load."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.wizard.conftest import step_url
from triage.wizard import STEPS

BUDGET = 50 * 1000  # bytes, gzipped: HTML + CSS + JS + anything else the page fetches


class Fetches(HTMLParser):
    """The addresses a browser fetches while loading the page: stylesheets, scripts, images,
    preloads, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag in ("script", "img", "iframe", "source") and a.get("src"):
            self.urls.append(a["src"] or "")


def fetched_by(html: str) -> list[str]:
    parser = Fetches()
    parser.feed(html)
    return [url for url in parser.urls if not url.startswith("data:")]


def static_file(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is linked but not found"
    with open(path, "rb") as file:
        return file.read()


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=9))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [step.slug for step in STEPS])
def test_the_first_load_of_a_wizard_step_is_within_the_budget(nurse_client, encounter, slug):
    response = nurse_client.get(step_url(encounter, slug))
    assert response.status_code == 200
    html = response.content
    urls = fetched_by(html.decode())
    sizes = {"page": gzipped(html)} | {url: gzipped(static_file(url)) for url in urls}
    for url in urls:
        if url.endswith(".css"):
            # A stylesheet that pulls in fonts, images or other stylesheets would load more.
            assert re.findall(r"url\((?!\s*[\"']?data:)|@import", static_file(url).decode()) == []
    assert any("bootstrap" in url for url in urls) and any("htmx" in url for url in urls)
    assert sum(sizes.values()) <= BUDGET, sizes


@pytest.mark.django_db
def test_the_page_itself_goes_out_gzipped_to_a_browser_that_accepts_it(nurse_client, encounter):
    response = nurse_client.get(step_url(encounter, "symptoms"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Symptoms" in gzip.decompress(response.content)
