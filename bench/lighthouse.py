"""`make lighthouse`: Lighthouse (mobile profile: a mid-range phone on a slow 4G connection,
simulated) on two bedside pages, served by gunicorn on 127.0.0.1 with production settings; a
table of the figures and a non-zero exit when any misses its target.

The pages: a new assessment's symptoms step (the first questions a nurse answers) and a
submitted assessment's result. The server runs as for `make load` (bench/load.py): production
settings but plain HTTP (SECURE_SSL_REDIRECT, SECURE_COOKIES and HSTS off), a random
SECRET_KEY, and its own embedded database in `.pgdata-lighthouse/`, migrated and given the demo
users and encounters. The demo nurse signs in as a browser would, starts an assessment and walks
a second one to its result with the pages' own forms; Lighthouse then loads each page with her
session cookie. Lighthouse is the npm package pinned in package-lock.json (`npm ci`), driving the
system Chromium (CHROME_PATH): it never downloads a browser. Reports go to `.bench/`.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from html.parser import HTMLParser

from server import LOGS, ROOT, demo_production_env, serving

PASSWORD = "triage-demo"  # noqa: S105 - the documented demo password (make run)
CHROME = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-background-networking --disable-component-update"
    " --disable-sync --disable-quic"
)
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS") or "3")  # per page; the median run is reported
PERFORMANCE, ACCESSIBILITY = 95, 100
LCP_MS, TBT_MS = 1500, 50
# Answers a nurse gives, as the step forms post them (a lumbar level: the legs only).
ANSWERS = {
    "symptoms": {
        "pain_score": "6",
        "pain_course": "unchanged",
        "radicular_pain": "no",
        "chest_pain": "no",
        "dyspnoea": "no",
        "uncontrolled_despite_analgesia": "no",
    },
    "neuro": {
        **{
            f"power_{myotome}_{side}{baseline}": "5"
            for myotome in ("L2", "L3", "L4", "L5", "S1")
            for side in ("left", "right")
            for baseline in ("", "_baseline")
        },
        **{
            f"sensation_{side}{baseline}": "normal"
            for side in ("left", "right")
            for baseline in ("", "_baseline")
        },
        "saddle_anaesthesia": "no",
        "bowel_bladder": "normal",
        "focal_signs": "no",
    },
    "vitals": {
        "respiratory_rate": "16",
        "spo2": "97",
        "spo2_scale": "1",
        "on_oxygen": "no",
        "systolic_bp": "128",
        "heart_rate": "78",
        "consciousness": "A",
        "temperature": "36.8",
    },
    "imaging": {"status": "not_done"},
}


class HiddenInputs(HTMLParser):
    """The hidden fields of a page's forms (security token, lock version and the like)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields.setdefault(a["name"] or "", a.get("value") or "")


