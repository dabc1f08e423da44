"""Each open page (tab) is its own editor: the same nurse's stale second tab is a conflict that
keeps its answers, while one page's own saves, and the same answers sent twice, are not."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.wizard.conftest import step_url
from tests.wizard.helpers import symptoms_post, vitals_post
from triage.models import Encounter, Round
from triage.roles import Role

pytestmark = pytest.mark.django_db


def open_page(client, encounter, step: str = "vitals") -> dict:
    """What a freshly opened step page will post back: its editor id and version."""
    page = client.get(step_url(encounter, step)).content.decode()
    return {
        "editor": re.search(r'name="editor" value="([^"]+)"', page).group(1),
        "lock_version": re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1),
    }


def test_each_page_has_its_own_editor_id(nurse_client, encounter):
    assert (
        open_page(nurse_client, encounter)["editor"] != open_page(nurse_client, encounter)["editor"]
    )


def test_a_stale_second_tab_of_the_same_nurse_is_a_conflict_that_keeps_its_answers(
    nurse_client, encounter
):
    first, second = open_page(nurse_client, encounter), open_page(nurse_client, encounter)
    saved = nurse_client.post(step_url(encounter, "vitals"), {**vitals_post(), **first})
    assert saved.status_code == 302
    stale = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="140"), **second}
    )
    assert stale.status_code == 409
    assert 'value="140"' in stale.content.decode()
    assert Round.objects.get().vitals["heart_rate"] == 70  # the first tab's answer stands


def test_one_pages_own_autosaves_are_not_a_conflict(nurse_client, encounter):
    page = open_page(nurse_client, encounter)
    autosave = {**vitals_post(heart_rate="80"), **page, "_autosave": "1"}
    response = nurse_client.post(step_url(encounter, "vitals"), autosave)
    assert response["X-Autosave"] == "saved"
    final = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="81"), **page}
    )  # still carrying the version the page opened with
    assert final.status_code == 302
    assert Round.objects.get().vitals["heart_rate"] == 81


def test_the_same_answers_sent_twice_are_not_a_conflict(nurse_client, encounter):
    """Two identical saves racing (a flush and a beacon): the second finds them saved."""
    page = open_page(nurse_client, encounter)
    data = {**vitals_post(temperature="37.5"), **page, "_autosave": "1"}
    assert nurse_client.post(step_url(encounter, "vitals"), data)["X-Autosave"] == "saved"
    again = {**data, "editor": open_page(nurse_client, encounter)["editor"]}  # no credit
    assert nurse_client.post(step_url(encounter, "vitals"), again)["X-Autosave"] == "saved"
    other = open_page(nurse_client, encounter)["editor"]
    changed = {**data, "editor": other, "heart_rate": "99"}  # different answers, stale version
    assert nurse_client.post(step_url(encounter, "vitals"), changed)["X-Autosave"] == "conflict"


def test_kept_input_does_not_hand_the_page_a_version_it_never_showed(nurse_client, encounter, ward):
    """A colleague saves the same step while this page holds input not valid yet: the page
    keeps the version it showed, so its next save is a conflict, not an unseen overwrite."""

    def autosave(client, data, version):
        return client.post(
            f"/encounters/{encounter.pk}/symptoms/",
            {**data, "lock_version": version, "_autosave": "1"},
            headers={"HX-Request": "true"},
        )

    encounter.refresh_from_db()
    seen = encounter.lock_version
    colleague = Client()
    colleague.force_login(UserFactory(username="nurse2", roles=(Role.NURSE,), wards=(ward,)))
    assert autosave(colleague, symptoms_post(pain_score="9"), seen)["X-Autosave"] == "saved"

    kept = autosave(nurse_client, {"pain_score": "3"}, seen)
    assert kept["X-Autosave"] == "kept"
    version = re.search(r'id="lock-version" value="(\d+)"', kept.content.decode()).group(1)
    assert int(version) == seen

    again = autosave(nurse_client, symptoms_post(pain_score="3"), version)
    assert again["X-Autosave"] == "conflict"
    assert Round.objects.get().symptoms["pain_score"] == 9  # the colleague's, not overwritten


def test_a_save_hands_back_the_version_it_wrote(nurse, encounter):
    from triage.actions import encounters as actions
    from triage.models import Encounter

    round = Round.objects.get(encounter=encounter)
    before = Encounter.objects.get(pk=encounter.pk)
    saved = actions.save_step(
        round=round,
        section="symptoms",
        answers={"pain_score": 4},
        step="symptoms",
        by=nurse,
        expected_version=before.lock_version,
    )
    after = Encounter.objects.get(pk=encounter.pk)
    assert after.lock_version == before.lock_version + 1
    assert (saved.encounter.lock_version, saved.encounter.updated_at) == (
        after.lock_version,
        after.updated_at,
    )


def test_a_pages_credit_survives_signing_in_again(nurse, encounter):
    """The session ended while the nurse typed; signed in again, the same page saves on."""
    first = Client()
    first.force_login(nurse)
    page = open_page(first, encounter)
    autosave = {**vitals_post(heart_rate="80"), **page, "_autosave": "1"}
    assert first.post(step_url(encounter, "vitals"), autosave)["X-Autosave"] == "saved"
    again = Client()
    again.force_login(nurse)
    final = again.post(step_url(encounter, "vitals"), {**vitals_post(heart_rate="81"), **page})
    assert final.status_code == 302
    assert Round.objects.get().vitals["heart_rate"] == 81


def test_a_save_from_elsewhere_takes_the_credit_away(nurse_client, encounter):
    """Page one autosaves, page two saves over it: page one's next save is a conflict."""
    one, two = open_page(nurse_client, encounter), open_page(nurse_client, encounter)
    autosave = {**vitals_post(heart_rate="80"), **one, "_autosave": "1"}
    assert nurse_client.post(step_url(encounter, "vitals"), autosave)["X-Autosave"] == "saved"
    two = {**two, "lock_version": str(Encounter.objects.get(pk=encounter.pk).lock_version)}
    saved = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="90"), **two}
    )
    assert saved.status_code == 302
    stale = nurse_client.post(
        step_url(encounter, "vitals"), {**vitals_post(heart_rate="81"), **one}
    )
    assert stale.status_code == 409
    assert Round.objects.get().vitals["heart_rate"] == 90
