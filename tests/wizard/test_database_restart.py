"""The database goes away while a nurse is mid-assessment and comes back: every page answers
503 in words meanwhile (never a 500), and no answer saved before is lost."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.db import connection, connections

from tests.wizard.conftest import step_url
from tests.wizard.helpers import neuro_post, symptoms_post, vitals_post
from triage.models import Round


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once it is closed


def autosave(client, encounter, step: str, data: dict, lock_version: int):
    return client.post(
        step_url(encounter, step),
        {**data, "lock_version": lock_version, "_autosave": "1"},
        headers={"HX-Request": "true"},
    )


def cut_off_the_database():
    """What the app sees while the database restarts: its open connection is ended by the
    server, and no new connection gets through until it is back (the connection is pointed at
    a port where nothing listens)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )
            assert cursor.fetchone() == (True,)
    finally:
        other.close()
    real = connection.get_connection_params
    port = closed_port()
    return mock.patch.object(
        connection,
        "get_connection_params",
        lambda: {**real(), "host": "127.0.0.1", "port": port},
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_mid_assessment_answers_503_in_words_and_loses_no_answer(
    nurse_client, encounter
):
    nurse_client.raise_request_exception = False  # as a real server: the error page is sent
    for step, answers in (("symptoms", symptoms_post(pain_score="7")), ("neuro", neuro_post())):
        encounter.refresh_from_db()
        saved = autosave(nurse_client, encounter, step, answers, encounter.lock_version)
        assert saved["X-Autosave"] == "saved"
    encounter.refresh_from_db()
    version = encounter.lock_version  # what the open vitals page holds
    before = Round.objects.get()

    with cut_off_the_database():
        for _ in range(2):  # the ended connection first, then a refused one
            response = autosave(nurse_client, encounter, "vitals", vitals_post(), version)
            assert response.status_code == 503
            assert "Not available for a moment" in response.content.decode()
            assert "kept on that device" in response.content.decode()
        page = nurse_client.get(step_url(encounter, "vitals"))
        assert page.status_code == 503
        assert "cannot reach its database" in page.content.decode()
        assert nurse_client.get("/healthz").status_code == 503

    # Back: the page sends what it kept, and it is saved beside every earlier answer.
    response = autosave(nurse_client, encounter, "vitals", vitals_post(), version)
    assert response.status_code == 200
    assert response["X-Autosave"] == "saved"
    after = Round.objects.get()
    assert after.symptoms == before.symptoms and after.symptoms is not None
    assert after.neuro == before.neuro and after.neuro is not None
    assert before.vitals is None and after.vitals is not None
    assert nurse_client.get(step_url(encounter, "check")).status_code == 200
