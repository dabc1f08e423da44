import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0015_two_factor_reset"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueSearch",
            fields=[
                ("token", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=32)),
                ("expires_at", models.DateTimeField(db_index=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
