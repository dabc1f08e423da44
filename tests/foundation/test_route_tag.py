"""`{% route %}` writes what `{% url %}` writes for a view without arguments, under any prefix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NAMES = sorted(
    {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in re.findall(r"\{% route '([^']+)' %\}", path.read_text(encoding="utf-8"))
    }
)


def written(source: str) -> str:
    return Template("{% load route_tags %}" + source).render(Context())


def test_the_templates_route_to_the_layouts_views():
    assert {"home", "encounters:list", "review:queue", "accounts:logout"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_route_is_what_url_writes(name):
    assert written(f"{{% route '{name}' %}}") == written(f"{{% url '{name}' %}}") == reverse(name)


def test_a_route_follows_the_prefix_the_site_is_served_under():
    try:
        set_script_prefix("/triage/")
        assert written("{% route 'home' %}") == "/triage/" == reverse("home")
        assert written("{% route 'review:queue' %}") == reverse("review:queue")
        assert reverse("review:queue").startswith("/triage/")
    finally:
        set_script_prefix("/")
    assert written("{% route 'home' %}") == "/"


def test_a_view_that_takes_arguments_is_refused_as_by_url():
    with pytest.raises(NoReverseMatch):
        written("{% route 'encounters:detail' %}")
