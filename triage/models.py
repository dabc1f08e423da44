from __future__ import annotations

import uuid
from typing import Any, ClassVar, cast

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Func
from django.db.models.fields.json import KT
from django.db.models.functions import Upper
from django.utils import timezone

from triage.clinical.findings import QUESTION_SECTIONS
from triage.moments import moment_text
from triage.roles import Role, has_role


class Ward(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A clinician or guideline owner. Nurses work on one ward; physicians may cover several."""

    wards = models.ManyToManyField(Ward, blank=True, related_name="staff")

    def has_role(self, role: Role) -> bool:
        return has_role(self, role)

    def ward_list(self) -> list[Ward]:
        """The user's wards by name. A signed-in user comes with them (`ward_rows`, read with
        the user by `auth_backend.with_role_names`): no query then."""
        rows = getattr(self, "ward_rows", None)
        if rows is None:
            return list(self.wards.order_by("name"))
        columns = ["id", "name"]
        return [Ward.from_db(DEFAULT_DB_ALIAS, columns, (row["id"], row["name"])) for row in rows]

    @property
    def home_ward(self) -> Ward | None:
        """The ward to prefill on a new encounter: the user's only ward, if they have one."""
        wards = self.ward_list()
        return wards[0] if len(wards) == 1 else None


class BrowserSession(AbstractBaseSession):
    """A browser's session, as Django keeps it, and whose it is: a signed-in request reads its
    session and its user in one statement (`triage.session_store`). `user` is a copy of the
    user id in the session's data, written with it; a session without it (not signed in, or
    kept from before the column) is read as Django reads it, then its user by id."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="browser_sessions"
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from triage.session_store import SessionStore

        return SessionStore


# --- Guidance ---------------------------------------------------------------------------------


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class GuidanceVersion(models.Model):
    """A complete set of guidance texts. Drafts are edited; one version is published at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    change_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    # Its audit events' model, which `pghistory.track` makes when the class is created.
    pgh_event_model: ClassVar[type[Any]]

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="one_published_guidance_version",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(published_at__isnull=False) & ~models.Q(change_summary="")),
                name="published_guidance_has_date_and_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"Guidance v{self.number} ({self.get_status_display().lower()})"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class GuidanceEntry(models.Model):
    """The text shown for one guidance key (a red flag, a pathway, an imaging urgency, general)."""

    version = models.ForeignKey(GuidanceVersion, on_delete=models.PROTECT, related_name="entries")
    key = models.CharField(max_length=64)
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown")
    actions = models.TextField(blank=True, help_text="One recommended action per line")
    citations = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)

    # Its audit events' model, which `pghistory.track` makes when the class is created.
    pgh_event_model: ClassVar[type[Any]]

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_entry_per_key_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.key} (v{self.version.number})"


def _refuse_if_signed(encounter_id: str, message: str) -> str:
    # Trigger source built from constants in this module, never from user input.
    return (
        f"IF EXISTS (SELECT 1 FROM triage_signoff WHERE encounter_id = {encounter_id}) THEN "  # noqa: S608
        f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END IF; RETURN COALESCE(NEW, OLD);"
    )


# A signed encounter is locked in the database itself: no code path can change it or its rounds.
SIGNED_ENCOUNTER_IS_LOCKED = pgtrigger.Trigger(
    name="signed_encounter_is_locked",
    when=pgtrigger.Before,
    operation=pgtrigger.Update | pgtrigger.Delete,
    func=_refuse_if_signed("OLD.id", "encounter is signed off and locked"),
)
SIGNED_ENCOUNTER_ROUNDS_ARE_LOCKED = pgtrigger.Trigger(
    name="signed_encounter_rounds_are_locked",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    func=_refuse_if_signed(
        "COALESCE(NEW.encounter_id, OLD.encounter_id)", "encounter is signed off and locked"
    ),
)


