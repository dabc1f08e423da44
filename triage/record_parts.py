"""An encounter's record in few queries, however much it holds: the sign-off and the addenda
come inside the encounter's query, each round's overrides inside the rounds' query.

The small parts travel as a JSON array of their rows (every column, and their author's user
name) and are rebuilt as model instances for reading: the record page and the API export make
the same number of queries for one addendum or fifty.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Model, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from triage.compiled_sql import ENCOUNTER_MARKER, Compiled
from triage.models import (
    Addendum,
    Encounter,
    EscalationCall,
    Override,
    Round,
    SignOff,
    User,
)


def rows_of(
    children: QuerySet, author: str, order: tuple[str, ...] = ("created_at", "pk")
) -> ArraySubquery:
    """`children` (narrowed to the outer row) as an array of JSON objects, oldest first (by
    `order`): every column, and `<author>__username`."""
    columns = {field.attname: field.attname for field in children.model._meta.concrete_fields}
    row = JSONObject(**columns, **{f"{author}__username": f"{author}__username"})
    return ArraySubquery(children.order_by(*order).values(json=row))


def from_row(model: type[Model], row: dict[str, Any], author: str) -> Any:
    """A model instance, for reading, from a `rows_of` row; its author a user that carries only
    a user name."""
    fields = model._meta.concrete_fields
    instance = model(**{field.attname: field.to_python(row[field.attname]) for field in fields})
    instance._state.adding, instance._state.db = False, "default"
    setattr(instance, author, User(pk=row[f"{author}_id"], username=row[f"{author}__username"]))
    return instance


def with_record_parts(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Encounters with their sign-off and its signer, their discharge and who discharged them,
    and their addenda (`addendum_rows`)."""
    addenda = Addendum.objects.filter(encounter=OuterRef("pk"))
    return encounters.select_related("sign_off__signed_by", "discharge__discharged_by").annotate(
        addendum_rows=rows_of(addenda, "author")
    )


def sign_off_and_addenda(encounter: Encounter) -> tuple[SignOff | None, list[Addendum]]:
    """The encounter's sign-off (or None) and addenda, oldest first; read now unless the
    encounter came from `with_record_parts` (e.g. after a refused review form)."""
    rows = getattr(encounter, "addendum_rows", None)
    if rows is None:
        encounter = with_record_parts(Encounter.objects.all()).get(pk=encounter.pk)
        rows = getattr(encounter, "addendum_rows")  # noqa: B009 - an annotation
    addenda = [from_row(Addendum, row, "author") for row in rows]
    return getattr(encounter, "sign_off", None), addenda


def rounds_read(encounter_id: uuid.UUID) -> QuerySet[Round]:
    """The read `rounds_with_overrides` makes, as a queryset."""
    overrides = Override.objects.filter(round=OuterRef("pk"))
    calls = EscalationCall.objects.filter(round=OuterRef("pk"))
    return (
        Round.objects.filter(encounter_id=encounter_id)
        .select_related(
            "created_by", "submitted_by", "guidance_version", "escalation_acknowledgement__by"
        )
        .annotate(
            override_rows=rows_of(overrides, "by"),
            call_rows=rows_of(calls, "recorded_by", order=("called_at", "recorded_at", "pk")),
        )
        .order_by("number")
    )


# Compiled once per process (`compiled_sql`): building this read's SQL cost more than
# running it.
ROUNDS = Compiled(rounds_read, [ENCOUNTER_MARKER])


def rounds_with_overrides(encounter: Encounter) -> list[tuple[Round, list[Override]]]:
    """The encounter's rounds in order, with who made and submitted them, their guidance
    version, and their overrides (oldest first): one query. Each round also carries its
    escalation record's calls as `call_rows` (see `triage.escalation_record`) and its
    acknowledgement with the physician."""
    pairs = []
    for round in ROUNDS.all(encounter.pk):
        round.encounter = encounter  # as `encounter.rounds` would: no query to read it back
        rows = getattr(round, "override_rows")  # noqa: B009 - an annotation
        pairs.append((round, [from_row(Override, row, "by") for row in rows]))
    return pairs
