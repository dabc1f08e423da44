"""Deny by default: every URL of the project, for every role, against an explicit table.

The walk reads the URL patterns themselves, so a new URL without a line in the table fails
this test until someone decides who may open it. (A line whose URL is not registered is simply
not walked: the table may run ahead of the code.)
"""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from tests.factories import UserFactory
from triage.roles import Role

LOGIN = "302 to sign-in"  # /accounts/login/?next=<the page>
ADMIN_LOGIN = "302 to the admin sign-in"  # the admin's own sign-in (nobody here is staff)
ROLES = ("anonymous", "nurse", "physician", "guidance_admin", "other_nurse", "other_physician")

# Who gets what from each URL. The seeded encounter is on the nurse's and physician's ward,
# submitted (one round, with a red flag) and not signed. POSTs carry no data: a form that is
# reached answers 400, so nothing is written; every request is rolled back anyway.
# fmt: off
EXPECTED: dict[str, tuple[str, tuple]] = {
    #                                  anonymous    nurse physician g-admin other-n other-p
    "home":                    ("GET",  (LOGIN,       200,  200,      200,    200,    200)),
    "healthz":                 ("GET",  (200,         200,  200,      200,    200,    200)),
    "sources":                 ("GET",  (LOGIN,       200,  200,      200,    200,    200)),
    # The ward board: clinical staff, each their own ward's (the other ward's is empty).
    "ward-board":              ("GET",  (LOGIN,       200,  200,      403,    200,    200)),
    "ward-handover":           ("GET",  (LOGIN,       200,  200,      403,    200,    200)),
    "accounts:login":          ("GET",  (200,         302,  302,      302,    302,    302)),
    "accounts:logout":         ("GET",  (405,         405,  405,      405,    405,    405)),
    # The second factor: with TRIAGE_REQUIRE_2FA off (as here) nothing to enter, so home.
    "accounts:two-factor":     ("GET",  (LOGIN,       302,  302,      302,    302,    302)),
    "accounts:two-factor-set-up": ("GET", (LOGIN,     302,  302,      302,    302,    302)),
    "accounts:recovery-codes": ("GET",  (LOGIN,       302,  302,      302,    302,    302)),
    # The old /account/ prefix: to /accounts/, for everyone, keeping the method.
    "moved-account":           ("GET",  (308,         308,  308,      308,    308,    308)),
    # JSON API: POST only, so a GET is 405 for everyone before anything else.
    "api:assess":              ("GET",  (405,         405,  405,      405,    405,    405)),
    "api:encounter":           ("GET",  (401,         200,  200,      403,    404,    404)),
    # The same encounter as a FHIR Bundle: the JSON export's rules.
    "api:encounter-fhir":      ("GET",  (401,         200,  200,      403,    404,    404)),
    # The OpenAPI document describes the API and holds no patient data: public.
    "api:openapi":             ("GET",  (200,         200,  200,      200,    200,    200)),
    # The FHIR Questionnaire is the bedside questions, no patient data: public too.
    "fhir-questionnaire":      ("GET",  (200,         200,  200,      200,    200,    200)),
    # Personal API tokens: each clinician their own (the seeded pk is nobody's token).
    "accounts:api-tokens":     ("GET",  (LOGIN,       200,  200,      403,    200,    200)),
    "accounts:api-token-revoke": ("POST", (LOGIN,     404,  404,      403,    404,    404)),
    # The wizard (a submitted encounter: its steps redirect to the record).
    "encounters:list":         ("GET",  (LOGIN,       200,  200,      403,    200,    200)),
    "encounters:new":          ("GET",  (LOGIN,       200,  200,      403,    200,    200)),
    "encounters:detail":       ("GET",  (LOGIN,       200,  200,      403,    404,    404)),
    "encounters:patient":      ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:symptoms":     ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:neuro":        ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:vitals":       ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:imaging":      ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:check":        ("GET",  (LOGIN,       302,  302,      403,    404,    404)),
    "encounters:round":        ("GET",  (LOGIN,       200,  200,      403,    404,    404)),
    "encounters:reassess":     ("POST", (LOGIN,       302,  403,      403,    404,    404)),
    # Review: physicians of the ward sign, override and add addenda; nurses may read.
    "review:queue":            ("GET",  (LOGIN,       403,  200,      403,    403,    200)),
    # The look-back: physicians only, over their own wards (the other physician's are empty).
    "review:lookback":         ("GET",  (LOGIN,       403,  200,      403,    403,    200)),
    "review:lookback-csv":     ("GET",  (LOGIN,       403,  200,      403,    403,    200)),
    "encounters:sign":         ("POST", (LOGIN,       403,  400,      403,    403,    404)),
    "encounters:addenda":      ("POST", (LOGIN,       403,  400,      403,    403,    404)),
    "encounters:discharge":    ("POST", (LOGIN,       403,  400,      403,    403,    404)),
    "encounters:overrides":    ("POST", (LOGIN,       403,  400,      403,    403,    404)),
    # The escalation record: the ward's nurses and physicians record calls; physicians
    # acknowledge. Guidance admins do neither.
    "encounters:escalation-calls": ("POST", (LOGIN,   400,  400,      403,    404,    404)),
    "encounters:escalation-acknowledge": ("POST", (LOGIN, 403, 400,   403,    403,    404)),
    "encounters:audit":        ("GET",  (LOGIN,       200,  200,      403,    404,    404)),
    "encounters:audit-csv":    ("GET",  (LOGIN,       200,  200,      403,    404,    404)),
    # The SBAR handover: the record's rules.
    "encounters:handover":     ("GET",  (LOGIN,       200,  200,      403,    404,    404)),
    # Guidance editing: guidance admins only. The seeded version is the published one, so its
    # edit pages send the admin back to it; POST-only pages answer a GET with 405.
    "guidance:list":           ("GET",  (LOGIN,       403,  403,      200,    403,    403)),
    "guidance:new":            ("GET",  (LOGIN,       403,  403,      405,    403,    403)),
    "guidance:detail":         ("GET",  (LOGIN,       403,  403,      200,    403,    403)),
    "guidance:diff":           ("GET",  (LOGIN,       403,  403,      200,    403,    403)),
    "guidance:history":        ("GET",  (LOGIN,       403,  403,      200,    403,    403)),
    "guidance:edit":           ("GET",  (LOGIN,       403,  403,      302,    403,    403)),
    "guidance:entry":          ("GET",  (LOGIN,       403,  403,      302,    403,    403)),
    "guidance:publish":        ("GET",  (LOGIN,       403,  403,      302,    403,    403)),
    "guidance:discard":        ("GET",  (LOGIN,       403,  403,      405,    403,    403)),
    "guidance:side-by-side":   ("GET",  (LOGIN,       403,  403,      200,    403,    403)),
    # Django's admin: staff only, and nobody here is staff.
    "admin:login":             ("GET",  (200,         200,  200,      200,    200,    200)),
    "admin:logout":            ("GET",  (302,         302,  302,      302,    302,    302)),
    "admin:*":                 ("GET",  (ADMIN_LOGIN,) * 6),
}
# fmt: on


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """(qualified name or None, route, pattern) of every URL pattern, depth first."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace))) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern


def expectation(name: str) -> tuple[str, tuple] | None:
    if name in EXPECTED:
        return EXPECTED[name]
    return next((v for key, v in EXPECTED.items() if fnmatchcase(name, key)), None)


@pytest.fixture
def users(nurse, physician, guidance_admin, stranger, other_ward):
    outsider = UserFactory(
        username="physician-elsewhere", roles=(Role.PHYSICIAN,), wards=(other_ward,)
    )
    return dict(
        zip(ROLES, (None, nurse, physician, guidance_admin, stranger, outsider), strict=True)
    )


def kwargs_for(name: str, route: str, pattern: URLPattern, seed: dict) -> dict:
    """Real values for the pattern's parameters, by name and converter."""
    converters = pattern.pattern.converters
    names = list(converters) or list(pattern.pattern.regex.groupindex)
    values = {}
    for param in names:
        converter = converters.get(param)
        if isinstance(converter, UUIDConverter):
            values[param] = seed["encounter"].pk
        elif param == "number" and isinstance(converter, IntConverter):
            values[param] = 1  # the encounter's round; also the published guidance's number
        elif param in seed:
            values[param] = seed[param]
        else:
            pytest.fail(f"{name} ({route}): give the walk a real value for <{param}>")
    return values