# --- Encounters -------------------------------------------------------------------------------


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class Encounter(models.Model):
    """One patient's episode of increased pain after vertebroplasty, on one ward.

    Patient & procedure details live here; each assessment (the first and any reassessment) is a
    Round. An encounter is a draft until its first round is submitted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="encounters")
    patient_identifier = models.CharField(max_length=32)
    procedure_at = models.DateTimeField(null=True, blank=True)
    levels = ArrayField(models.CharField(max_length=3), default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Sent with the "start" form so a double tap or a retry never creates a second encounter.
    client_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # Optimistic locking: every write states the version it read; a stale write is refused.
    lock_version = models.PositiveIntegerField(default=1)
    # The page (one tab's rendering of a wizard step) that wrote the current version, if a
    # page did: its own later saves are no conflict. Any other write clears it.
    last_editor = models.UUIDField(null=True, blank=True, editable=False)

    # The physician's review queue, kept by the actions that submit and sign (never edited by
    # hand) so that a queue page is one indexed keyset scan (triage/views/review.py).
    class QueueRank(models.IntegerChoices):
        """Higher ranks come first in the queue: unsigned emergencies, then urgent, then
        routine, then signed (equal to ``triage.clinical.snapshots.ESCALATION_RANK``)."""

        SIGNED_OR_DRAFT = 0, "Signed (or not submitted)"
        ROUTINE = 1, "Unsigned, routine"
        URGENT = 2, "Unsigned, urgent"
        EMERGENCY = 3, "Unsigned emergency"

    class Escalation(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    queue_rank = models.PositiveSmallIntegerField(
        choices=QueueRank, default=QueueRank.SIGNED_OR_DRAFT
    )
    escalation = models.CharField(
        max_length=10,
        choices=Escalation,
        blank=True,
        help_text="The most urgent escalation of any round (blank before the first submission)",
    )
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    red_flag_codes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, help_text="Of any round"
    )
    pathway_codes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, help_text="Of any round"
    )
    latest_news2 = models.PositiveSmallIntegerField(null=True, blank=True)

    class EscalationCall(models.TextChoices):
        """Whether the nurse recorded who they told of an emergency or urgent assessment (kept
        by the actions that submit, record a call and acknowledge, like the queue's columns)."""

        NOT_NEEDED = "", "No emergency or urgent assessment"
        MISSING = "missing", "Escalation not recorded"
        ACKNOWLEDGED = "acknowledged", "Escalation acknowledged by a physician"
        RECORDED = "recorded", "Escalation recorded"

    escalation_call = models.CharField(
        max_length=12,
        choices=EscalationCall,
        blank=True,
        default=EscalationCall.NOT_NEEDED,
        help_text="Missing while an emergency or urgent assessment has no call recorded and no "
        "physician's acknowledgement",
    )

    class Meta:
        ordering = ["-created_at"]
        triggers = [SIGNED_ENCOUNTER_IS_LOCKED]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(escalation_call__in=["", "missing", "acknowledged", "recorded"]),
                name="encounter_escalation_call_known",
            ),
            # Only an emergency or urgent escalation asks for a call to be recorded.
            models.CheckConstraint(
                condition=models.Q(escalation_call="")
                | models.Q(escalation__in=["emergency", "urgent"]),
                name="escalation_call_only_when_escalated",
            ),
        ]
        indexes = [
            # The queue reads this backwards from a cursor: (rank, time, id) < (the last row's).
            models.Index(
                fields=["queue_rank", "last_submitted_at", "id"],
                condition=models.Q(last_submitted_at__isnull=False),
                name="encounter_review_queue",
            ),
            # The ward board and its count of older patients: a ward's encounters by the time
            # of their latest assessment.
            models.Index(
                fields=["ward", "last_submitted_at"],
                condition=models.Q(last_submitted_at__isnull=False),
                name="encounter_ward_last_submitted",
            ),
            GinIndex(fields=["red_flag_codes"], name="encounter_red_flag_codes"),
            GinIndex(fields=["pathway_codes"], name="encounter_pathway_codes"),
            # Patient identifier search is a case-insensitive prefix match.
            models.Index(
                OpClass(Upper("patient_identifier"), name="text_pattern_ops"),
                name="encounter_identifier_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"Encounter {self.patient_identifier} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def neutral_label(self) -> str:
        """Names the encounter without the patient (for page titles, which browsers keep in
        history and show in tab lists): its ward and when it was started."""
        return f"{self.ward.name}, started {moment_text(self.created_at, 'short')}"

    def current_round(self) -> Round:
        """The latest round: the one being answered, or the last one submitted."""
        # Never None: an encounter is started with its first round (`start_encounter`).
        return cast(Round, self.rounds.order_by("-number").first())


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    # Generated from the snapshot, which the event already holds.
    exclude=["rules_version", "board_summary"],
    append_only=True,
)
class Round(models.Model):
    """One assessment of the patient: what the nurse answered and, once submitted, what was shown.

    Step answers are stored as entered (JSON of the step's cleaned form data). Submission
    freezes the contract findings, the full assessment and the guidance version as a snapshot
    that a database trigger protects from any later change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    symptoms = models.JSONField(null=True, blank=True)
    neuro = models.JSONField(null=True, blank=True)
    vitals = models.JSONField(null=True, blank=True)
    imaging = models.JSONField(null=True, blank=True)
    last_step = models.CharField(max_length=20, blank=True)
    # Input a step could not save yet (invalid or interrupted), by step, so nothing is lost.
    pending = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    findings = models.JSONField(null=True, blank=True)
    assessment = models.JSONField(null=True, blank=True)
    guidance_version = models.ForeignKey(
        GuidanceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The rules (assessment contract) version the snapshot was made under, read by the
    # database from the snapshot itself, so the two can never disagree; null for a draft.
    rules_version = models.GeneratedField(
        expression=KT("assessment__contract"),
        output_field=models.CharField(max_length=8),
        db_persist=True,
    )
    # Of the snapshot's assessment, what a ward board row shows (`ward_board`): `escalation`,
    # `news2` and `red_flags` (code and title of each) as stored, the pathways' codes and
    # `news2_detail`'s sub-scores. Written by the database from the snapshot (the function
    # `triage_board_summary`, migration 0023), so a board reads a few hundred bytes a round
    # instead of the whole assessment; null for a draft.
    board_summary = models.GeneratedField(
        expression=Func(F("assessment"), function="triage_board_summary"),
        output_field=models.JSONField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["encounter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["encounter", "number"], name="round_number_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    status="draft",
                    submitted_at__isnull=True,
                    submitted_by__isnull=True,
                    assessment__isnull=True,
                )
                | models.Q(
                    status="submitted",
                    submitted_at__isnull=False,
                    submitted_by__isnull=False,
                    findings__isnull=False,
                    assessment__isnull=False,
                    guidance_version__isnull=False,
                ),
                name="round_submission_is_complete",
            ),
        ]
        indexes = [
            # The nurse's list: her drafts, most recently saved first (a few among every round
            # kept; without it their read walks every encounter of her wards).
            models.Index(
                fields=["created_by", "-updated_at"],
                condition=models.Q(status="draft"),
                name="round_drafts_by_author",
            ),
        ]
        triggers = [
            # A submitted round is a record of what was shown: never changed, never deleted.
            pgtrigger.Protect(
                name="submitted_round_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="submitted"),
            ),
            SIGNED_ENCOUNTER_ROUNDS_ARE_LOCKED,
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.encounter}"

    @property
    def answered_sections(self) -> set[str]:
        return {name for name in QUESTION_SECTIONS if getattr(self, name)}


# --- Review -------------------------------------------------------------------------------------

APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class SignOff(models.Model):
    """A physician's electronic signature on an encounter. Once signed, the encounter is locked."""

    encounter = models.OneToOneField(Encounter, on_delete=models.PROTECT, related_name="sign_off")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"Signed by {self.signed_by} at {self.signed_at:%Y-%m-%d %H:%M}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class Addendum(models.Model):
    """Free text added to an encounter after sign-off (or before); never edited or removed."""

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The form submission that added it: the same one sent twice adds it once.
    submission = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="addendum_has_text")
        ]

    def __str__(self) -> str:
        return f"Addendum by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class Override(models.Model):
    """A physician's disagreement with one red flag or pathway of a submitted round.

    Shown beside the original; the original assessment is never changed.
    """

    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", "Red flag"
        PATHWAY = "pathway", "Pathway"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="overrides")
    kind = models.CharField(max_length=10, choices=Kind)
    code = models.CharField(max_length=40)
    original = models.CharField(max_length=20, help_text="What the assessment said")
    decision = models.CharField(max_length=20, help_text="What the physician decided")
    reason = models.TextField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason")
        ]

    def __str__(self) -> str:
        return f"Override of {self.kind} {self.code} by {self.by}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class Discharge(models.Model):
    """The patient's discharge, with its checklist: each item confirmed by the physician who
    discharged them. Once recorded, never changed; the encounter leaves the ward board."""

    class Osteoporosis(models.TextChoices):
        BISPHOSPHONATE = "bisphosphonate", "Bisphosphonate started"
        DENOSUMAB = "denosumab", "Denosumab started"
        TERIPARATIDE = "teriparatide", "Teriparatide started"
        REFERRED = "referred", "Referred for osteoporosis treatment"
        NOT_STARTED = "not_started", "Not started (reason given)"

    encounter = models.OneToOneField(Encounter, on_delete=models.PROTECT, related_name="discharge")
    mobilised = models.BooleanField(help_text="Supervised mobilisation done")
    pain_controlled = models.BooleanField(help_text="Pain controlled on the discharge analgesia")
    follow_up_on = models.DateField()
    follow_up_with = models.CharField(max_length=120)
    # Who told the patient to report sudden or new back pain at once.
    educated_by = models.CharField(max_length=120)
    osteoporosis = models.CharField(max_length=20, choices=Osteoporosis)
    osteoporosis_reason = models.TextField(blank=True)
    discharged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    discharged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        triggers = [APPEND_ONLY]
        constraints = [
            # The checklist is complete, whatever writes the row.
            models.CheckConstraint(
                condition=models.Q(mobilised=True, pain_controlled=True),
                name="discharge_mobilised_and_pain_controlled",
            ),
            models.CheckConstraint(
                condition=~models.Q(follow_up_with="") & ~models.Q(educated_by=""),
                name="discharge_follow_up_and_education_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(osteoporosis="not_started") | ~models.Q(osteoporosis_reason=""),
                name="discharge_osteoporosis_reason_if_not_started",
            ),
        ]

    def __str__(self) -> str:
        return f"Discharged by {self.discharged_by} at {self.discharged_at:%Y-%m-%d %H:%M}"


