"""The served Bootstrap stylesheet is the trimmed one (`make css`), and it still has every
Bootstrap class the product uses; Bootstrap's JavaScript is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "bootstrap-5.3.9"
FULL = VENDOR / "bootstrap.min.css"
TRIMMED = VENDOR / "bootstrap.trimmed.min.css"
BASE = ROOT / "templates" / "base.html"

# Any attribute naming classes: class="...", and the include arguments and crispy helper values
# that end up in one (heading_class="...", css_class="...") and widget attrs ({"class": "..."}).
CLASS_ATTRIBUTE = re.compile(r"""[\w-]*class[\w-]*["']?\s*[=:]\s*(["'])(.*?)\1""", re.DOTALL)
TEMPLATE_TAG = re.compile(r"\{[{%].*?[%}]\}", re.DOTALL)
# classList.add("a", "b") / .toggle("a", on) / .remove(...) and className = "a b".
JS_CLASS_CALL = re.compile(r"classList\.(?:add|remove|toggle|contains)\(([^)]*)\)")
JS_STRING = re.compile(r"""(["'])([^"']*)\1""")
JS_CLASS_NAME = re.compile(r"""className\s*=\s*(["'])(.*?)\1""")
# base.html writes alert-{{ message level }}: Django's message levels, as base.html maps them.
RUNTIME_CLASSES = {"alert-info", "alert-success", "alert-warning", "alert-danger"}


def class_selectors(css: str) -> set[str]:
    """The class names in the selectors (not the declarations) of a stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = " ".join(re.findall(r"(?:^|(?<=[{}]))([^{}]*)\{", css))
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selectors))


def classes_in_markup(text: str) -> set[str]:
    """Class tokens of every class attribute, the literal words inside template conditions too."""
    tokens: set[str] = set()
    for _, value in CLASS_ATTRIBUTE.findall(text):
        tokens.update(TEMPLATE_TAG.sub(" ", value).split())
    return tokens


def classes_in_script(text: str) -> set[str]:
    tokens: set[str] = set()
    for arguments in JS_CLASS_CALL.findall(text):
        for _, value in JS_STRING.findall(arguments):
            tokens.update(value.split())
    for _, value in JS_CLASS_NAME.findall(text):
        tokens.update(value.split())
    return tokens


def classes_used() -> dict[str, set[str]]:
    """Each class token the product writes, with the files that write it."""
    used: dict[str, set[str]] = {}
    sources = [
        *((path, classes_in_markup) for path in (ROOT / "templates").rglob("*.html")),
        *((path, classes_in_markup) for path in (ROOT / "triage").rglob("*.py")),
        *((path, classes_in_script) for path in (ROOT / "static" / "js").glob("*.js")),
    ]
    for path, extract in sources:
        for token in extract(path.read_text()):
            used.setdefault(token, set()).add(path.relative_to(ROOT).as_posix())
    for token in RUNTIME_CLASSES:
        used.setdefault(token, set()).add("templates/base.html (messages)")
    return used


def test_the_finders_read_selectors_class_attributes_and_class_lists():
    css = ".a,.b>p{color:red}@media (min-width:1px){.c:not(.d){x:url(w.svg)}.e{y:0}}"
    assert class_selectors(css) == {"a", "b", "c", "d", "e"}
    markup = '<p class="mb-0{% if x %} is-invalid{% endif %} a-{{ y }}">'
    assert classes_in_markup(markup) == {"mb-0", "is-invalid", "a-"}
    assert classes_in_markup('attrs={"class": "app-x"}') == {"app-x"}
    script = 'el.classList.toggle("show", open); p.className = "x y";'
    assert classes_in_script(script) == {"show", "x", "y"}


def test_the_class_finder_sees_the_classes_of_templates_forms_and_scripts():
    used = classes_used()
    assert "templates/base.html" in used["navbar-toggler"]
    assert "static/js/navbar.js" in used["show"]
    assert "triage/forms/wizard.py" in used["app-number"]
    assert "is-invalid" in used  # written inside a {% if %} of a class attribute


def test_every_bootstrap_class_the_product_uses_is_in_the_trimmed_stylesheet():
    bootstrap = class_selectors(FULL.read_text())
    trimmed = class_selectors(TRIMMED.read_text())
    missing = {
        token: sorted(files)
        for token, files in classes_used().items()
        if token in bootstrap and token not in trimmed
    }
    assert missing == {}, "run `make css` and commit static/vendor/bootstrap-5.3.9/"


def test_the_trimmed_stylesheet_keeps_the_custom_properties_and_the_licence():
    trimmed = TRIMMED.read_text()
    assert trimmed.count("--bs-") > 300
    assert ":root{" in trimmed
    assert "Licensed under MIT" in trimmed
    assert len(trimmed) < len(FULL.read_text()) / 2


def test_pages_link_the_trimmed_stylesheet_and_no_bootstrap_javascript():
    base = BASE.read_text()
    assert "vendor/bootstrap-5.3.9/bootstrap.trimmed.min.css" in base
    assert "bootstrap.min.css" not in base
    templates = [(p, p.read_text()) for p in (ROOT / "templates").rglob("*.html")]
    assert [p.name for p, text in templates if "bootstrap.bundle" in text] == []
    assert [p.name for p, text in templates if "data-bs-" in text] == []
    assert not (VENDOR / "bootstrap.bundle.min.js").exists()
