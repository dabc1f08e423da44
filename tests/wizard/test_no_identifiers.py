"""Patient identifiers stay out of page titles (kept in browser history and tab lists), and a
refused request is logged in one line, without a traceback."""

from __future__ import annotations

import logging
import re

import pytest

from tests.wizard.conftest import step_url

pytestmark = pytest.mark.django_db


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