class SigningLock(models.Model):
    """Wrong passwords given as a signature (sign-off, addendum, override), counted apart from
    sign-in: too many lock that user's signing for a while, never their sign-in or anyone
    else's."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="signing_lock"
    )
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Signing by {self.user}: {self.failures} wrong, locked until {self.locked_until}"


class QueueSearch(models.Model):
    """A physician's patient search of the review queue, kept here under a random token so
    that no address holds what was searched (`triage/queue_search.py`). Kept in the database,
    not the session: two requests of one session at once (a search posted twice) would each
    write the whole session back, and one search would be lost."""

    token = models.CharField(max_length=32, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=32)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Queue search by {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class EncounterView(models.Model):
    """Who opened an encounter when: physicians' reading of patient records is audited."""

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="views")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)
    path = models.CharField(max_length=200)

    class Meta:
        ordering = ["-viewed_at"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.encounter_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class LookbackRun(models.Model):
    """One run of the look-back: the current rules re-run over stored findings, read-only.

    Kept so that who looked back, when, under which rules and over which wards is on record;
    never changed or deleted.
    """

    class Source(models.TextChoices):
        PAGE = "page", "Look-back page"
        CSV = "csv", "CSV export"
        COMMAND = "command", "manage.py lookback"

    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source)
    rules_version = models.CharField(max_length=8)
    wards = models.ManyToManyField(Ward, blank=True, related_name="+")
    rounds_checked = models.PositiveIntegerField()
    rounds_changed = models.PositiveIntegerField()

    class Meta:
        ordering = ["-ran_at"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"Look-back under rules {self.rules_version} at {self.ran_at:%Y-%m-%d %H:%M}"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=["last_used_at"], append_only=True
)
class ApiToken(models.Model):
    """A personal key for the JSON API, sent as `Authorization: Bearer <token>`.

    Only a SHA-256 digest is stored: the token is shown once, when it is made. A token is never
    deleted, only revoked (or left to expire), so the audit trail can always say whose it was.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the token is for")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        triggers = [
            # Revoking is the only change: no token is revived, re-keyed or given to another.
            pgtrigger.Protect(
                name="only_revoke",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    " OR ".join(
                        f"OLD.{column} IS DISTINCT FROM NEW.{column}"
                        for column in (
                            "user_id",
                            "name",
                            "prefix",
                            "digest",
                            "created_at",
                            "expires_at",
                        )
                    )
                    + " OR (OLD.revoked_at IS NOT NULL"
                    + " AND OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)"
                ),
            ),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of {self.user}"


class TwoFactorReset(models.Model):
    """A user's second-factor devices removed so that they set up an authenticator app again
    (a lost phone, used-up recovery codes): who did it for whom, when and from where. Never
    changed or deleted."""

    class Source(models.TextChoices):
        ADMIN = "admin", "Django admin"
        COMMAND = "command", "manage.py reset_2fa"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="two_factor_resets")
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reset_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source)
    devices_removed = models.PositiveIntegerField()

    class Meta:
        ordering = ["-reset_at"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"Two-factor reset of {self.user} at {self.reset_at:%Y-%m-%d %H:%M}"


# --- Escalation record -----------------------------------------------------------------------

# A call is recorded only for a submitted assessment of an encounter not yet signed off.
ESCALATION_RECORD_NEEDS_OPEN_SUBMITTED_ROUND = pgtrigger.Trigger(
    name="needs_open_submitted_round",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert,
    func=(
        "IF NOT EXISTS (SELECT 1 FROM triage_round WHERE id = NEW.round_id "
        "AND status = 'submitted') THEN RAISE EXCEPTION 'the assessment is not submitted' "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; "
        "IF EXISTS (SELECT 1 FROM triage_signoff s JOIN triage_round r "
        "ON r.encounter_id = s.encounter_id WHERE r.id = NEW.round_id) THEN "
        "RAISE EXCEPTION 'encounter is signed off and locked' "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW;"
    ),
)


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class EscalationCall(models.Model):
    """Who the nurse told of an emergency or urgent assessment, how, when, and what they said.

    One round may have several calls (no answer, then the registrar; the registrar, then the
    consultant). Never changed or removed: a mistake is corrected by recording another call.
    """

    class InformedRole(models.TextChoices):
        REGISTRAR = "registrar", "Registrar"
        CONSULTANT = "consultant", "Consultant"
        OUTREACH = "outreach", "Outreach or critical care team"
        ON_CALL = "on_call", "On-call doctor"
        OTHER = "other", "Someone else"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        BLEEP = "bleep", "Bleep"

    class Response(models.TextChoices):
        ATTENDING = "attending", "Attending now"
        ADVICE = "advice", "Advice given"
        PLAN = "plan", "Plan agreed"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="escalation_calls")
    informed_role = models.CharField(max_length=12, choices=InformedRole)
    informed_name = models.CharField(max_length=100)
    method = models.CharField(max_length=12, choices=Method)
    called_at = models.DateTimeField()
    response = models.CharField(max_length=12, choices=Response)
    response_detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # The form submission that recorded it: the same one sent twice records it once.
    submission = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # Its audit events' model, which `pghistory.track` makes when the class is created.
    pgh_event_model: ClassVar[type[Any]]

    class Meta:
        ordering = ["called_at", "recorded_at"]
        triggers = [APPEND_ONLY, ESCALATION_RECORD_NEEDS_OPEN_SUBMITTED_ROUND]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(informed_name=""), name="escalation_call_names_who"
            ),
            models.CheckConstraint(
                condition=models.Q(response="attending") | ~models.Q(response_detail=""),
                name="escalation_advice_or_plan_written",
            ),
            models.CheckConstraint(
                condition=models.Q(called_at__lte=models.F("recorded_at")),
                name="escalation_call_not_after_recording",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    informed_role__in=["registrar", "consultant", "outreach", "on_call", "other"]
                )
                & models.Q(method__in=["in_person", "phone", "bleep"])
                & models.Q(response__in=["attending", "advice", "plan"]),
                name="escalation_call_choices_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation call to {self.informed_name} at {self.called_at:%Y-%m-%d %H:%M}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class EscalationAcknowledgement(models.Model):
    """A physician's acknowledgement of an emergency or urgent assessment's escalation, with or
    without a call recorded: they know of it. One per assessment; never changed or removed."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="escalation_acknowledgement"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    # Its audit events' model, which `pghistory.track` makes when the class is created.
    pgh_event_model: ClassVar[type[Any]]

    class Meta:
        triggers = [APPEND_ONLY, ESCALATION_RECORD_NEEDS_OPEN_SUBMITTED_ROUND]

    def __str__(self) -> str:
        return f"Escalation acknowledged by {self.by} at {self.acknowledged_at:%Y-%m-%d %H:%M}"
