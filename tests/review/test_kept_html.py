"""Kept pieces of HTML are sent squeezed: the indentation between tags goes, every word and
every space a browser shows stays."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone

from tests.review.factories import RADICULAR
from triage.kept_html import squeezed
from triage.ward_board import board_rows
from triage.ward_handover import TEMPLATE, build_all, patients_html


class _Shown(HTMLParser):
    """The text a browser shows (runs of spaces and line breaks as one space) and the tags."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.parts.append(f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def shown(html: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    return [part for part in parser.parts if part]


def test_squeezing_leaves_what_a_browser_shows_as_it_was():
    html = (
        '<p class="x">Pain\n   worse since\n  the procedure</p>\n    \n  <span>a</span>\n'
        "  <span>b</span> <em>c</em>\n\n</div>"
    )
    assert squeezed(html) == (
        '<p class="x">Pain\n   worse since\n  the procedure</p>\n<span>a</span>\n'
        "<span>b</span> <em>c</em>\n</div>"
    )
    assert shown(squeezed(html)) == shown(html)


def test_a_wards_handover_is_sent_squeezed_and_shows_what_its_template_wrote(
    client, nurse, ward, make_encounter
):
    make_encounter(patient_identifier="CALM")
    make_encounter(patient_identifier="URGENT", answers=RADICULAR)
    now = timezone.now()
    rows = board_rows(ward, now, handover=True)
    template = get_template(TEMPLATE)
    written = [
        template.render({"handover": sbar, "number": str(number)})
        for number, (sbar, _) in enumerate(build_all(rows, ward.name, now), start=1)
    ]
    caches["handovers"].clear()
    for _ in range(2):  # written, then kept
        sent = patients_html(rows, ward.name, now)
        assert len(sent) == len(written) == 2
        for piece, html in zip(sent, written, strict=True):
            assert re.search(r">\n[ \t]+<", html)  # the template indents its tags
            assert piece == squeezed(html)
            assert len(piece) < 0.9 * len(html)
            assert shown(piece) == shown(html)
    client.force_login(nurse)
    page = client.get("/ward/handover/").content.decode()
    patients = re.findall(r"<article.*?</article>", page, re.DOTALL)
    assert len(patients) == 2
    for patient in patients:
        assert not re.search(r">\n[ \t]*\n", patient)
        assert not re.search(r">\n[ \t]+<", patient)
