"""A read made on every request, compiled to SQL once per process instead of once per request.

Django builds a query's SQL anew each time it runs; for a short read the building costs more
than the database (profiled: the signed-in user with their roles, about half of a signed-in
request's own time, mostly compiling the role subquery). `Compiled` builds the queryset once
with marker values in place of the request's own, keeps the SQL, and runs it with the real
values through `raw()`, which gives the same model instances (annotations included).

Only for flat reads (no `select_related`, which `raw()` cannot fill); the tests compare each
compiled read with its queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Compiled(Generic[M]):
    """``Compiled(build, markers)``: ``build(*markers)`` is a queryset of at most one row (a
    unique lookup); ``one(*values)`` runs its SQL with each marker replaced by the value in the
    same place and returns the row, or None."""

    def __init__(self, build: Callable[..., QuerySet[M]], markers: Sequence[Any]) -> None:
        self.build = build
        self.markers = tuple(markers)

    @cached_property
    def _compiled(self) -> tuple[QuerySet[M], str, tuple[Any, ...], tuple[int | None, ...]]:
        queryset = self.build(*self.markers)
        sql, params = queryset.query.sql_with_params()
        # Where each parameter comes from: a marker's index, or None for a constant of the query.
        sources = tuple(self._marker_index(param) for param in params)
        missing = set(range(len(self.markers))) - set(sources)
        if missing:
            raise ValueError(f"markers {sorted(missing)} are not parameters of the query")
        return queryset, sql, tuple(params), sources

    def _marker_index(self, param: Any) -> int | None:
        for index, marker in enumerate(self.markers):
            if type(param) is type(marker) and param == marker:
                return index
        return None

    def one(self, *values: Any) -> M | None:
        queryset, sql, constants, sources = self._compiled
        params = [
            constant if source is None else values[source]
            for constant, source in zip(constants, sources, strict=True)
        ]
        rows = list(queryset.model._default_manager.db_manager(queryset.db).raw(sql, params))
        return rows[0] if rows else None
