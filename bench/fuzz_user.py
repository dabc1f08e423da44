"""A throwaway nurse (on a ward of its own) with a personal API token, for `make fuzz`.

Prints the token and nothing else. Refuses to run outside development settings: it is for the
fuzz run's own database, never a real one.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triage.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from triage.actions.api_tokens import create_token  # noqa: E402
from triage.models import User, Ward  # noqa: E402
from triage.roles import Role  # noqa: E402

if not settings.IS_DEV:
    sys.exit("fuzz_user.py runs only with TRIAGE_ENV=dev, against the fuzz run's own database")
ward, _ = Ward.objects.get_or_create(name="Fuzz ward")
user = User.objects.create_user(username=f"fuzz-{secrets.token_hex(4)}")  # no password
user.groups.add(Group.objects.get_or_create(name=Role.NURSE.value)[0])
user.wards.add(ward)
print(create_token(user=user, name="make fuzz").raw)
