"""Patient identifiers stay out of page titles (kept in browser history and tab lists) and out
of the logs; a refused request is logged in one line, without a traceback."""

from __future__ import annotations

import json
import logging
import re
import uuid

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.wizard.conftest import post_step, step_url
from tests.wizard.helpers import imaging_post, neuro_post, patient_post, symptoms_post, vitals_post
from triage.models import Encounter

pytestmark = pytest.mark.django_db

STEPS = {
    "symptoms": symptoms_post,
    "neuro": neuro_post,
    "vitals": vitals_post,
    "imaging": imaging_post,
}


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_no_page_title_names_the_patient(nurse_client, encounter):
    identifier = encounter.patient_identifier
    for step in ("patient", "symptoms", "neuro", "vitals", "imaging", "check"):
        page = nurse_client.get(step_url(encounter, step)).content.decode()
        assert identifier in page  # the page itself says who the patient is
        title = title_of(page)
        assert identifier not in title, (step, title)
        assert encounter.ward.name in title


def test_a_refused_request_is_logged_without_a_traceback(client, nurse, encounter, caplog):
    client.force_login(nurse)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/review/")
    assert response.status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert refused
    assert all(r.exc_info is None for r in refused)


# A distinctive patient: an NHS number typed with spaces (stored as its ten digits). The product
# asks for no name and no date of birth; the one date about the patient is the procedure's.
NHS_TYPED = "943 476 5919"
NHS_STORED = "9434765919"
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


def signed_in(username: str, sent) -> Client:
    client = Client()
    response = sent(client.post("/accounts/login/", {"username": username, "password": PASSWORD}))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_a_whole_assessment_and_its_review_log_no_patient_identifier(
    nurse, physician, ward, published_guidance, json_log
):
    responses = []

    def sent(response):
        responses.append(response)
        return response

    nurse_client = signed_in(nurse.username, sent)
    patient = {**patient_post(ward, identifier=NHS_TYPED), "client_token": str(uuid.uuid4())}
    sent(nurse_client.get("/encounters/new/"))
    started = sent(nurse_client.post("/encounters/new/", patient))
    assert started.status_code == 302
    encounter = Encounter.objects.get(patient_identifier=NHS_STORED)
    for step, answers in STEPS.items():
        sent(nurse_client.get(step_url(encounter, step)))
        saved = sent(post_step(nurse_client, encounter, step, answers()))
        assert saved.status_code == 302, (step, saved.content.decode()[:2000])
    sent(nurse_client.get(step_url(encounter, "check")))
    submitted = sent(nurse_client.post(step_url(encounter, "check")))
    assert submitted.status_code == 302
    result = sent(nurse_client.get(submitted["Location"]))
    assert NHS_STORED in result.content.decode()

    physician_client = signed_in(physician.username, sent)
    sent(physician_client.get("/review/"))
    searched = sent(physician_client.post("/review/", {"q": NHS_STORED}))
    queue = sent(physician_client.get(searched["Location"]))
    assert str(encounter.pk) in queue.content.decode()
    record = sent(physician_client.get(f"/encounters/{encounter.pk}/"))
    assert NHS_STORED in record.content.decode()
    # An old bookmark with the identifier in its address, and a guessed address holding it.
    sent(physician_client.get(f"/review/?q={NHS_STORED}"))
    assert sent(physician_client.get(f"/encounters/{NHS_STORED}/")).status_code == 404

    lines = json_log()
    procedure_at = patient["procedure_at"]
    for line in lines:
        text = json.dumps(line)
        for secret in (NHS_STORED, NHS_TYPED, procedure_at, procedure_at.replace("T", " ")):
            assert secret not in text, (secret, line)
    requests = [line for line in lines if line["logger"] == "triage.request"]
    ids = [response["X-Request-ID"] for response in responses]
    assert [line["request_id"] for line in requests] == ids  # one line each, in order
    assert all(REQUEST_ID.fullmatch(request_id) for request_id in ids)
    assert len(set(ids)) == len(ids)
    for line in requests:
        assert set(line) >= {"method", "route", "path", "status", "duration_ms", "user_id", "role"}
    assert {line["role"] for line in requests} == {"nurse", "physician"}
    # The others written while a request ran carry its id (sign-in, the 404's warning...).
    during = [line for line in lines if line["request_id"] is not None]
    assert {line["logger"] for line in during} > {"triage.request", "django.request"}
    assert {line["request_id"] for line in during} <= set(ids)
