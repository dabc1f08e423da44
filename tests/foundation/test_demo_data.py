import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from triage.models import Round, User
from triage.roles import Role


@pytest.mark.django_db
def test_demo_data_creates_the_three_users_idempotently(published_guidance):
    call_command("demo_data")
    call_command("demo_data")
    assert User.objects.filter(username__in=["nurse", "physician", "admin"]).count() == 3
    request = RequestFactory().post("/accounts/login/")
    for username, role in [
        ("nurse", Role.NURSE),
        ("physician", Role.PHYSICIAN),
        ("admin", Role.GUIDANCE_ADMIN),
    ]:
        user = authenticate(request, username=username, password="triage-demo")
        assert user is not None, username
        assert user.has_role(role)
        assert [w.name for w in user.wards.all()] == ["Spinal ward"]
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_data_is_refused_outside_dev(settings):
    settings.IS_DEV = False
    with pytest.raises(CommandError, match="only runs in development"):
        call_command("demo_data")
    assert not User.objects.filter(username="nurse").exists()


@pytest.mark.django_db
def test_demo_data_includes_submitted_encounters_and_one_draft(published_guidance):
    call_command("demo_data")
    call_command("demo_data")
    rounds = {r.encounter.patient_identifier: r for r in Round.objects.select_related("encounter")}
    assert len(rounds) == 10  # run twice: still one of each
    assert [name for name, r in rounds.items() if r.status == "draft"] == ["DEMO-1004"]
    flags = {
        name: [f["code"] for f in r.assessment["red_flags"]]
        for name, r in rounds.items()
        if r.status == "submitted"
    }
    assert flags["DEMO-1001"] == []
    assert rounds["DEMO-1001"].assessment["escalation"] == "routine"
    assert "progressive_neuro_deficit" in flags["DEMO-1002"]
    assert "respiratory_distress" in flags["DEMO-1003"]


NEW_RED_FLAGS = [
    ("DEMO-1005", "systemic_embolism"),
    ("DEMO-1006", "stroke_signs"),
    ("DEMO-1007", "altered_consciousness"),
    ("DEMO-1008", "respiratory_depression"),
    ("DEMO-1009", "circulatory_compromise"),
]


@pytest.mark.django_db
def test_every_red_flag_added_by_rules_v2_appears_in_the_demo(published_guidance):
    call_command("demo_data")
    submitted = Round.objects.filter(status="submitted").select_related("encounter")
    by_patient = {r.encounter.patient_identifier: r for r in submitted}
    for patient, code in NEW_RED_FLAGS:
        assessment = by_patient[patient].assessment
        assert assessment["contract"] == "v2"
        assert code in [f["code"] for f in assessment["red_flags"]], (patient, assessment)
        assert assessment["escalation"] == "emergency"


@pytest.mark.django_db
def test_the_demo_cervical_patient_has_a_normal_arm_exam(published_guidance):
    call_command("demo_data")
    round = Round.objects.get(encounter__patient_identifier="DEMO-1010")
    assert round.encounter.levels == ["C6"]
    assert round.findings["neuro"]["upper_limb"] == "normal"
    assert round.assessment["incomplete"] == []
    assert round.assessment["escalation"] == "routine"


@pytest.mark.django_db
def test_the_demo_has_recorded_and_unrecorded_escalations(published_guidance):
    from triage.models import Encounter, EscalationCall

    call_command("demo_data")
    call_command("demo_data")
    state = dict(Encounter.objects.values_list("patient_identifier", "escalation_call"))
    assert state["DEMO-1003"] == state["DEMO-1005"] == "recorded"
    assert state["DEMO-1002"] == "missing"
    assert state["DEMO-1001"] == ""
    assert EscalationCall.objects.count() == 2  # run twice: still one each


@pytest.mark.django_db
def test_the_demo_ward_board_has_overdue_observations_and_an_unrecorded_escalation(
    published_guidance,
):
    from triage.ward_board import board_rows

    call_command("demo_data")
    ward = User.objects.get(username="nurse").wards.get()
    rows = {row.encounter.patient_identifier: row for row in board_rows(ward)}
    assert rows["DEMO-1001"].overdue and not rows["DEMO-1001"].due["continuous"]
    assert rows["DEMO-1002"].escalation_not_recorded
    assert "DEMO-1004" not in rows  # a draft is not on the board
