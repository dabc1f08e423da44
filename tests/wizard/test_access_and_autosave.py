"""Ward isolation, roles, htmx autosave with live banners, and input kept across a logout."""

import gzip

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.wizard.conftest import step_url
from tests.wizard.helpers import neuro_post, session_ends, symptoms_post, vitals_post
from triage.access import STASH_KEY
from triage.models import Round
from triage.presenters import NEWS2_PARAMETER_LABELS
from triage.roles import Role

ENCOUNTER_PAGES = ["", "patient/", "symptoms/", "neuro/", "vitals/", "imaging/", "check/"]


@pytest.mark.parametrize("page", ENCOUNTER_PAGES)
def test_a_nurse_of_another_ward_gets_404(client, encounter, stranger, page):
    client.force_login(stranger)
    assert client.get(f"/encounters/{encounter.pk}/{page}").status_code == 404
    assert client.post(f"/encounters/{encounter.pk}/{page}", symptoms_post()).status_code == 404


def test_another_wards_nurse_cannot_submit_or_reassess(client, encounter, stranger):
    client.force_login(stranger)
    assert client.post(f"/encounters/{encounter.pk}/reassess/").status_code == 404
    assert client.post(step_url(encounter, "check")).status_code == 404
    assert Round.objects.get().status == Round.Status.DRAFT


def test_another_wards_drafts_are_not_listed(client, encounter, stranger):
    client.force_login(stranger)
    assert encounter.patient_identifier not in client.get("/encounters/").content.decode()


def test_a_guidance_admin_without_a_clinical_role_sees_no_patients(
    client, encounter, guidance_admin
):
    client.force_login(guidance_admin)
    assert client.get("/encounters/").status_code == 403
    assert client.get(f"/encounters/{encounter.pk}/symptoms/").status_code == 403


def test_anonymous_users_are_sent_to_login(client, encounter):
    client.logout()
    response = client.get(step_url(encounter, "symptoms"))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={step_url(encounter, 'symptoms')}"


def autosave(client, encounter, step, data):
    encounter.refresh_from_db()
    return client.post(
        step_url(encounter, step),
        {**data, "lock_version": encounter.lock_version, "_autosave": "1"},
        headers={"HX-Request": "true"},
    )


