"""Generated hostile requests against every form and the JSON API: never a server error, and
the API always answers JSON (as its OpenAPI document says, for requests made from it).

Each example runs in a savepoint that is rolled back, so the data every example starts from
is the same (a draft and a submitted encounter, a guidance draft, an API token), and a signing
pause or a submitted round left by one example does not hide the next one's paths.

`make test` runs a few thousand examples, derandomised; `make fuzz` sets
`HYPOTHESIS_PROFILE=fuzz` for many more, random ones.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.factories import PASSWORD, UserFactory
from tests.hardening.strategies import json_values, junk_text, mutated_findings
from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory
from tests.wizard.helpers import symptoms_post
from triage import wizard
from triage.actions import api_tokens as token_actions
from triage.actions import encounters as encounter_actions
from triage.actions import guidance as guidance_actions
from triage.clinical import GUIDANCE_KEYS
from triage.forms.api_tokens import TokenForm
from triage.forms.guidance import EntryForm, PublishForm
from triage.forms.review import QueueFilterForm
from triage.forms.wizard import NeuroForm, PatientForm
from triage.models import Encounter, GuidanceVersion, User, Ward
from triage.openapi import document
from triage.roles import Role

pytestmark = pytest.mark.django_db

_BASE = dict(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        # The fixtures are built once per test on purpose; each example is rolled back.
        HealthCheck.function_scoped_fixture,
    ],
)
settings.register_profile("make-test", derandomize=True, database=None, **_BASE)
settings.register_profile("fuzz", derandomize=False, print_blob=True, **_BASE)
PROFILE = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "make-test"
SCALE = 10 if PROFILE == "fuzz" else 1


def examples(count: int) -> settings:
    """`count` examples under `make test`, many more under `make fuzz`."""
    return settings(settings.get_profile(PROFILE), max_examples=count * SCALE)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def answered(response: Any, what: str) -> Any:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    return response


def answered_json(response: Any, what: str) -> Any:
    answered(response, what)
    assert response["Content-Type"].startswith(("application/json", "application/fhir+json")), what
    return json.loads(response.content)


# --- Form posts built from each form's own fields -----------------------------------------


def plausible(field: forms.Field) -> st.SearchStrategy[str]:
    """Values a real page could send for `field`."""
    choices = [str(value) for value, _ in getattr(field, "choices", ()) if value != ""]
    if choices:
        return st.sampled_from(choices)
    if isinstance(field, forms.IntegerField | forms.FloatField):
        return st.one_of(st.integers(-5, 400).map(str), st.floats(-1, 400).map(str))
    if isinstance(field, forms.DateTimeField):
        return st.datetimes().map(lambda at: at.strftime("%Y-%m-%dT%H:%M"))
    if isinstance(field, forms.DateField):
        return st.dates().map(str)
    if isinstance(field, forms.UUIDField):
        return st.uuids().map(str)
    return st.text(max_size=60)


def form_data(form: forms.BaseForm, **extra: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """A post for `form`: each field left out, answered plausibly, or with junk (one value or
    several), plus `extra` keys (hidden inputs the page adds) and now and then a stray key."""

    def values(field: forms.Field) -> st.SearchStrategy[list[str]]:
        one = st.one_of(plausible(field), plausible(field), junk_text)
        return st.lists(one, min_size=1, max_size=3)

    optional = {name: values(field) for name, field in form.fields.items()}
    optional |= {
        name: st.lists(strategy, min_size=1, max_size=2) for name, strategy in extra.items()
    }
    return st.fixed_dictionaries({}, optional=optional) | st.dictionaries(
        junk_text, st.lists(junk_text, max_size=2), max_size=2
    ).flatmap(lambda stray: st.fixed_dictionaries({}, optional=optional).map(stray.__or__))


def numbers(*real: int) -> st.SearchStrategy[int]:
    """A real id or number, or any other, far past what a database column holds."""
    return st.one_of(st.sampled_from(real), st.integers(0, 10**20))


headers = st.sampled_from(
    [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}]
)
passwords = st.one_of(st.just(PASSWORD), junk_text)
versions = st.one_of(st.integers(-1, 5).map(str), junk_text)


# --- The data every example starts from ------------------------------------------------------


@dataclass
class World:
    ward: Ward
    nurse: User
    physician: User
    admin: User
    draft: Encounter
    submitted: Encounter
    guidance_draft: GuidanceVersion
    token: str

    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, user: User | None) -> Client:
        """A client signed in as `user`, made once per test: outside any example's savepoint,
        so its session outlives the rollbacks."""
        name = user.get_username() if user is not None else ""
        if name not in self.clients:
            self.clients[name] = Client()
            if user is not None:
                self.clients[name].force_login(user)
        return self.clients[name]


@pytest.fixture
def world(nurse, physician, published_guidance) -> World:
    admin = UserFactory(username="guidance1", roles=(Role.GUIDANCE_ADMIN,))
    ward = nurse.wards.get()
    draft = encounter_actions.start_encounter(
        by=nurse,
        ward=ward,
        patient_identifier="RX0001",
        procedure_at=published_guidance.published_at,
        levels=["C6"],
        client_token=None,
    )
    form = wizard.SYMPTOMS.form(symptoms_post())
    assert form.is_valid()
    encounter_actions.save_step(
        round=draft.rounds.get(),
        section="symptoms",
        answers=form.answers(),
        step="symptoms",
        by=nurse,
        expected_version=None,
    )
    submitted = SubmittedEncounterFactory(ward=ward, created_by=nurse, answers=WEAK_LEG)
    return World(
        ward=ward,
        nurse=nurse,
        physician=physician,
        admin=admin,
        draft=draft,
        submitted=submitted,
        guidance_draft=guidance_actions.create_draft(by=admin),
        token=token_actions.create_token(user=nurse, name="fuzz").raw,
    )


# --- Pages and forms -------------------------------------------------------------------------


@examples(150)
@given(data=st.data())
def test_the_wizards_forms_never_fail(world, data):
    nurse = world.client(world.nurse)
    draft, submitted = world.draft.pk, world.submitted.pk
    page = data.draw(st.sampled_from(["new", "patient", *wizard.QUESTIONS_BY_SLUG, "check"]))
    hidden = {"lock_version": versions, "editor": st.one_of(st.uuids().map(str), junk_text)}
    if page in ("new", "patient"):
        form: forms.BaseForm = PatientForm(wards=Ward.objects.all())
        hidden["client_token"] = st.one_of(st.uuids().map(str), junk_text)
        url = "/encounters/new/" if page == "new" else f"/encounters/{draft}/patient/"
    elif page == "check":
        form, url = forms.Form(), data.draw(st.sampled_from([draft, submitted]))
        url = f"/encounters/{url}/check/"
    else:
        step = wizard.QUESTIONS_BY_SLUG[page]
        form = NeuroForm(levels=["C6"]) if step is wizard.NEURO else step.form()
        hidden["_autosave"] = st.sampled_from(["1", "0", ""])
        url = f"/encounters/{draft}/{page}/"
    post = data.draw(form_data(form, **hidden))
    query = data.draw(st.sampled_from(["", "?next=check", "?next=" + "x" * 300]))
    with rolled_back():
        answered(nurse.post(url + query, post, headers=data.draw(headers)), url)


@examples(40)
@given(data=st.data())
def test_the_nurses_other_pages_never_fail(world, data):
    nurse = world.client(world.nurse)
    submitted = world.submitted.pk
    number = data.draw(numbers(1))
    url = data.draw(
        st.sampled_from(
            [
                f"/encounters/{submitted}/rounds/{number}/",
                f"/encounters/{submitted}/reassess/",
                f"/encounters/{data.draw(st.uuids())}/",
                "/encounters/",
            ]
        )
    )
    with rolled_back():
        method = nurse.post if url.endswith("reassess/") else nurse.get
        answered(method(url, headers=data.draw(headers)), url)


@examples(80)
@given(data=st.data())
def test_the_review_queues_filters_never_fail(world, data):
    physician = world.client(world.physician)
    query = data.draw(
        form_data(
            QueueFilterForm(wards=Ward.objects.all()), after=st.one_of(junk_text, st.just(""))
        )
    )
    with rolled_back():
        answered(physician.get("/review/", query, headers=data.draw(headers)), "queue")


@examples(80)
@given(data=st.data())
def test_sign_off_addenda_and_overrides_never_fail(world, data):
    physician = world.client(world.physician)
    pk = world.submitted.pk
    action = data.draw(st.sampled_from(["sign", "addenda", "overrides"]))
    fields: dict[str, st.SearchStrategy] = {
        "password": passwords,
        "lock_version": st.one_of(st.just(str(world.submitted.lock_version)), versions),
    }
    if action == "sign":
        fields["comment"] = st.text(max_size=80)
    elif action == "addenda":
        fields |= {"text": st.text(max_size=80), "submission": st.uuids().map(str) | junk_text}
    else:
        items = ["red_flag:progressive_neuro_deficit", "pathway:cord_compression", "x:y", ""]
        fields |= {
            "item": st.sampled_from(items) | junk_text,
            "decision": st.sampled_from(["accepted", "rejected", "downgraded"]) | junk_text,
            "reason": st.text(max_size=80),
        }
    post = data.draw(st.fixed_dictionaries({}, optional=fields))
    url = f"/encounters/{pk}/{action}/"
    if action == "overrides":
        url = f"/encounters/{pk}/rounds/{data.draw(numbers(1))}/overrides/"
    with rolled_back():
        answered(physician.post(url, post, headers=data.draw(headers)), url)


@examples(100)
@given(data=st.data())
def test_the_guidance_editor_never_fails(world, data):
    admin = world.client(world.admin)
    pk = data.draw(numbers(world.guidance_draft.pk, world.guidance_draft.based_on_id or 1))
    key = data.draw(
        st.one_of(st.sampled_from(GUIDANCE_KEYS), junk_text.filter(lambda k: "/" not in k))
    )
    page = data.draw(st.sampled_from(["entry", "publish", "discard", "new", "compare"]))
    method = admin.post
    if page == "entry":
        form: forms.BaseForm = EntryForm()
        post = data.draw(form_data(form, overwrite=junk_text))
        url = f"/guidance/{pk}/edit/{key}/"
    elif page == "publish":
        post, url = data.draw(form_data(PublishForm())), f"/guidance/{pk}/publish/"
    elif page == "discard":
        post = data.draw(
            st.fixed_dictionaries({}, optional={"confirm": st.just("yes") | junk_text})
        )
        url = f"/guidance/{pk}/discard/"
    elif page == "new":
        post, url = {}, "/guidance/new/"
    else:
        method, post = admin.get, {}
        encounter = data.draw(st.sampled_from([world.submitted.pk, uuid.uuid4()]))
        url = f"/guidance/{pk}/compare/{encounter}/{data.draw(numbers(1))}/{key}/"
    if not url.isascii() or "?" in url or "#" in url:
        url = f"/guidance/{pk}/"
    with rolled_back():
        answered(method(url, post, headers=data.draw(headers)), url)


@examples(100)
@given(data=st.data())
def test_api_tokens_and_sign_in_never_fail(world, data):
    page = data.draw(st.sampled_from(["tokens", "revoke", "login"]))
    if page == "login":
        client = world.client(None)
        post = {
            "username": data.draw(st.sampled_from(["nurse1", "physician1"]) | junk_text),
            "password": data.draw(passwords),
        }
        url = "/accounts/login/" + data.draw(st.sampled_from(["", "?next=/review/", "?next=//x"]))
    elif page == "tokens":
        client = world.client(world.nurse)
        post, url = data.draw(form_data(TokenForm())), "/accounts/api-tokens/"
    else:
        client = world.client(data.draw(st.sampled_from([world.nurse, world.physician])))
        pk = data.draw(numbers(*world.nurse.api_tokens.values_list("pk", flat=True)))
        post, url = {}, f"/accounts/api-tokens/{pk}/revoke/"
    with rolled_back():
        answered(client.post(url, post), url)


# --- The JSON API ----------------------------------------------------------------------------

CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/fhir+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "",
]


def api_client(world: World, who: str) -> tuple[Client, dict[str, str]]:
    """A client signed in as `who` (a session, a token, a wrong token or no one)."""
    if who == "token":
        return world.client(None), {"Authorization": f"Bearer {world.token}"}
    if who == "wrong token":
        return world.client(None), {"Authorization": "Bearer vpt_wrong"}
    users = {"nurse": world.nurse, "physician": world.physician, "admin": world.admin}
    return world.client(users.get(who)), {}


who = st.sampled_from(["nurse", "nurse", "token", "token", "physician", "admin", "wrong token", ""])


@examples(1000)
@given(data=st.data())
def test_the_api_always_answers_json_and_never_fails(world, data):
    client, auth = api_client(world, data.draw(who))
    if data.draw(st.integers(0, 4)) == 0:
        pk = data.draw(st.sampled_from([world.submitted.pk, world.draft.pk, uuid.uuid4()]))
        method = data.draw(st.sampled_from(["GET", "GET", "POST", "DELETE", "HEAD"]))
        url = f"/api/v1/encounters/{pk}" + data.draw(st.sampled_from(["", "/fhir"]))
        body: bytes | str = b""
    else:
        method = data.draw(st.sampled_from(["POST"] * 8 + ["GET", "PUT", "OPTIONS"]))
        url = "/api/v1/assess"
        body = data.draw(
            st.one_of(
                mutated_findings().map(json.dumps),
                json_values.map(json.dumps),
                st.binary(max_size=200),
                junk_text,
            )
        )
    content_type = data.draw(st.sampled_from(CONTENT_TYPES))
    with rolled_back():
        response = client.generic(method, url, body, content_type=content_type, headers=auth)
    if method != "HEAD":
        answered_json(response, f"{method} {url}")
    else:
        answered(response, url)


@cache
def validators() -> dict[tuple[str, str, str], Draft202012Validator]:
    """(path, method, status) -> a validator of the documented answer."""
    doc = document()
    found = {}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                # One content type each: JSON, or FHIR JSON for the FHIR export.
                (content,) = response["content"].values()
                schema = content["schema"]
                found[path, method.upper(), status] = Draft202012Validator(
                    {**schema, "components": doc["components"]}
                )
    return found


@cache
def cases_from_the_document(mode: str) -> st.SearchStrategy:
    """Requests schemathesis makes from the document: fitting it, or (negative) not."""
    import schemathesis
    from schemathesis.generation.modes import GenerationMode

    schema = schemathesis.openapi.from_dict(document())
    return schema.as_strategy(generation_mode=GenerationMode(mode))


@examples(300)
@given(data=st.data())
def test_requests_made_from_the_document_are_answered_as_it_says(world, data):
    case = data.draw(st.sampled_from(["positive", "negative"]).flatmap(cases_from_the_document))
    client, auth = api_client(world, data.draw(who))
    body = case.body
    if type(body).__name__ == "NotSet":  # no body
        body = b""
    elif not isinstance(body, str | bytes):
        body = json.dumps(body)
    with rolled_back():
        response = client.generic(
            case.method,
            case.formatted_path,
            body,
            content_type=case.media_type or "application/json",
            headers={**{k: str(v) for k, v in (case.headers or {}).items()}, **auth},
            QUERY_STRING="&".join(f"{k}={v}" for k, v in (case.query or {}).items()),
        )
    answer = answered_json(response, f"{case.method} {case.formatted_path}")
    key = (case.path, case.method.upper(), str(response.status_code))
    documented = validators()
    assert key in documented, f"undocumented answer {key}"
    errors = [error.message for error in documented[key].iter_errors(answer)]
    assert errors == [], key
