"""Every page type served as in production, driven by wrk side by side with `/healthz`.

``python bench/bench_pages.py`` (run by `make bench`):

1. An embedded PostgreSQL of its own (``.pgdata-bench/``) is migrated and given the demo users
   (`demo_data`), then 50,000 submitted encounters over 10 wards (bench/seed.py; kept between
   runs). The demo nurse works on one of those wards, the demo physician covers three.
2. In this process, with the production settings the server gets, the demo users sign in as a
   browser does (the physician and the admin with an authenticator code), a nurse starts and
   submits one assessment and answers another up to its check page (and a third, whose
   symptoms the live banners' posts keep typing, so that the steps are measured as a nurse
   opens them, not showing input kept from those posts); a nurse of the second ward answers
   a record whose audit trail is measured, new each run (a trail lists every read of its
   record, and the first record gains thousands a run); the autosave saves once as its page
   would. Each endpoint below is requested once through Django's test client: its status
   must be 200 (and the autosave must answer "saved", again after the runs), and its queries
   and gzipped bytes are counted.
3. gunicorn serves the product with the Makefile's GUNICORN_CMD and production settings behind
   a TLS proxy (requests carry ``X-Forwarded-Proto: https``), on 127.0.0.1. wrk (one thread, 4
   connections) drives each endpoint for BENCH_SECONDS (default 2) in 5 rounds, the order
   rotated each round, with the sessions signed in above; the median round is reported. Any
   response other than 2xx aborts the run.

BENCH_ONLY (names, or their beginnings, separated by commas) drives only those endpoints beside
`/healthz`, to compare one change quickly: it prints their ratios and writes nothing.

Prints the table (endpoint, requests/s, ratio to `/healthz`, p50/p95, the CPU time a request
cost the server's gunicorn processes and the database's, queries per request, gzipped bytes,
verdict) and writes it into bench/results.md between its markers. The CPU times (from Linux's
/proc; "n/a" elsewhere) say where a page's cost lies and vary less from run to run than its
rate. Exits 1 if any budget is missed:

- every HTML page >= 0.25 x `/healthz`, every htmx partial >= 0.4 x, the JSON assess >= 0.6 x;
- the review queue's page 500 costs at most 1.2 x its page 1 (the whole response);
- at most 6 queries for any page;
- the first load of a wizard step (HTML, style sheets and scripts) <= 50 KB gzipped, an htmx
  partial <= 5 KB.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.request import Request, urlopen

from seed import seed
from server import DEFAULT_COMMAND, ROOT, manage, serving

PGDATA = ROOT / ".pgdata-bench"
RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
ENCOUNTERS = 50_000
WARDS = 10
ROUNDS = 5
SECONDS = os.environ.get("BENCH_SECONDS", "2")
ONLY = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
CONNECTIONS = 4
PASSWORD = "triage-demo"  # noqa: S105 - the documented demo password (make run)
AUDITING_NURSE = "bench-nurse-1"  # seeded on the second ward
# The physician's and the admin's authenticator, made for the bench (hex, as django-otp keeps it).
TOTP_KEY = "3132333435363738393031323334353637383930"

BUDGET = {"baseline": None, "page": 0.25, "partial": 0.4, "assess": 0.6, "api": 0.25}
MAX_PAGE_QUERIES = 6
FIRST_LOAD_BYTES = 50 * 1024
PARTIAL_BYTES = 5 * 1024
DEEP_PAGE = 500
DEEP_RATIO = 1.2


@dataclass
class Endpoint:
    name: str
    kind: str  # baseline, page, partial, assess or api
    path: str
    user: str | None = None  # whose session (or API token) the request carries
    method: str = "GET"
    data: dict | None = None  # a form post
    json_body: dict | None = None
    htmx: bool = False
    token: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # sent as well
    # Response headers the answer must carry (checked in process before and after the runs):
    expect: dict[str, str] = field(default_factory=dict)
    # Filled in by the in-process check and the runs:
    queries: int = 0
    gzipped: int = 0
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)


def environments() -> tuple[dict[str, str], dict[str, str]]:
    """Development settings (to migrate and make the demo users) and the production ones."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRIAGE_ENV")}
    base["TRIAGE_PGDATA"] = str(PGDATA)
    production = base | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "true",
        "LOG_LEVEL": "WARNING",
    }
    return base | {"TRIAGE_ENV": "dev"}, production


