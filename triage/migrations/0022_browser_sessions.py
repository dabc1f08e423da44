"""Sessions keep their user's id in a column, so that a request reads both in one statement.

Live sessions are carried over, without the column (it is written on their next save, within a
minute of use): nobody is signed out by the upgrade. Django's own session table is left empty.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0021_round_drafts_by_author"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="BrowserSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="browser_sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunSQL(
            [
                "INSERT INTO triage_browsersession (session_key, session_data, expire_date) "
                "SELECT session_key, session_data, expire_date FROM django_session "
                "WHERE expire_date > now()",
                "DELETE FROM django_session",  # no longer read or written
            ],
            migrations.RunSQL.noop,
        ),
    ]
