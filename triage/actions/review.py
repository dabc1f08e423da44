"""Physician review: sign-off, addenda, overrides, and the log of who read a record.

The same rules as the wizard's actions (`triage.actions.encounters`): keyword-only and atomic,
optimistic locking on the encounter (`claim_next_version`), the audit trail written by database
triggers.

- Sign-off is a physician's electronic signature (the password is checked by the form). It
  locks the encounter and its rounds (database triggers); only addenda can follow.
- An override records a physician's disagreement with one red flag or pathway of a submitted
  round, beside the original, which never changes. Overrides are allowed before sign-off only:
  signing says "I have reviewed this record as it stands", so a later disagreement belongs in
  an addendum, which is allowed at any time.
- Every write before sign-off moves the encounter's version on, so a physician signing a page
  that someone has since changed (a new override, addendum or reassessment) is told to look
  again instead of signing what they have not seen.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

import pghistory
from django.db import transaction

from triage.actions.encounters import Conflict, Locked, claim_next_version, refuse_if_signed
from triage.models import Addendum, Encounter, EncounterView, Override, Round, SignOff, User

__all__ = [
    "DECISIONS",
    "AlreadySigned",
    "Conflict",
    "Locked",
    "NotReady",
    "add_addendum",
    "add_override",
    "override_items",
    "record_view",
    "record_views",
    "sign_off",
]

# What a physician may decide about a red flag or pathway (Override.decision).
DECISIONS: dict[str, str] = {
    "confirmed": "Agree: confirmed",
    "agree_with_changes": "Agree, with changes to the plan",
    "ruled_out": "Disagree: ruled out",
    "not_applicable": "Disagree: does not apply to this patient",
}


class AlreadySigned(Exception):
    """Someone signed the encounter first; this signature was not recorded."""

    def __init__(self, sign_off: SignOff) -> None:
        self.sign_off = sign_off
        super().__init__(
            f"{sign_off.signed_by.get_username()} signed this encounter off while you had it "
            "open, so your sign-off was not recorded. Read their sign-off below; anything you "
            "wanted to add can go in an addendum."
        )


class NotReady(Exception):
    """The encounter cannot be signed yet: its latest assessment is not submitted."""


def override_items(round: Round) -> dict[tuple[str, str], dict[str, Any]]:
    """The red flags and pathways of a submitted round that an override can name, by
    (kind, code), each with its title and what the assessment said (`original`)."""
    items: dict[tuple[str, str], dict[str, Any]] = {}
    assessment = cast("dict[str, Any]", round.assessment)  # submitted: it is stored
    for flag in assessment["red_flags"]:
        items[Override.Kind.RED_FLAG, flag["code"]] = {"title": flag["title"], "original": "raised"}
    for pathway in assessment["pathways"]:
        items[Override.Kind.PATHWAY, pathway["code"]] = {
            "title": pathway["title"],
            "original": pathway["status"],
        }
    return items


def _lock_for_review(encounter: Encounter) -> Encounter:
    """The encounter's row, locked for this transaction: concurrent reviews queue up here."""
    return Encounter.objects.select_for_update().get(pk=encounter.pk)


@transaction.atomic
def sign_off(
    *, encounter: Encounter, by: User, comment: str, expected_version: int | None
) -> SignOff:
    encounter = _lock_for_review(encounter)
    existing = SignOff.objects.select_related("signed_by").filter(encounter=encounter).first()
    if existing is not None:
        raise AlreadySigned(existing)
    latest = encounter.rounds.order_by("-number").first()
    if latest is None or latest.status != Round.Status.SUBMITTED:
        raise NotReady(
            "A reassessment of this patient is in progress. It can be signed off once that "
            "assessment has been submitted."
        )
    claim_next_version(encounter, expected_version)
    with pghistory.context(action="encounter.sign_off"):
        # The last change the encounter row can take: once the sign-off exists it is locked.
        encounter.queue_rank = Encounter.QueueRank.SIGNED_OR_DRAFT
        encounter.save(update_fields=["queue_rank"])
        return SignOff.objects.create(encounter=encounter, signed_by=by, comment=comment)


@transaction.atomic
def add_addendum(
    *,
    encounter: Encounter,
    by: User,
    text: str,
    expected_version: int | None,
    submission: uuid.UUID | None = None,
) -> Addendum:
    """Append a note; allowed before and after sign-off. The same `submission` (one rendering
    of the form, sent twice by a double click) adds it once and returns that one."""
    encounter = _lock_for_review(encounter)
    if submission is not None:
        earlier = Addendum.objects.filter(encounter=encounter, submission=submission).first()
        if earlier is not None:
            return earlier
    if SignOff.objects.filter(encounter=encounter).exists():
        # A signed encounter's version is frozen; a form read before the sign-off is stale.
        if expected_version is not None and expected_version != encounter.lock_version:
            raise Conflict(encounter.lock_version)
    else:
        claim_next_version(encounter, expected_version)
    with pghistory.context(action="encounter.addendum"):
        return Addendum.objects.create(
            encounter=encounter, text=text, author=by, submission=submission
        )


@transaction.atomic
def add_override(
    *,
    round: Round,
    by: User,
    kind: str,
    code: str,
    decision: str,
    reason: str,
    expected_version: int | None,
) -> Override:
    """Record a physician's decision on one item of a submitted round; the round is unchanged."""
    encounter = _lock_for_review(round.encounter)
    refuse_if_signed(encounter)
    if round.status != Round.Status.SUBMITTED:
        raise ValueError("Only a submitted assessment can be overridden.")
    item = override_items(round).get((kind, code))
    if item is None or decision not in DECISIONS:
        raise ValueError(f"{kind} {code!r} is not in assessment {round.number}")
    claim_next_version(encounter, expected_version)
    with pghistory.context(action="round.override"):
        return Override.objects.create(
            round=round,
            kind=kind,
            code=code,
            original=item["original"],
            decision=decision,
            reason=reason,
            by=by,
        )


def record_view(*, encounter: Encounter, by: User, path: str) -> None:
    """Log that `by` read this encounter's record (at `path`)."""
    EncounterView.objects.create(encounter=encounter, user=by, path=path[:200])


def record_views(*, encounters: list[Encounter], by: User, path: str) -> None:
    """Log that `by` read each of these records on one page (at `path`), in one insert."""
    EncounterView.objects.bulk_create(
        [EncounterView(encounter=encounter, user=by, path=path[:200]) for encounter in encounters]
    )
