"""A read made on every request, compiled to SQL once per process instead of once per request.

Django builds a query's SQL anew each time it runs; for a short read the building costs more
than the database (profiled: the signed-in user with their roles, about half of a signed-in
request's own time, mostly compiling the role subquery; the wizard's round with its encounter,
a third of a step page's). `Compiled` builds the queryset once with marker values in place of
the request's own and keeps its compiled SQL; each call runs that SQL with the real values and
makes the model instances as the queryset would (related rows of `select_related` and
annotations included), through the same compiler.

The tests compare each compiled read with its queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


class Compiled(Generic[M]):
    """``Compiled(build, markers)``: ``build(*markers)`` is the queryset; ``one(*values)`` runs
    its SQL (first row only) with each marker replaced by the value in the same place and
    returns that row's instance, or None; ``all(*values)`` returns every row's, in order.
    Markers are distinct values the query cannot otherwise hold (a negative id, the nil UUID)."""

    def __init__(self, build: Callable[..., QuerySet[M]], markers: Sequence[Any]) -> None:
        if len(set(markers)) != len(markers):
            raise ValueError("each marker must be a distinct value")
        self.build = build
        self.markers = tuple(markers)

    @cached_property
    def _compiled(self) -> tuple[SQLCompiler, str, tuple[Any, ...], tuple[int | None, ...]]:
        return self._compile(self.build(*self.markers)[:1])

    @cached_property
    def _compiled_all(self) -> tuple[SQLCompiler, str, tuple[Any, ...], tuple[int | None, ...]]:
        return self._compile(self.build(*self.markers))

    def _compile(
        self, queryset: QuerySet[M]
    ) -> tuple[SQLCompiler, str, tuple[Any, ...], tuple[int | None, ...]]:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        # Where each parameter comes from: a marker's index, or None for a constant of the query.
        sources = tuple(self._marker_index(param) for param in params)
        missing = set(range(len(self.markers))) - set(sources)
        if missing:
            raise ValueError(f"markers {sorted(missing)} are not parameters of the query")
        return compiler, sql, tuple(params), sources

    def _marker_index(self, param: Any) -> int | None:
        # A parameter may come wrapped for the database (psycopg's Int2 for a small integer).
        for index, marker in enumerate(self.markers):
            if isinstance(param, type(marker)) and param == marker:
                return index
        return None

    def one(self, *values: Any) -> M | None:
        for instance in self._run(self._compiled, values):
            return instance
        return None

    def all(self, *values: Any) -> list[M]:
        return list(self._run(self._compiled_all, values))

    def _run(
        self,
        compiled: tuple[SQLCompiler, str, tuple[Any, ...], tuple[int | None, ...]],
        values: Sequence[Any],
    ) -> Iterator[M]:
        compiler, sql, constants, sources = compiled
        params = [
            constant if source is None else self._as(constant, values[source])
            for constant, source in zip(constants, sources, strict=True)
        ]
        db = compiler.using or DEFAULT_DB_ALIAS
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for row in compiler.results_iter([rows]):
            yield self._instance(compiler, row, db)

    def _as(self, compiled: Any, value: Any) -> Any:
        """`value` wrapped as the marker it replaces was (Int2(3) where Int2(32767) was)."""
        wrapper = type(compiled)
        return value if isinstance(value, wrapper) else wrapper(value)

    @staticmethod
    def _instance(compiler: SQLCompiler, row: Sequence[Any], db: str) -> M:
        """The row's model instance, as Django's ModelIterable makes it."""
        klass_info = compiler.klass_info
        assert klass_info is not None  # noqa: S101 - a model query always has it
        columns = klass_info["select_fields"]
        start, end = columns[0], columns[-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        instance = klass_info["model"].from_db(db, names, row[start:end])
        for populator in get_related_populators(klass_info, compiler.select, db):
            populator.populate(row, instance)
        for name, position in (compiler.annotation_col_map or {}).items():
            setattr(instance, name, row[position])
        return instance
