"""A submitted round's board summary: the few keys of its assessment a ward board row shows,
written by the database from the snapshot (an immutable function, so it can generate a column).

Red flags keep their code and title only (in their order), pathways their codes, and
`news2_detail` its sub-scores; `escalation` and `news2` are kept as stored. A key the
assessment lacks is absent (an assessment made under contract v1 has no `escalation`). Whatever
the assessment holds, the function answers (null for anything but an object): a summary never
stands in the way of storing an assessment.
"""

from django.db import migrations, models

SUMMARY = """
CREATE FUNCTION triage_board_summary(assessment jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
    SELECT jsonb_object_agg(key, CASE key
        WHEN 'pathways' THEN jsonb_path_query_array(value, '$[*].code')
        WHEN 'news2_detail' THEN jsonb_build_object('sub_scores', value -> 'sub_scores')
        WHEN 'red_flags' THEN (
            SELECT jsonb_agg(
                jsonb_build_object('code', flag -> 'code', 'title', flag -> 'title') ORDER BY n
            )
            FROM jsonb_array_elements(
                CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]'::jsonb END
            ) WITH ORDINALITY AS flags(flag, n)
        )
        ELSE value END)
    FROM jsonb_each(
        CASE WHEN jsonb_typeof(assessment) = 'object' THEN assessment ELSE '{}'::jsonb END
    )
    WHERE key IN ('escalation', 'news2', 'news2_detail', 'red_flags', 'pathways')
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0022_browser_sessions"),
    ]

    operations = [
        migrations.RunSQL(SUMMARY, "DROP FUNCTION triage_board_summary(jsonb)"),
        migrations.AddField(
            model_name="round",
            name="board_summary",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(models.F("assessment"), function="triage_board_summary"),
                output_field=models.JSONField(),
            ),
        ),
    ]
