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
    rounds = Round.objects.order_by("encounter__patient_identifier")
    assert [r.status for r in rounds] == ["submitted", "submitted", "submitted", "draft"]
    flags = [[f["code"] for f in r.assessment["red_flags"]] for r in rounds[:3]]
    assert flags[0] == []
    assert "progressive_neuro_deficit" in flags[1]
    assert "respiratory_distress" in flags[2]
