"""System checks the product adds to `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

from triage.db import roles


@register(Tags.database, Tags.security, deploy=True)
def application_has_its_own_database_role(app_configs, **kwargs) -> list[Warning]:
    if roles.distinct_roles(settings.DATABASES["default"]):
        return []
    return [
        Warning(
            "The application logs in to PostgreSQL as the tables' owner, so its own login could "
            "switch off the triggers that protect signed records and the audit trail.",
            hint="Set DATABASE_OWNER_URL to the owner and DATABASE_URL to a separate login; "
            "`manage.py migrate` creates that login if missing and grants it its privileges.",
            id="triage.W001",
        )
    ]
