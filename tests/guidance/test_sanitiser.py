"""Guidance Markdown is sanitised: classic payloads of the OWASP XSS filter evasion cheat sheet.

The output is parsed (not searched as text) so that an attribute the browser would run is
found however it is spelt.
"""

import re
from html.parser import HTMLParser

import pytest

from triage.guidance import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background-image: url(javascript:alert(1))">x</p>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<a href=x onmouseover=alert(1)>x</a>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<!--<script>-->alert(1)<!--</script>-->",
    "<video><source onerror=alert(1)></video>",
    '<marquee onstart="alert(1)">x</marquee>',
]
DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
    "meta", "base", "link", "body", "img", "details", "video", "source", "marquee",
}  # fmt: skip
# What a browser ignores inside a URL scheme (it would still run "java\tscript:").
IGNORED_IN_SCHEMES = re.compile(r"[\x00-\x20]")


class Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives(payload):
    html = str(render_markdown(payload))
    tags = Parsed(html).tags
    assert not DANGEROUS_TAGS & {tag for tag, _ in tags}, html
    for tag, attributes in tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), html
            assert name not in ("style", "src", "srcdoc", "action", "formaction", "background")
            scheme = IGNORED_IN_SCHEMES.sub("", value).lower()
            assert not scheme.startswith(("javascript:", "vbscript:", "data:")), html
        if tag == "a":
            assert attributes.get("rel") == "noopener noreferrer", html
    assert "<script" not in html.lower()


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 20


def test_links_get_rel_noopener_and_keep_safe_urls():
    html = str(render_markdown("[NICE](https://www.nice.org.uk/) and [team](mailto:a@b.nhs.uk)"))
    tags = Parsed(html).tags
    assert [attrs["href"] for tag, attrs in tags if tag == "a"] == [
        "https://www.nice.org.uk/",
        "mailto:a@b.nhs.uk",
    ]
    assert all(attrs["rel"] == "noopener noreferrer" for tag, attrs in tags if tag == "a")


def test_ordinary_guidance_markdown_is_kept():
    html = str(render_markdown("Call the **spinal team**.\n\n- MRI\n- CT\n\n*Then* `code`"))
    assert "<strong>spinal team</strong>" in html
    assert "<li>MRI</li>" in html
    assert "<em>Then</em>" in html


def test_text_that_looks_like_html_is_shown_not_run():
    assert "&lt;" in str(render_markdown("Dose < 5 mg & > 2 mg")) or "&gt;" in str(
        render_markdown("Dose < 5 mg & > 2 mg")
    )
