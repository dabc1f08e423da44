"""Guidance that has left draft never changes, so a round's guidance version shows what it showed.

Plain SQL triggers (not model-declared pgtrigger ones) so the model state is untouched:
- an entry can be added, changed or removed only while its version is a draft;
- a published or retired version is never deleted, and the only change it allows is
  published -> retired.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION triage_guidance_entry_of_draft_only() RETURNS trigger AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM triage_guidanceversion
    WHERE id IN (OLD.version_id, NEW.version_id) AND status <> 'draft'
  ) THEN
    RAISE EXCEPTION 'guidance entries of a published or retired version cannot change'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER guidance_entry_of_draft_only
BEFORE INSERT OR UPDATE OR DELETE ON triage_guidanceentry
FOR EACH ROW EXECUTE FUNCTION triage_guidance_entry_of_draft_only();

CREATE FUNCTION triage_guidance_version_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a published or retired guidance version cannot be deleted'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NOT (OLD.status IN ('published', 'retired') AND NEW.status = 'retired')
     OR ROW(NEW.number, NEW.based_on_id, NEW.change_summary, NEW.created_by_id,
            NEW.created_at, NEW.published_by_id, NEW.published_at)
        IS DISTINCT FROM
        ROW(OLD.number, OLD.based_on_id, OLD.change_summary, OLD.created_by_id,
            OLD.created_at, OLD.published_by_id, OLD.published_at) THEN
    RAISE EXCEPTION 'a published or retired guidance version cannot change, only be retired'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER guidance_version_frozen
BEFORE UPDATE OR DELETE ON triage_guidanceversion
FOR EACH ROW WHEN (OLD.status <> 'draft')
EXECUTE FUNCTION triage_guidance_version_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS guidance_version_frozen ON triage_guidanceversion;
DROP FUNCTION IF EXISTS triage_guidance_version_frozen();
DROP TRIGGER IF EXISTS guidance_entry_of_draft_only ON triage_guidanceentry;
DROP FUNCTION IF EXISTS triage_guidance_entry_of_draft_only();
"""


class Migration(migrations.Migration):
    dependencies = [("triage", "0007_guidance_v1")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
