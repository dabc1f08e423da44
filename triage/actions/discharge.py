"""Discharge: the checklist recorded once, by a physician, when nothing of the last assessment
is left open.

Refused while the latest assessment is a draft (the patient is being reassessed), and while a
red flag of the latest submitted assessment stands: a red flag is closed only by a later
assessment without it or by a physician's override that rules it out or finds it does not
apply. Agreeing with a red flag ("confirmed", "agree with changes") keeps it open: the patient
is being treated for it. The same rules as the other actions: keyword-only and atomic, the
encounter's row locked, its version claimed (a signed encounter's version is frozen), the audit
trail written by database triggers.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import pghistory
from django.db import transaction

from triage.actions.encounters import Conflict, claim_next_version
from triage.models import Discharge, Encounter, Override, Round, SignOff, User

__all__ = [
    "CLOSING_DECISIONS",
    "AlreadyDischarged",
    "Conflict",
    "NotDischargeable",
    "discharge",
    "open_red_flags",
    "refusal",
]

# A physician's override that closes a red flag (`triage.actions.review.DECISIONS`).
CLOSING_DECISIONS = frozenset({"ruled_out", "not_applicable"})


class AlreadyDischarged(Exception):
    def __init__(self, existing: Discharge) -> None:
        self.existing = existing
        super().__init__(
            f"{existing.discharged_by.get_username()} discharged this patient while you had the "
            "page open, so your discharge was not recorded a second time."
        )


class NotDischargeable(Exception):
    """The patient cannot be discharged yet; the message says why in words."""


def open_red_flags(rounds: list[Round], overrides: list[Override]) -> list[str]:
    """The titles of the latest submitted round's red flags that no physician has ruled out
    (`overrides` are that round's). Empty when there is none, or no submitted round."""
    submitted = [r for r in rounds if r.status == Round.Status.SUBMITTED]
    if not submitted:
        return []
    latest = submitted[-1]
    closed = {
        o.code
        for o in overrides
        if o.round_id == latest.pk
        and o.kind == Override.Kind.RED_FLAG
        and o.decision in CLOSING_DECISIONS
    }
    flags = cast("dict", latest.assessment).get("red_flags") or []
    return [flag.get("title") or flag["code"] for flag in flags if flag["code"] not in closed]


def refusal(rounds: list[Round], overrides: list[Override]) -> str:
    """Why the patient cannot be discharged now, in words; empty when they can."""
    if not rounds or rounds[-1].status != Round.Status.SUBMITTED:
        return (
            "A reassessment of this patient is in progress: submit it (or finish it) before "
            "discharge."
        )
    flags = open_red_flags(rounds, overrides)
    if flags:
        return (
            "The latest assessment has a red flag that is still open: "
            + ", ".join(flags)
            + ". It closes with a new assessment without it, or with a physician's override "
            "ruling it out."
        )
    return ""


@transaction.atomic
def discharge(
    *,
    encounter: Encounter,
    by: User,
    follow_up_on: date,
    follow_up_with: str,
    educated_by: str,
    osteoporosis: str,
    osteoporosis_reason: str,
    expected_version: int | None,
) -> Discharge:
    """Discharge the patient with a complete checklist (supervised mobilisation and pain
    control are confirmed by calling this), or raise NotDischargeable/AlreadyDischarged/Conflict."""
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    existing = Discharge.objects.select_related("discharged_by").filter(encounter=encounter).first()
    if existing is not None:
        raise AlreadyDischarged(existing)
    rounds = list(encounter.rounds.order_by("number"))
    overrides = list(Override.objects.filter(round__encounter=encounter))
    why_not = refusal(rounds, overrides)
    if why_not:
        raise NotDischargeable(why_not)
    if SignOff.objects.filter(encounter=encounter).exists():
        # A signed encounter's version is frozen; a form read before the sign-off is stale.
        if expected_version is not None and expected_version != encounter.lock_version:
            raise Conflict(encounter.lock_version)
    else:
        claim_next_version(encounter, expected_version)
    with pghistory.context(action="encounter.discharge"):
        return Discharge.objects.create(
            encounter=encounter,
            mobilised=True,
            pain_controlled=True,
            follow_up_on=follow_up_on,
            follow_up_with=follow_up_with,
            educated_by=educated_by,
            osteoporosis=osteoporosis,
            osteoporosis_reason=osteoporosis_reason,
            discharged_by=by,
        )