ADMIN_SEED = {
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "app_label": "triage",
    "rest": "x/",
}


def every_url(seed: dict) -> list[tuple[str, str, tuple[str, tuple]]]:
    """(name, URL, expectation) of every named URL of the project."""
    urls = []
    for name, route, pattern in walk(get_resolver().url_patterns):
        if name is None:
            # Only the admin has unnamed URLs (its redirects and catch-all); ours are named.
            assert route.startswith("admin/"), f"name the URL {route}"
            continue
        rule = expectation(name)
        assert rule is not None, f"{name} ({route}) is missing from EXPECTED"
        urls.append((name, reverse(name, kwargs=kwargs_for(name, route, pattern, seed)), rule))
    return urls


def test_every_url_answers_every_role_as_the_table_says(
    client, users, red_flag_encounter, published_guidance
):
    seed = {
        "encounter": red_flag_encounter,
        # Parameters of the admin's and the guidance editor's URLs.
        **ADMIN_SEED,
        "object_id": str(users["nurse"].pk),
        "id": str(users["nurse"].pk),
        "pk": published_guidance.pk,
        "version": published_guidance.pk,
        "key": "general",
        "rest": "api-tokens/",
    }
    urls = every_url(seed)
    assert {"review:queue", "encounters:sign", "api:encounter"} <= {u[0] for u in urls}

    wrong = []
    for index, role in enumerate(ROLES):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        for name, url, (method, statuses) in urls:
            expected = statuses[index]
            with transaction.atomic():
                response = client.generic(method, url)
                transaction.set_rollback(True)
            got = response.status_code
            location = response.get("Location", "")
            if expected == LOGIN:
                ok = got == 302 and location.startswith(f"/accounts/login/?next={url}")
            elif expected == ADMIN_LOGIN:
                ok = got == 302 and location.startswith("/admin/login/")
            else:
                ok = got == expected
            if not ok:
                wrong.append(f"{role} {method} {url} ({name}): {got} {location}, not {expected}")
    assert wrong == []


def test_a_url_missing_from_the_table_has_no_expectation():
    assert expectation("encounters:some_new_page") is None
    assert expectation("guidance:some_new_page") is None
    assert expectation("admin:triage_ward_change") == EXPECTED["admin:*"]


def test_a_signed_out_htmx_request_loads_the_sign_in_page_whole_everywhere(
    client, red_flag_encounter, published_guidance
):
    """One behaviour for every protected URL: htmx is told to load the sign-in page (with the
    way back) instead of swapping it into the fragment that asked."""
    seed = {"encounter": red_flag_encounter, "pk": published_guidance.pk, "key": "general"}
    protected = [
        (name, url, method)
        for name, url, (method, statuses) in every_url({**seed, **ADMIN_SEED})
        if statuses[0] == LOGIN
    ]
    assert len(protected) > 30
    wrong = []
    for name, url, method in protected:
        for verb in {method, "POST"}:
            response = client.generic(verb, url, headers={"HX-Request": "true"})
            redirect = response.get("HX-Redirect", "")
            if response.status_code != 200 or redirect != f"/accounts/login/?next={url}":
                wrong.append(f"{verb} {url} ({name}): {response.status_code} {redirect!r}")
    assert wrong == []
