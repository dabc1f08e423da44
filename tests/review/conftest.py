from __future__ import annotations

import pytest

from tests.browser.conftest import axe, browser_context_args, sign_in  # noqa: F401
from tests.review.factories import WEAK_LEG, SubmittedEncounterFactory


@pytest.fixture
def make_encounter(nurse, published_guidance):
    """Submitted encounters of the ward, entered by `nurse`."""

    def make(**kwargs):
        kwargs.setdefault("ward", nurse.wards.get())
        kwargs.setdefault("created_by", nurse)
        return SubmittedEncounterFactory(**kwargs)

    return make


@pytest.fixture
def red_flag_encounter(make_encounter):
    return make_encounter(patient_identifier="RED001", answers=WEAK_LEG)


@pytest.fixture
def physician_client(client, physician):
    client.force_login(physician)
    return client
