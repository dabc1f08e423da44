"""`{% route %}` writes what `{% url %}` writes, under any prefix, with or without arguments,
reversing each view's address once per process (`triage.addresses`)."""

from __future__ import annotations

import itertools
import re
import uuid
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

import triage.addresses
from triage.addresses import address

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ROUTES = sorted(
    {
        (name, tuple(re.findall(r"(\w+)=", arguments)))
        for path in TEMPLATES.rglob("*.html")
        for name, arguments in re.findall(
            r"\{% route '([^']+)'([^%]*)%\}", path.read_text(encoding="utf-8")
        )
    }
)
NAMES = [name for name, arguments in ROUTES if not arguments]
WITH_ARGUMENTS = [(name, arguments) for name, arguments in ROUTES if arguments]
# Values of each kind an argument may take: an id, a number, a text.
CANDIDATES = [uuid.UUID("0b8f6a2e-4c1d-4e8a-9f3b-2d7c5e1a6b90"), 42, "red_flag-cord_1"]


def written(source: str, **context) -> str:
    return Template("{% load route_tags %}" + source).render(Context(context))


def test_the_templates_route_to_the_layouts_views_and_the_records():
    assert {"home", "encounters:list", "review:queue", "accounts:logout"} <= set(NAMES)
    assert {"encounters:detail", "encounters:round", "guidance:entry"} <= {
        name for name, _ in WITH_ARGUMENTS
    }
    assert not any("{% url " in p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", NAMES)
def test_each_route_is_what_url_writes(name):
    assert written(f"{{% route '{name}' %}}") == written(f"{{% url '{name}' %}}") == reverse(name)


def accepted_values(name: str, arguments: tuple[str, ...]) -> dict:
    """Values of the arguments that the view's address accepts."""
    for values in itertools.product(CANDIDATES, repeat=len(arguments)):
        kwargs = dict(zip(arguments, values, strict=True))
        try:
            reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        return kwargs
    raise AssertionError(f"no values found for {name} {arguments}")


@pytest.mark.parametrize(("name", "arguments"), WITH_ARGUMENTS, ids=str)
def test_each_route_with_arguments_is_what_url_writes(name, arguments):
    kwargs = accepted_values(name, arguments)
    source = " ".join(f"{key}={key}" for key in kwargs)
    expected = reverse(name, kwargs=kwargs)
    assert written(f"{{% route '{name}' {source} %}}", **kwargs) == expected
    assert written(f"{{% url '{name}' {source} %}}", **kwargs) == expected
    assert address(name, **kwargs) == expected


def test_each_record_gets_its_own_address():
    first, second = uuid.uuid4(), uuid.uuid4()
    assert address("encounters:round", pk=first, number=2) == f"/encounters/{first}/rounds/2/"
    assert address("encounters:round", pk=second, number=12) == f"/encounters/{second}/rounds/12/"


def test_a_view_is_reversed_once_however_many_records_it_links(monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(triage.addresses, "reverse", counted)
    try:
        set_script_prefix("/counted/")
        links = [address("encounters:detail", pk=uuid.uuid4()) for _ in range(5)]
    finally:
        set_script_prefix("/")
    assert len(calls) == 1
    assert len(set(links)) == 5
    assert all(link.startswith("/counted/encounters/") for link in links)


def test_an_argument_that_is_not_an_id_is_reversed_by_django_each_time():
    key = "red_flag:cord compression"
    assert address("guidance:entry", pk=3, key=key) == reverse(
        "guidance:entry", kwargs={"pk": 3, "key": key}
    )
    with pytest.raises(NoReverseMatch):
        address("encounters:round", pk=uuid.uuid4(), number=-1)
    with pytest.raises(NoReverseMatch):
        address("encounters:detail", pk="not an id")


def test_a_route_follows_the_prefix_the_site_is_served_under():
    pk = uuid.uuid4()
    try:
        set_script_prefix("/triage/")
        assert written("{% route 'home' %}") == "/triage/" == reverse("home")
        assert written("{% route 'review:queue' %}") == reverse("review:queue")
        assert reverse("review:queue").startswith("/triage/")
        assert address("encounters:detail", pk=pk) == f"/triage/encounters/{pk}/"
    finally:
        set_script_prefix("/")
    assert written("{% route 'home' %}") == "/"
    assert address("encounters:detail", pk=pk) == f"/encounters/{pk}/"


def test_a_view_that_takes_arguments_is_refused_without_them_as_by_url():
    with pytest.raises(NoReverseMatch):
        written("{% route 'encounters:detail' %}")


def test_a_route_can_be_kept_in_a_variable():
    pk = uuid.uuid4()
    source = "{% route 'encounters:detail' pk=pk as link %}<a href='{{ link }}'>{{ link }}</a>"
    assert written(source, pk=pk) == f"<a href='/encounters/{pk}/'>/encounters/{pk}/</a>"
