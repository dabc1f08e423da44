"""`make load`: nurses and physicians using the product at once (run by bench/load.py).

Nurses (three in four users) sign in and walk the bedside wizard from a new patient to the
result, open their list and call the JSON API; physicians sign in, filter the review queue,
open records, their audit trails and the API export. The demo users (`manage.py demo_data`,
password triage-demo) sign in as a browser would, with the CSRF token of each form.

Runs in locust's own process (it patches the standard library with gevent at import), so it
imports nothing from Django or the product: the answers below are what the pages' forms post.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from locust import HttpUser, between, task

PASSWORD = "triage-demo"  # noqa: S105 - the documented demo password (make run)
LEG_MYOTOMES = ("L2", "L3", "L4", "L5", "S1")
SIDES = ("left", "right")
FINDINGS = {
    "procedure": {"hours_since": 30, "levels": ["T12", "L1"]},
    "symptoms": {"pain_score": 8, "pain_course": "sudden_increase_after_improvement"},
    "vitals": {"respiratory_rate": 18, "spo2": 97, "on_oxygen": False, "systolic_bp": 128,
               "heart_rate": 84, "consciousness": "A", "temperature": 36.8},
}  # fmt: skip
ENCOUNTER = re.compile(r'href="/encounters/([0-9a-f-]{36})/"')


def symptoms() -> dict:
    return {
        "pain_score": str(random.randint(0, 10)),
        "pain_course": random.choice(["improving", "unchanged", "worse_since_procedure"]),
        "radicular_pain": "no",
        "chest_pain": "no",
        "dyspnoea": random.choice(["no", "no", "yes"]),
        "uncontrolled_despite_analgesia": "no",
    }


def neuro() -> dict:
    data = {}
    for myotome in LEG_MYOTOMES:
        for side in SIDES:
            data[f"power_{myotome}_{side}_baseline"] = "5"
            data[f"power_{myotome}_{side}"] = random.choice(["5", "5", "5", "4"])
    for side in SIDES:
        data[f"sensation_{side}_baseline"] = "normal"
        data[f"sensation_{side}"] = "normal"
    return data | {"saddle_anaesthesia": "no", "bowel_bladder": "normal", "focal_signs": "no"}


def vitals() -> dict:
    return {
        "respiratory_rate": str(random.randint(12, 24)),
        "spo2": str(random.randint(92, 99)),
        "spo2_scale": "1",
        "on_oxygen": "no",
        "systolic_bp": str(random.randint(100, 150)),
        "heart_rate": str(random.randint(60, 110)),
        "consciousness": "A",
        "temperature": f"{random.uniform(36.0, 38.4):.1f}",
    }


class Clinician(HttpUser):
    abstract = True
    username = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.get("/accounts/login/")
        response = self.post(
            "/accounts/login/", {"username": self.username, "password": PASSWORD}, "sign in"
        )
        if "/accounts/login/" in response.url:
            response.failure(f"{self.username} could not sign in")

    def post(self, url: str, data: dict, name: str):
        """A form post as the browser sends it, with the CSRF token of the session."""
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(url, data | {"csrfmiddlewaretoken": token}, name=name)


class Nurse(Clinician):
    weight = 3
    username = "nurse"

    @task(3)
    def assess_a_patient(self) -> None:
        page = self.client.get("/encounters/new/", name="/encounters/new/")
        ward = re.search(r'<option value="(\d+)"[^>]*>Spinal ward', page.text)
        procedure_at = datetime.now() - timedelta(hours=random.randint(2, 90))
        patient = {
            "patient_identifier": f"LOAD{random.randint(0, 10**6):06d}",
            "ward": ward.group(1) if ward else "",
            "procedure_at": procedure_at.strftime("%Y-%m-%dT%H:%M"),
            "levels": ["L1"],
        }
        response = self.post("/encounters/new/", patient, "/encounters/new/ (start)")
        match = re.search(r"/encounters/([0-9a-f-]{36})/", response.url)
        if match is None:
            response.failure("no encounter was started")
            return
        base = f"/encounters/{match.group(1)}"
        steps = {"symptoms": symptoms(), "neuro": neuro(), "vitals": vitals()}
        for slug, answers in (steps | {"imaging": {"status": "not_done"}}).items():
            self.post(
                f"{base}/{slug}/",
                answers | {"_autosave": "1"},
                f"/encounters/[id]/{slug}/ (autosave)",
            )
            self.post(f"{base}/{slug}/", answers, f"/encounters/[id]/{slug}/")
        self.client.get(f"{base}/check/", name="/encounters/[id]/check/")
        self.post(f"{base}/check/", {}, "/encounters/[id]/check/ (submit)")

    @task(2)
    def list_encounters(self) -> None:
        self.client.get("/encounters/", name="/encounters/")

    @task(2)
    def call_the_api(self) -> None:
        self.client.post("/api/v1/assess", json=FINDINGS, name="/api/v1/assess")


class Physician(Clinician):
    weight = 1
    username = "physician"

    @task(3)
    def review(self) -> None:
        queue = self.client.get("/review/", name="/review/")
        ids = ENCOUNTER.findall(queue.text)
        if not ids:
            return
        pk = random.choice(ids)
        self.client.get(f"/encounters/{pk}/", name="/encounters/[id]/")
        self.client.get(f"/api/v1/encounters/{pk}", name="/api/v1/encounters/[id]")

    @task(1)
    def filter_the_queue(self) -> None:
        escalation = random.choice(["emergency", "urgent", "routine"])
        self.client.get(
            f"/review/?escalation={escalation}&status=unsigned", name="/review/?filters"
        )

    @task(1)
    def audit_trail(self) -> None:
        queue = self.client.get("/review/?status=unsigned", name="/review/?filters")
        ids = ENCOUNTER.findall(queue.text)
        if ids:
            self.client.get(
                f"/encounters/{random.choice(ids)}/audit/", name="/encounters/[id]/audit/"
            )