class Browser:
    """A signed-in session as a browser keeps it: cookies, and forms posted with their fields."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def submit(self, path: str, answers: dict[str, str | list[str]]) -> tuple[str, str]:
        """Open `path` and post its form with `answers` over its hidden fields; the page
        the post ends on (after redirects)."""
        _, page = self.get(path)
        hidden = HiddenInputs()
        hidden.feed(page)
        data = urllib.parse.urlencode(hidden.fields | answers, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def start_assessment(browser: Browser) -> str:
    """A new assessment for a demo patient; the address of its symptoms step."""
    _, page = browser.get("/encounters/new/")
    ward = re.search(r'<option value="(\d+)"[^>]*>Spinal ward', page)
    procedure_at = datetime.now() - timedelta(hours=20)
    patient = {
        "patient_identifier": f"LH{secrets.randbelow(10**6):06d}",
        "ward": ward.group(1) if ward else "",
        "procedure_at": procedure_at.strftime("%Y-%m-%dT%H:%M"),
        "levels": ["L1"],
    }
    url, _ = browser.submit("/encounters/new/", patient)
    match = re.search(r"/encounters/[0-9a-f-]{36}/", url)
    if match is None:
        sys.exit(f"no assessment was started (ended on {url})")
    return f"{match.group(0)}symptoms/"


def submitted_result(browser: Browser) -> str:
    """A new assessment walked through every step and submitted; the address of its result."""
    base = start_assessment(browser).removesuffix("symptoms/")
    for slug, answers in ANSWERS.items():
        browser.submit(f"{base}{slug}/", answers)
    url, _ = browser.submit(f"{base}check/", {})
    path = urllib.parse.urlsplit(url).path
    if not re.fullmatch(r"/encounters/[0-9a-f-]{36}/rounds/\d+/", path):
        sys.exit(f"the assessment was not submitted (ended on {url})")
    return path


def lighthouse(url: str, cookie: str, name: str) -> dict:
    """One Lighthouse run's report; run again (twice at most) when its trace is unusable, as
    Lighthouse itself advises for NO_NAVSTART, NO_FCP and the like."""
    report = LOGS / f"lighthouse-{name}.json"
    command = [
        "npx",
        "--no-install",
        "lighthouse",
        url,
        "--form-factor=mobile",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--quiet",
    ]
    for _ in range(3):
        report.unlink(missing_ok=True)
        subprocess.run(command, cwd=ROOT, env=os.environ | {"CHROME_PATH": CHROME})
        result = json.loads(report.read_text()) if report.exists() else {}
        if result.get("categories") and not result.get("runtimeError"):
            return result
        error = result.get("runtimeError", {}).get("code", "no report")
        print(f"  Lighthouse could not measure {name} ({error}); running it again", flush=True)
    sys.exit(f"Lighthouse failed three times on {name}; see {report.relative_to(ROOT)}")


def median_run(reports: list[dict]) -> dict:
    """The run with the median LCP, the figure that varies most between runs (Lighthouse's
    docs advise taking the median of several runs)."""
    ordered = sorted(reports, key=lambda r: r["audits"]["largest-contentful-paint"]["numericValue"])
    return ordered[len(ordered) // 2]


def slug(name: str) -> str:
    return name.replace(" ", "-")


def figures(report: dict) -> dict[str, float]:
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def misses(f: dict[str, float]) -> list[str]:
    checks = [
        (f["performance"] >= PERFORMANCE, f"performance {f['performance']} < {PERFORMANCE}"),
        (f["accessibility"] >= ACCESSIBILITY, f"accessibility {f['accessibility']} < 100"),
        (f["lcp_ms"] <= LCP_MS, f"LCP {f['lcp_ms']:.0f} ms > {LCP_MS} ms"),
        (f["tbt_ms"] <= TBT_MS, f"TBT {f['tbt_ms']:.0f} ms > {TBT_MS} ms"),
        (round(f["cls"], 3) == 0, f"CLS {f['cls']:.3f} > 0"),
    ]
    return [message for ok, message in checks if not ok]


def failed_audits(report: dict) -> list[str]:
    """The accessibility audits that failed, and the performance ones worth reading."""
    audits = report["audits"]
    refs = report["categories"]["accessibility"]["auditRefs"]
    failed = [
        f"accessibility: {audits[ref['id']]['title']}"
        for ref in refs
        if audits[ref["id"]].get("score") == 0 and ref.get("weight", 0) > 0
    ]
    for key in ("render-blocking-resources", "uses-text-compression", "unused-css-rules"):
        savings = audits.get(key, {}).get("numericValue") or 0
        if savings:
            failed.append(f"performance: {audits[key]['title']} ({savings:.0f} ms)")
    return failed


def main() -> int:
    if not (ROOT / "node_modules" / ".bin" / "lighthouse").exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (it runs `npm ci` first)")
    if not os.path.exists(CHROME):
        sys.exit(f"no Chromium at {CHROME}: `make chromium` installs it, CHROME_PATH names another")
    production = demo_production_env("lighthouse")
    rows: list[tuple[str, dict[str, float], list[str]]] = []
    runs: dict[str, list[dict[str, float]]] = {}
    with serving(production, "lighthouse") as url:
        nurse = Browser(url)
        nurse.get("/accounts/login/")
        signed_in, _ = nurse.submit("/accounts/login/", {"username": "nurse", "password": PASSWORD})
        if "/accounts/login/" in signed_in:
            sys.exit("the demo nurse could not sign in")
        pages = {"symptoms step": start_assessment(nurse), "result": submitted_result(nurse)}
        for name, path in pages.items():
            print(f"lighthouse: {name} ({path}), {RUNS} runs", flush=True)
            reports = []
            for run in range(1, RUNS + 1):
                report = lighthouse(url + path, nurse.cookie_header(), f"{slug(name)}-{run}")
                if report["finalDisplayedUrl"] != url + path:
                    sys.exit(f"{name}: Lighthouse ended on {report['finalDisplayedUrl']}")
                reports.append(report)
            runs[name] = [figures(report) for report in reports]
            report = median_run(reports)
            rows.append((name, figures(report), failed_audits(report)))
    for name, figures_of_runs in runs.items():
        lcps = ", ".join(f"{f['lcp_ms'] / 1000:.2f}" for f in figures_of_runs)
        print(f"{name}: LCP of each run (s): {lcps}")
    print(
        f"\n{'page':<15}{'performance':>12}{'accessibility':>14}{'LCP':>9}{'TBT':>8}{'CLS':>7}"
        f"  result\n{'target':<15}{'>= 95':>12}{'100':>14}{'<= 1.5 s':>9}{'<= 50':>8}{'0':>7}"
    )
    failed = False
    for name, f, notes in rows:
        missed = misses(f)
        failed = failed or bool(missed)
        print(
            f"{name:<15}{f['performance']:>12}{f['accessibility']:>14}"
            f"{f['lcp_ms'] / 1000:>7.2f} s{f['tbt_ms']:>5.0f} ms{f['cls']:>7.3f}"
            f"  {'FAIL: ' + '; '.join(missed) if missed else 'pass'}"
        )
        for note in notes:
            print(f"{'':<15}  {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
