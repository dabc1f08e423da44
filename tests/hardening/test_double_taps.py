"""A double tap never makes two records nor a server error."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from triage.actions import encounters as actions
from triage.models import Encounter


@pytest.mark.django_db(transaction=True)
def test_start_assessment_tapped_twice_at_once_gives_the_one_encounter(nurse, ward):
    """The second request waits on the first's row, then returns it (no 500, no twin)."""
    token = uuid.uuid4()
    details = dict(
        by=nurse,
        ward=ward,
        patient_identifier="TWICE01",
        procedure_at=timezone.now(),
        levels=["L1"],
        client_token=token,
    )
    second: dict = {}

    def tap_again() -> None:
        try:
            second["encounter"] = actions.start_encounter(**details)
        except Exception as error:  # noqa: BLE001 - the test reports whatever it was
            second["error"] = error
        finally:
            connection.close()

    with transaction.atomic():
        first = actions.start_encounter(**details)  # not yet committed
        other = threading.Thread(target=tap_again)
        other.start()
        time.sleep(0.5)  # the second tap now waits on the first's unique token
        assert other.is_alive()
    other.join(timeout=10)
    assert "error" not in second, second
    assert second["encounter"].pk == first.pk
    assert Encounter.objects.count() == 1
    assert Encounter.objects.get().rounds.count() == 1