def setup_django(production: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(production)
    os.environ["DJANGO_SETTINGS_MODULE"] = "triage.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_data() -> None:
    from triage.models import User, Ward

    if not Ward.objects.filter(name="Bench ward 0").exists():
        print(f"seeding {ENCOUNTERS:,} encounters over {WARDS} wards ...", flush=True)
        seed(encounters=ENCOUNTERS, wards=WARDS, physician_wards=3)
    wards = list(Ward.objects.filter(name__startswith="Bench ward ").order_by("name"))
    User.objects.get(username="nurse").wards.add(wards[0])
    User.objects.get(username="physician").wards.add(*wards[:3])
    # A nurse of the second ward (the physician covers it) answers each run's audited record.
    auditing = User.objects.get(username=AUDITING_NURSE)
    auditing.set_password(PASSWORD)
    auditing.save(update_fields=["password"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for username in ("physician", "admin"):
        user = User.objects.get(username=username)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Bench", key=TOTP_KEY, confirmed=True)


def signed_in_browsers() -> dict[str, Browser]:
    """A signed-in browser of each user the endpoints are requested as."""
    return {name: Browser(name) for name in ("nurse", "physician", "admin", AUDITING_NURSE)}


def authenticator_code(username: str) -> str:
    """The code the user's authenticator app shows now; a code is accepted only once, so after
    a sign-in within the same 30 seconds this waits for the next one."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    while device.last_t is not None and totp.t() <= device.last_t:
        time.sleep(1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():0{device.digits}d}"


class Browser:
    """Django's test client as one user's browser on the production settings (behind TLS)."""

    def __init__(self, username: str) -> None:
        from django.test import Client

        self.username = username
        self.token = ""  # a personal API token, made later
        self.client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        self.sign_in()

    def sign_in(self) -> None:
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": self.username, "password": PASSWORD})
        if response.status_code != 302:
            sys.exit(f"{self.username} could not sign in ({response.status_code})")
        if "two-factor" in self.get("/").get("Location", ""):
            answer = self.post("/accounts/two-factor/", {"code": authenticator_code(self.username)})
            if answer.status_code != 302:
                sys.exit(f"{self.username}'s authenticator code was refused")

    @property
    def csrf_token(self) -> str:
        from django.conf import settings

        return self.client.cookies[settings.CSRF_COOKIE_NAME].value

    def get(self, path: str, **headers: str):
        return self.client.get(path, headers=headers)

    def post(self, path: str, data: dict, **headers: str):
        return self.client.post(
            path, data | {"csrfmiddlewaretoken": self.csrf_token_or_page(path)}, headers=headers
        )

    def csrf_token_or_page(self, path: str) -> str:
        from django.conf import settings

        if settings.CSRF_COOKIE_NAME not in self.client.cookies:
            self.get(path)
        return self.csrf_token

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={morsel.value}" for name, morsel in self.client.cookies.items())


SYMPTOMS = {
    "pain_score": "6",
    "pain_course": "worse_since_procedure",
    "radicular_pain": "no",
    "chest_pain": "no",
    "dyspnoea": "no",
    "uncontrolled_despite_analgesia": "no",
}
NEURO = {
    **{
        f"power_{myotome}_{side}{when}": "5"
        for myotome in ("L2", "L3", "L4", "L5", "S1")
        for side in ("left", "right")
        for when in ("", "_baseline")
    },
    **{
        f"sensation_{side}{when}": "normal"
        for side in ("left", "right")
        for when in ("", "_baseline")
    },
    "saddle_anaesthesia": "no",
    "bowel_bladder": "normal",
    "focal_signs": "no",
}
VITALS = {
    "respiratory_rate": "18",
    "spo2": "96",
    "spo2_scale": "1",
    "on_oxygen": "no",
    "systolic_bp": "128",
    "heart_rate": "88",
    "consciousness": "A",
    "temperature": "37.1",
}
IMAGING = {"status": "requested", "modality": "mri"}


def answered_encounter(
    nurse: Browser, ward_pk: int, *, submit: bool, identifier: str | None = None
) -> str:
    """A nurse's assessment through the wizard's own form posts; its address.

    Made once: later runs reuse it (found by its patient identifier), so the bench ward, the
    nurse's list and the ward board hold the same patients from run to run.
    """
    from triage.models import Encounter

    identifier = identifier or ("BENCHDONE" if submit else "BENCHDRAFT")
    kept = Encounter.objects.filter(
        patient_identifier=identifier, ward_id=ward_pk, created_by__username=nurse.username
    ).first()
    if kept is not None:
        return f"/encounters/{kept.pk}"
    procedure_at = (datetime.now() - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    patient = {
        "patient_identifier": identifier,
        "ward": str(ward_pk),
        "procedure_at": procedure_at,
        "levels": ["L1"],
    }
    response = nurse.post("/encounters/new/", patient)
    match = re.search(r"/encounters/([0-9a-f-]{36})/", response.get("Location", ""))
    if match is None:
        sys.exit(f"no encounter was started ({response.status_code})")
    base = f"/encounters/{match.group(1)}"
    for slug, answers in (
        ("symptoms", SYMPTOMS),
        ("neuro", NEURO),
        ("vitals", VITALS),
        ("imaging", IMAGING),
    ):
        if nurse.post(f"{base}/{slug}/", answers).status_code != 302:
            sys.exit(f"the {slug} step was not saved")
    if submit and nurse.post(f"{base}/check/", {}).status_code != 302:
        sys.exit("the assessment was not submitted")
    return base


def own_page_autosave(nurse: Browser, draft: str) -> dict[str, str]:
    """An autosave of the symptoms step as its page posts it: the encounter version the page
    showed and the page's own id. The page saves once first, so the versions its own saves
    move on are no conflict (as while a nurse types); any other write would make them one."""
    from triage.models import Encounter

    page = {"editor": str(uuid.uuid4()), "_autosave": "1"}
    versions = Encounter.objects.values_list("lock_version", flat=True)
    shown = versions.get(pk=draft.rsplit("/", 1)[-1])
    posted = SYMPTOMS | page | {"lock_version": str(shown)}
    first = nurse.post(f"{draft}/symptoms/", posted)
    if first.get("X-Autosave") != "saved":
        sys.exit(f"the bench page's first autosave was not saved ({first.get('X-Autosave')})")
    return posted


def endpoints(browsers: dict[str, Browser]) -> list[Endpoint]:
    from triage import queue
    from triage.actions.api_tokens import create_token
    from triage.models import Encounter, User, Ward

    nurse, admin = browsers["nurse"], browsers["admin"]
    ward = Ward.objects.get(name="Bench ward 0")
    draft = answered_encounter(nurse, ward.pk, submit=False)
    done = answered_encounter(nurse, ward.pk, submit=True)
    typed = answered_encounter(nurse, ward.pk, submit=False, identifier="BENCHTYPING")
    queryset = queue.review_queue(User.objects.get(username="physician").wards.all())
    cursor = None
    for _ in range(DEEP_PAGE - 1):
        _, cursor = queue.queue_page(queryset, cursor)
        if cursor is None:
            sys.exit(f"the physician's queue has fewer than {DEEP_PAGE} pages")
    assert cursor is not None
    deep = f"/review/?after={cursor.encode()}"
    editor = admin.post("/guidance/new/", {})
    editing = admin.get(editor["Location"]).content.decode()
    entry = re.search(r'href="(/guidance/\d+/edit/[^/"]+/)"', editing)
    if entry is None:
        sys.exit(f"the guidance draft lists no entry to edit ({editor.status_code} {editor})")
    for username in ("nurse", "physician"):
        user = User.objects.get(username=username)
        browsers[username].token = create_token(user=user, name="Bench").raw
    done_pk = done.rsplit("/", 1)[-1]
    typing = SYMPTOMS | {"pain_score": "", "_autosave": "1"}
    autosave = own_page_autosave(nurse, draft)
    # The audit trail lists every physician's read of the record, so it costs more with each
    # read: a record of its own, new each run and read only by this page, keeps its cost that
    # of a record with a realistic trail (the bench's other record gains thousands of reads a
    # run from the record, export and handover endpoints).
    audited = answered_encounter(
        browsers[AUDITING_NURSE],
        Ward.objects.get(name="Bench ward 1").pk,
        submit=True,
        identifier=f"BENCHAUDIT{datetime.now(UTC):%m%d%H%M%S}",
    )
    assert Encounter.objects.filter(pk=done_pk).exists()
    # A board refreshing itself names the rows it shows (those of the board as loaded); rows
    # that change during the runs (due times passing) come back in full.
    board_keys = re.findall(r'data-board-key="([0-9a-f]+)"', nurse.get("/ward/").content.decode())
    return [
        Endpoint("/healthz (baseline)", "baseline", "/healthz"),
        # The least a signed-in page costs (the session, the user, the page's frame): the floor
        # under every other page's figure.
        Endpoint("home (signed in)", "page", "/", "nurse"),
        Endpoint("nurse's list", "page", "/encounters/", "nurse"),
        Endpoint("step: patient & procedure", "page", f"{draft}/patient/", "nurse"),
        Endpoint("step: symptoms", "page", f"{draft}/symptoms/", "nurse"),
        Endpoint("step: neuro exam", "page", f"{draft}/neuro/", "nurse"),
        Endpoint("step: vitals", "page", f"{draft}/vitals/", "nurse"),
        Endpoint("step: imaging", "page", f"{draft}/imaging/", "nurse"),
        Endpoint(
            "autosave (saved)",
            "partial",
            f"{draft}/symptoms/",
            "nurse",
            "POST",
            data=autosave,
            htmx=True,
            expect={"X-Autosave": "saved"},
        ),
        Endpoint(
            "live banners (answer being typed)",
            "partial",
            f"{typed}/symptoms/",
            "nurse",
            "POST",
            data=typing,
            htmx=True,
        ),
        Endpoint("check answers", "page", f"{draft}/check/", "nurse"),
        Endpoint("result", "page", f"{done}/rounds/1/", "nurse"),
        Endpoint("review queue, page 1", "page", "/review/", "physician"),
        Endpoint(f"review queue, page {DEEP_PAGE}", "page", deep, "physician"),
        Endpoint("queue next page (htmx)", "partial", deep, "physician", htmx=True),
        Endpoint("encounter record", "page", f"{done}/", "physician"),
        Endpoint("record round (htmx)", "partial", f"{done}/?round=1", "physician", htmx=True),
        Endpoint("audit trail", "page", f"{audited}/audit/", "physician"),
        Endpoint("ward board", "page", "/ward/", "nurse"),
        Endpoint(
            "ward board refresh (htmx)",
            "partial",
            "/ward/",
            "nurse",
            htmx=True,
            headers={"X-Board-Rows": ",".join(board_keys)},
        ),
        Endpoint("SBAR handover", "page", f"{done}/handover/", "nurse"),
        Endpoint("ward handover (print)", "page", "/ward/handover/", "nurse"),
        Endpoint("guidance editor", "page", entry.group(1), "admin"),
        Endpoint(
            "API assess",
            "assess",
            "/api/v1/assess",
            "nurse",
            "POST",
            json_body=FINDINGS,
            token=True,
        ),
        Endpoint("API export", "api", f"/api/v1/encounters/{done_pk}", "physician", token=True),
    ]


FINDINGS = {
    "procedure": {"hours_since": 30, "levels": ["T12", "L1"]},
    "symptoms": {"pain_score": 8, "pain_course": "sudden_increase_after_improvement"},
    "vitals": {
        "respiratory_rate": 18,
        "spo2": 97,
        "on_oxygen": False,
        "systolic_bp": 128,
        "heart_rate": 84,
        "consciousness": "A",
        "temperature": 36.8,
    },
}


def headers_for(endpoint: Endpoint, browsers: dict[str, Browser], origin: str) -> dict[str, str]:
    headers = {"X-Forwarded-Proto": "https"}
    if endpoint.user is None:
        return headers
    browser = browsers[endpoint.user]
    if endpoint.token:
        headers["Authorization"] = f"Bearer {browser.token}"
    else:
        headers["Cookie"] = browser.cookie_header()
    if endpoint.method == "POST" and not endpoint.token:
        headers["X-CSRFToken"] = browser.csrf_token
        headers["Origin"] = origin
    if endpoint.htmx:
        headers["HX-Request"] = "true"
    return headers | endpoint.headers


def body_of(endpoint: Endpoint) -> tuple[bytes, str | None]:
    from urllib.parse import urlencode

    if endpoint.json_body is not None:
        return json.dumps(endpoint.json_body).encode(), "application/json"
    if endpoint.data is not None:
        return urlencode(endpoint.data, doseq=True).encode(), "application/x-www-form-urlencoded"
    return b"", None


@cache
def anonymous():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def check_in_process(endpoint: Endpoint, browsers: dict[str, Browser]) -> None:
    """One request through the test client: 200, its queries and its gzipped size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A script's call carries its token and no session cookie, as wrk sends it.
    client = browsers[endpoint.user].client if endpoint.user and not endpoint.token else anonymous()
    headers = {
        key: value
        for key, value in headers_for(endpoint, browsers, "https://127.0.0.1").items()
        if key not in ("Cookie", "X-Forwarded-Proto")
    }
    body, content_type = body_of(endpoint)
    kwargs = {"headers": headers, "HTTP_X_FORWARDED_PROTO": "https"}
    with CaptureQueriesContext(connection) as queries:
        if endpoint.method == "POST":
            response = client.post(endpoint.path, body, content_type=content_type, **kwargs)
        else:
            response = client.get(endpoint.path, **kwargs)
    if response.status_code != 200:
        sys.exit(
            f"{endpoint.name}: {endpoint.method} {endpoint.path} answered {response.status_code}"
        )
    for name, value in endpoint.expect.items():
        if response.get(name) != value:
            sys.exit(f"{endpoint.name}: {name} was {response.get(name)!r}, not {value!r}")
    endpoint.queries = len(queries)
    content = b"".join(response) if response.streaming else response.content
    endpoint.gzipped = len(gzip.compress(content, 9))


def first_load(url: str, endpoint: Endpoint, browsers: dict[str, Browser]) -> int:
    """Gzipped bytes of a wizard step's HTML and every style sheet and script it loads."""
    client = browsers["nurse"].client
    html = client.get(endpoint.path, HTTP_X_FORWARDED_PROTO="https").content
    total = len(gzip.compress(html, 9))
    assets = re.findall(rb'<(?:link rel="stylesheet" href|script src)="([^"]+)"', html)
    for asset in assets:
        request = Request(url + asset.decode(), headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        with urlopen(request) as response:  # noqa: S310 - 127.0.0.1
            total += len(gzip.compress(response.read(), 9))
    return total


LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; first = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first == 0 then first = status end
  end
end
function done(summary, latency, requests)
  local b, f = 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    if f == 0 then f = t:get("first") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "p50": %.3f, "p95": %.3f, "bad": %d, "status": %d,'
    .. ' "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, b, f, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_for(endpoint: Endpoint, browsers: dict[str, Browser], origin: str) -> str:
    body, content_type = body_of(endpoint)
    headers = headers_for(endpoint, browsers, origin)
    if content_type:
        headers["Content-Type"] = content_type
    lines = [f"wrk.method = {json.dumps(endpoint.method)}"]
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    return "\n".join(lines) + LUA


def cpu_seconds(url: str) -> dict[str, float] | None:
    """The CPU time (user and system, in seconds) used so far by the gunicorn processes serving
    `url` (their command line names its address) and by the bench database's processes (its
    postmaster and the backends it started); None without Linux's /proc."""
    proc = Path("/proc")
    postmaster = PGDATA / "postmaster.pid"
    if not (proc / "self" / "stat").exists() or not postmaster.exists():
        return None
    database = int(postmaster.read_text().split()[0])
    address = url.removeprefix("http://")
    tick = os.sysconf("SC_CLK_TCK")
    used = {"app": 0.0, "db": 0.0}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # the process ended meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command's own name
        parent, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if "gunicorn" in command and address in command:
            used["app"] += seconds
        elif int(entry.name) == database or parent == database:
            used["db"] += seconds
    return used


def drive(url: str, endpoint: Endpoint, script: Path) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script)]
    before = cpu_seconds(url)
    result = subprocess.run(
        [*command, url + endpoint.path], capture_output=True, text=True, check=False
    )
    after = cpu_seconds(url)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode or not lines:
        sys.exit(f"wrk failed on {endpoint.name}: {result.stderr or result.stdout}")
    run = json.loads(lines[-1])
    if run["bad"] or run["errors"]:
        sys.exit(
            f"{endpoint.name}: {run['bad']} responses were not 2xx (first: {run['status']}), "
            f"{run['errors']} socket errors; aborting"
        )
    run["rate"] = run["requests"] / run["seconds"]
    if before is not None and after is not None:
        for kind in ("app", "db"):
            run[f"{kind}_cpu_ms"] = (after[kind] - before[kind]) / run["requests"] * 1000
    return run


def queue_pages(points: list[Endpoint]) -> tuple[Endpoint, Endpoint]:
    """The queue's page 1 and its deep page."""
    by_name = {point.name: point for point in points}
    return by_name["review queue, page 1"], by_name[f"review queue, page {DEEP_PAGE}"]


def verdicts(points: list[Endpoint], first_load_bytes: int) -> list[tuple[Endpoint, str]]:
    baseline = points[0].median("rate")
    page_1, page_deep = queue_pages(points)
    rows = []
    for point in points:
        misses = []
        ratio = point.median("rate") / baseline
        budget = BUDGET[point.kind]
        if budget is not None and ratio < budget:
            misses.append(f"ratio < {budget}")
        if point.kind == "page" and point.queries > MAX_PAGE_QUERIES:
            misses.append(f"queries > {MAX_PAGE_QUERIES}")
        if point.kind == "partial" and point.gzipped > PARTIAL_BYTES:
            misses.append("partial > 5 KB")
        if point is page_deep:
            deeper = page_1.median("rate") / page_deep.median("rate")
            if deeper > DEEP_RATIO:
                misses.append(f"{deeper:.2f} x page 1 > {DEEP_RATIO}")
        if point.name == "step: symptoms" and first_load_bytes > FIRST_LOAD_BYTES:
            misses.append("first load > 50 KB")
        rows.append((point, "FAIL: " + ", ".join(misses) if misses else "pass"))
    return rows


def cpu_per_request(point: Endpoint) -> str:
    """The CPU time a request cost gunicorn and the database, in ms (each the rounds' median)."""
    if not all("app_cpu_ms" in run for run in point.runs):
        return "n/a"
    return f"{point.median('app_cpu_ms'):.2f} + {point.median('db_cpu_ms'):.2f}"


def table(points: list[Endpoint], first_load_bytes: int) -> tuple[str, bool]:
    baseline = points[0].median("rate")
    lines = [
        "| endpoint | kind | req/s | ratio | budget | p50 ms | p95 ms | CPU ms: app + db "
        "| queries | gzipped | |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ok = True
    for point, verdict in verdicts(points, first_load_bytes):
        ok = ok and verdict == "pass"
        budget = BUDGET[point.kind]
        lines.append(
            f"| {point.name} | {point.kind} | {point.median('rate'):,.0f} "
            f"| {point.median('rate') / baseline:.2f} | {'' if budget is None else f'>= {budget}'} "
            f"| {point.median('p50'):.1f} | {point.median('p95'):.1f} | {cpu_per_request(point)} "
            f"| {point.queries} "
            f"| {point.gzipped / 1024:.1f} KB | {verdict} |"
        )
    page_1, deep = queue_pages(points)
    lines.append("")
    lines.append(
        f"Queue page {DEEP_PAGE} costs {page_1.median('rate') / deep.median('rate'):.2f} x page 1 "
        f"(budget <= {DEEP_RATIO}). First load of a wizard step (HTML, style sheets, scripts): "
        f"{first_load_bytes / 1024:.1f} KB gzipped (budget <= 50 KB)."
    )
    return "\n".join(lines), ok


def write_results(text: str) -> None:
    machine = (
        f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = os.environ.get("GUNICORN_CMD") or DEFAULT_COMMAND
    section = (
        f"{START}\nLast run: {when} on {machine}; gunicorn (`{command}`)"
        f" and wrk -t1 -c{CONNECTIONS}, {ROUNDS} rotated rounds of {SECONDS} s, median; "
        f"{ENCOUNTERS:,} encounters over {WARDS} wards.\n\n{text}\n{END}"
    )
    current = RESULTS.read_text() if RESULTS.exists() else f"# Bench results\n\n{START}\n{END}\n"
    before, _, rest = current.partition(START)
    _, _, after = rest.partition(END)
    RESULTS.write_text(before + section + after)


def main() -> int:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    dev, production = environments()
    manage("migrate", "--noinput", env=dev)
    manage("demo_data", env=dev)
    manage("collectstatic", "--noinput", "-v", "0", env=production)
    setup_django(production)
    prepare_data()
    browsers = signed_in_browsers()
    points = endpoints(browsers)
    for point in points:
        check_in_process(point, browsers)
    from django.db import connection

    connection.close()
    driven = points
    if ONLY:
        driven = [points[0]] + [p for p in points[1:] if p.name.startswith(tuple(ONLY))]
    with serving(production, "bench") as url, tempfile.TemporaryDirectory() as folder:
        scripts = {}
        for index, point in enumerate(driven):
            scripts[point.name] = Path(folder) / f"{index}.lua"
            scripts[point.name].write_text(lua_for(point, browsers, url.replace("http:", "https:")))
        symptoms = next(point for point in points if point.name == "step: symptoms")
        first_load_bytes = first_load(url, symptoms, browsers)
        for point in driven:  # warm every worker's caches before measuring
            drive(url, point, scripts[point.name])
        for number in range(ROUNDS):
            order = driven[number % len(driven) :] + driven[: number % len(driven)]
            print(f"round {number + 1} of {ROUNDS} ...", flush=True)
            for point in order:
                point.runs.append(drive(url, point, scripts[point.name]))
    for point in driven:  # what the runs must not have changed (an autosave still saves)
        if point.expect:
            check_in_process(point, browsers)
    if ONLY:
        baseline = driven[0].median("rate")
        for point in driven:
            rate = point.median("rate")
            print(
                f"{point.name}: {rate:,.0f} req/s, {rate / baseline:.2f} x /healthz, "
                f"CPU ms a request (app + db): {cpu_per_request(point)}"
            )
        return 0
    text, ok = table(points, first_load_bytes)
    print(text)
    write_results(text)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