def test_autosave_saves_and_shows_the_red_flag_live(nurse_client, encounter):
    response = autosave(
        nurse_client, encounter, "neuro", neuro_post(weak={("L4", "left"): ("5", "3")})
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="red-flags" hx-swap-oob="innerHTML"' in content
    assert 'data-red-flag="progressive_neuro_deficit"' in content
    assert 'id="live-bar" hx-swap-oob="innerHTML"' in content
    assert 'data-flagged-answer="neuro.motor"' in content  # shown beside the leg power table
    assert "Call the on-call spinal team now" in content
    assert "<html" not in content  # a fragment, not the page
    assert Round.objects.get().neuro["power_L4_left"] == "3"


def test_a_partly_filled_step_still_raises_the_banner(nurse_client, encounter):
    """One weak myotome entered, the rest of the exam still blank: the banner must show."""
    data = {"power_L4_left_baseline": "5", "power_L4_left": "2"}
    response = autosave(nurse_client, encounter, "neuro", data)
    assert 'data-red-flag="progressive_neuro_deficit"' in response.content.decode()
    assert Round.objects.get().neuro is None  # not a complete, valid step: not saved
    assert Round.objects.get().pending["neuro"]["power_L4_left"] == ["2"]


def test_an_autosave_tells_the_page_the_server_has_the_answers(nurse_client, encounter):
    """The page keeps a copy on the device until an autosave says `saved` or `kept`."""
    saved = autosave(nurse_client, encounter, "vitals", vitals_post())
    assert saved["X-Autosave"] == "saved"
    kept = autosave(nurse_client, encounter, "vitals", {"respiratory_rate": "18.5"})
    assert kept["X-Autosave"] == "kept"
    assert Round.objects.get().pending["vitals"]["respiratory_rate"] == ["18.5"]


def test_an_autosave_over_someone_elses_change_says_conflict(nurse_client, encounter, ward):
    encounter.refresh_from_db()
    stale = encounter.lock_version
    colleague = Client()
    colleague.force_login(UserFactory(username="nurse2", roles=(Role.NURSE,), wards=(ward,)))
    autosave(colleague, encounter, "symptoms", symptoms_post())
    response = nurse_client.post(
        step_url(encounter, "vitals"),
        {**vitals_post(heart_rate="123"), "lock_version": stale, "_autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert response["X-Autosave"] == "conflict"
    assert Round.objects.get().vitals is None


def test_autosave_on_vitals_returns_news2_live(nurse_client, encounter):
    response = autosave(nurse_client, encounter, "vitals", vitals_post(respiratory_rate="25"))
    content = response.content.decode()
    assert 'id="news2-panel"' in content
    assert 'data-news2-score="3"' in content


def test_the_news2_panel_shows_each_answers_own_sub_scores(nurse_client, encounter):
    """The panel is drawn once for what it shows (its kept copy): the same total from another
    observation is another panel, and the same answers again give the same panel."""

    def panel(**vitals: str) -> str:
        content = autosave(nurse_client, encounter, "vitals", vitals_post(**vitals))
        text = content.content.decode()
        start = text.index('id="news2-panel"')
        return text[start : text.index("</section>", start)]

    def row(label: str, score: int) -> str:
        return f'<th scope="row" class="fw-normal">{label}</th><td>{score}</td>'

    breathing = panel(respiratory_rate="25")
    pulse = panel(heart_rate="131")
    assert 'data-news2-score="3"' in breathing and 'data-news2-score="3"' in pulse
    assert row(NEWS2_PARAMETER_LABELS["respiratory_rate"], 3) in breathing
    assert row(NEWS2_PARAMETER_LABELS["heart_rate"], 0) in breathing
    assert row(NEWS2_PARAMETER_LABELS["respiratory_rate"], 0) in pulse
    assert row(NEWS2_PARAMETER_LABELS["heart_rate"], 3) in pulse
    assert panel(respiratory_rate="25") == breathing


@pytest.mark.parametrize("step", ["symptoms", "neuro", "vitals", "imaging"])
def test_htmx_partials_are_small(nurse_client, encounter, step):
    data = {"symptoms": symptoms_post(), "neuro": neuro_post(), "vitals": vitals_post()}
    response = autosave(nurse_client, encounter, step, data.get(step, {"status": "not_done"}))
    assert response.status_code == 200
    assert len(gzip.compress(response.content)) <= 5 * 1024


def test_a_post_after_the_session_expired_is_kept_for_after_login(client, nurse, encounter):
    session_ends(client)
    response = client.post(step_url(encounter, "vitals"), vitals_post(heart_rate="131"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(nurse)
    page = client.get(step_url(encounter, "vitals")).content.decode()
    assert 'value="131"' in page
    assert "typed but not saved yet" in page


def test_what_was_kept_is_offered_only_to_who_typed_it(client, nurse, ward, encounter):
    session_ends(client)
    client.post(step_url(encounter, "vitals"), vitals_post(heart_rate="131"))
    colleague = UserFactory(username="nurse2", roles=(Role.NURSE,), wards=(ward,))
    client.force_login(colleague)
    page = client.get(step_url(encounter, "vitals")).content.decode()
    assert 'value="131"' not in page
    assert "typed but not saved yet" not in page


def test_a_stranger_who_never_signed_in_here_has_nothing_kept(client, encounter):
    client.cookies.clear()  # another browser, never signed in
    response = client.post(step_url(encounter, "vitals"), vitals_post(heart_rate="131"))
    assert response.status_code == 302
    assert STASH_KEY not in client.session


def test_an_htmx_autosave_after_expiry_redirects_the_page_to_login(client, encounter):
    client.logout()
    response = client.post(
        step_url(encounter, "vitals"), vitals_post(), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_physicians_can_open_their_wards_encounters(client, physician, encounter):
    client.force_login(physician)
    assert client.get(step_url(encounter, "symptoms")).status_code == 200
