"""Guidance versions: draft, edit, publish, discard.

Keyword-only and atomic like the other actions. The audit trail is written by the pghistory
triggers on the models; each action names itself in the trail's context. The database keeps
the rules that matter most even against code that bypasses these functions: one published
version at a time (partial unique constraint) and no change to the entries of a version once
it left draft (trigger, migration 0008), so a round always shows what it showed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from triage.guidance import GUIDANCE_KEYS, SOURCE_NUMBERS, entry_token
from triage.models import GuidanceEntry, GuidanceVersion, User

Status = GuidanceVersion.Status


class NotADraft(Exception):
    """The version was published or discarded meanwhile; drafts are the only thing editable."""


class EditConflict(Exception):
    """Someone else saved a change to the entry after the editor loaded it."""

    def __init__(self, current: GuidanceEntry) -> None:
        self.current = current
        self.token = entry_token(current)
        super().__init__(f"{current.key} was changed by someone else meanwhile")


@dataclass(frozen=True)
class Problem:
    key: str | None  # the entry to fix, or None for the version as a whole
    message: str


class CannotPublish(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def publish_problems(draft: GuidanceVersion) -> list[Problem]:
    """What stops `draft` from being published: missing keys, empty texts, unknown sources."""
    entries = {entry.key: entry for entry in draft.entries.all()}
    problems = [
        Problem(key, f"{key}: there is no entry for this key")
        for key in GUIDANCE_KEYS
        if key not in entries
    ]
    for key in GUIDANCE_KEYS:
        entry = entries.get(key)
        if entry is None:
            continue
        if not entry.title.strip():
            problems.append(Problem(key, f"{key}: enter a title"))
        if not entry.body.strip():
            problems.append(Problem(key, f"{key}: enter the guidance text"))
        unknown = [n for n in entry.citations if n not in SOURCE_NUMBERS]
        if unknown:
            listed = ", ".join(str(n) for n in unknown)
            problems.append(Problem(key, f"{key}: source {listed} is not one of sources 1 to 7"))
    return problems


def _next_number() -> int:
    # Numbers are never reused, not even a discarded draft's: the audit trail (event table)
    # remembers every number ever given out.
    live = GuidanceVersion.objects.aggregate(n=Max("number"))["n"] or 0
    past = GuidanceVersion.pgh_event_model.objects.aggregate(n=Max("number"))["n"] or 0
    return max(live, past) + 1


@transaction.atomic
def create_draft(*, by: User) -> GuidanceVersion:
    """A new draft copying the published version's entries, or the draft that already exists.

    One draft at a time, so that publishing never silently undoes someone else's draft.
    """
    # Locking the published row queues concurrent calls, so two clicks make one draft.
    published = GuidanceVersion.objects.select_for_update().filter(status=Status.PUBLISHED).first()
    existing = GuidanceVersion.objects.filter(status=Status.DRAFT).first()
    if existing is not None:
        return existing
    with pghistory.context(user=by.pk, action="guidance.create_draft"):
        draft = GuidanceVersion.objects.create(
            number=_next_number(), status=Status.DRAFT, based_on=published, created_by=by
        )
        if published is not None:
            GuidanceEntry.objects.bulk_create(
                GuidanceEntry(
                    version=draft,
                    key=entry.key,
                    title=entry.title,
                    body=entry.body,
                    actions=entry.actions,
                    citations=list(entry.citations),
                )
                for entry in published.entries.all()
            )
    return draft


def _locked_draft(pk: int) -> GuidanceVersion:
    version = GuidanceVersion.objects.select_for_update().filter(pk=pk).first()
    if version is None or version.status != Status.DRAFT:
        raise NotADraft(
            "This version is no longer a draft: it was published or discarded meanwhile."
        )
    return version


@transaction.atomic
def update_entry(
    *,
    entry: GuidanceEntry,
    title: str,
    body: str,
    actions: str,
    citations: list[int],
    by: User,
    base: str | None = None,
) -> GuidanceEntry:
    """Change one entry of a draft. Returns the entry as saved.

    `base` is the `entry_token` of the text the editor started from: if the stored entry has
    changed since, `EditConflict` is raised instead of overwriting that change unseen. (None
    skips the check, for callers that hold no editor's view.)
    """
    # The version lock orders this edit before or after a publish, never in the middle of it.
    _locked_draft(entry.version_id)
    entry = GuidanceEntry.objects.select_for_update().get(pk=entry.pk)
    new = {"title": title, "body": body, "actions": actions, "citations": sorted(set(citations))}
    if all(getattr(entry, name) == value for name, value in new.items()):
        return entry  # an autosave of unchanged text writes no audit event
    if base is not None and base != entry_token(entry):
        raise EditConflict(entry)
    with pghistory.context(user=by.pk, action="guidance.update_entry"):
        for name, value in new.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(new))
    return entry


@transaction.atomic
def publish(*, draft: GuidanceVersion, summary: str, by: User) -> GuidanceVersion:
    """Make `draft` the published version and retire the one it replaces.

    Raises `CannotPublish` (with every problem) or `NotADraft`.
    """
    summary = summary.strip()
    # Every publish locks the published row first, so concurrent publishes run one by one; a
    # later one then finds that the version its draft was based on is no longer published.
    current = GuidanceVersion.objects.select_for_update().filter(status=Status.PUBLISHED).first()
    draft = _locked_draft(draft.pk)
    problems = [] if summary else [Problem(None, "Enter a summary of the changes")]
    if draft.based_on_id != (current.pk if current else None):
        problems.append(
            Problem(
                None,
                "Another version was published after this draft was started; discard this "
                "draft and start again from the published version",
            )
        )
    problems += publish_problems(draft)
    if problems:
        raise CannotPublish(problems)
    now = timezone.now()
    with pghistory.context(user=by.pk, action="guidance.publish"):
        try:
            if current is not None:
                current.status = Status.RETIRED
                current.save(update_fields=["status"])
            draft.status = Status.PUBLISHED
            draft.change_summary = summary
            draft.published_at = now
            draft.published_by = by
            draft.save(update_fields=["status", "change_summary", "published_at", "published_by"])
        except IntegrityError:
            # The one-published constraint caught a publish the lock did not order (it cannot
            # today; kept so that the loser of any race gets words, not a 500).
            raise CannotPublish(
                [Problem(None, "Another version was published at the same moment; try again")]
            ) from None
    return draft


@transaction.atomic
def discard_draft(*, draft: GuidanceVersion, by: User) -> None:
    """Delete a draft and its entries; the audit trail keeps what they were."""
    draft = _locked_draft(draft.pk)
    with pghistory.context(user=by.pk, action="guidance.discard_draft"):
        draft.entries.all().delete()
        draft.delete()
