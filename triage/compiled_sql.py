"""A read made on every request, compiled to SQL once per process instead of once per request.

Django builds a query's SQL anew each time it runs; for a short read the building costs more
than the database (profiled: the signed-in user with their roles, about half of a signed-in
request's own time, mostly compiling the role subquery; the wizard's round with its encounter,
a third of a step page's). `Compiled` builds the queryset once with marker values in place of
the request's own and keeps its compiled SQL; each call runs that SQL with the real values and
makes the model instances as the queryset would (related rows of `select_related` and
annotations included), through the same compiler.

Its values are sent apart from its SQL (bound on the server, not written into the SQL), so
PostgreSQL prepares each statement once per connection and reuses its plan: planning the wider
reads (an encounter with its ward, authors, sign-off and discharge) took longer than running
them (profiled: 2.4 ms of 2.8 for the record's encounter, 0.3 ms prepared). The query's own
constants (a status, an empty string) are written into the SQL, so that the plan PostgreSQL
keeps for every request's values knows them: sent as values, they left the plan unable to use
them (a partial index, a column's statistics), and PostgreSQL planned three reads anew on every
call instead (the nurse's drafts, the queue after its first page, the ward board: about 1 ms
of planning each).

The tests compare each compiled read with its queryset.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler
from psycopg import pq
from psycopg.adapt import Loader

from triage.content_digest import digest

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# Where a request's values go in a compiled read: no encounter has the nil id, no user the id
# -1, no encounter 32,767 rounds, nothing happened at this moment of 1901 (a marker must be a
# value the column could hold: Django leaves out a lookup it knows can match nothing).
ENCOUNTER_MARKER, USER_MARKER, NUMBER_MARKER = uuid.UUID(int=0), -1, 32_767
MOMENT_MARKER = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


class _LoggedCursor(CursorDebugWrapper):
    """Django's logging cursor (DEBUG, and the tests' query counts), logging the statement with
    its values written in: Django reads that back only from a cursor that writes them in."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


class JsonbAsText(Loader):
    """A jsonb value sent in binary (a version byte, then its text) as its text: Django reads
    jsonb as text and its JSONField parses it."""

    format = pq.Format.BINARY

    def load(self, data: Any) -> str:
        if not data or data[0] != 1:
            raise psycopg.DataError("a jsonb value in a binary format this does not know")
        return bytes(data[1:]).decode()


def _binding_cursor(connection: Any) -> CursorWrapper:
    """Django's cursor (its wrappers and query log) over a psycopg cursor that sends the values
    apart from the SQL, so the database can keep the statement prepared for the connection's
    life (settings: `DB_PREPARED_STATEMENTS`) instead of planning it on every request. Rows
    come back in binary (a third faster to read than text: times, ids and numbers are read
    in C), each value as Django's own text loaders give it (jsonb as its text, the times in
    UTC: the connection's time zone)."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = psycopg.Cursor(connection.connection)
    cursor.format = pq.Format.BINARY
    cursor.adapters.register_loader("jsonb", JsonbAsText)
    if connection.queries_logged:
        return _LoggedCursor(cursor, connection)
    return connection.make_cursor(cursor)


@dataclass(frozen=True)
class Plan:
    """A compiled query and how its rows become instances, worked out once."""

    compiler: SQLCompiler
    sql: str
    markers: tuple[Any, ...]  # each parameter's marker, as compiled (psycopg's Int2, say)
    sources: tuple[int, ...]  # each parameter's marker index
    db: str
    columns: slice  # the model's own columns in a row
    names: list[str]  # their attribute names
    populators: list[Any]  # Django's RelatedPopulator of each select_related row
    converters: dict[int, Any]  # each column's converters from the database's values


_PLACEHOLDERS = re.compile(r"(%s|%%)")


def _with_constants_written_in(
    sql: str, params: Sequence[Any], sources: Sequence[int | None], connection: Any
) -> str:
    """`sql` with each constant parameter (no marker's) written in as a literal, quoted by the
    database driver as Django quotes values for its query log; the markers' stay parameters."""
    pieces = _PLACEHOLDERS.split(sql)
    position = 0
    for index, piece in enumerate(pieces):
        if piece != "%s":
            continue
        if sources[position] is None:
            literal = connection.ops.compose_sql("%s", [params[position]])
            pieces[index] = literal.replace("%", "%%")  # the SQL still takes parameters
        position += 1
    if position != len(params):
        raise ValueError("the query's placeholders and parameters do not match")
    return "".join(pieces)


@dataclass(frozen=True)
class Read(Generic[M]):
    """The rows of one run of a compiled read, each a tuple of its columns' values."""

    plan: Plan
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """The value of the model's column `name` (its attribute name) in each row."""
        position = self.plan.columns.start + self.plan.names.index(name)
        return [row[position] for row in self.rows]

    def instances(self, start: int = 0, stop: int | None = None) -> list[M]:
        """The rows from `start` to `stop` as the queryset makes them: the model's instances,
        with the related rows of `select_related` and the annotations."""
        plan = self.plan
        model = plan.compiler.klass_info["model"]
        annotations = (plan.compiler.annotation_col_map or {}).items()
        made = []
        for row in self.rows[start:stop]:
            instance = model.from_db(plan.db, plan.names, row[plan.columns])
            for populator in plan.populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            made.append(instance)
        return made


class ReadRows(Generic[M, T]):
    """The first `size` rows of a compiled read (all without), made into what a page shows
    (`make`, from each row's instance) only when they are rendered: how many (`len`), the rows
    (iterating) and the key of their rendered HTML (`key`): the digest of every column read,
    and of `also()` (whatever else the rows show: the time since, say). A list whose HTML is
    kept costs no model instances."""

    def __init__(self, read: Read[M], make: Callable[[M], T], size: int | None = None) -> None:
        self.read, self.make, self.size = read, make, size

    def __len__(self) -> int:
        return len(self.read.rows[: self.size])

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    @cached_property
    def rows(self) -> list[T]:
        return [self.make(instance) for instance in self.read.instances(0, self.size)]

    @cached_property
    def key(self) -> str:
        return digest((self.read.rows[: self.size], self.also()))

    def also(self) -> Any:
        """What the rows show besides their columns (none here)."""
        return None


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
    def _first(self) -> Plan:
        return self._plan(self.build(*self.markers)[:1])

    @cached_property
    def _every(self) -> Plan:
        return self._plan(self.build(*self.markers))

    def _plan(self, queryset: QuerySet[M]) -> Plan:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        db = compiler.using or DEFAULT_DB_ALIAS
        sources = tuple(self._marker_index(param) for param in params)
        missing = set(range(len(self.markers))) - set(sources)
        if missing:
            raise ValueError(f"markers {sorted(missing)} are not parameters of the query")
        sql = _with_constants_written_in(sql, params, sources, connections[db])
        bound = [
            (param, source)
            for param, source in zip(params, sources, strict=True)
            if source is not None
        ]
        # As Django's ModelIterable reads a row (compiler.select and klass_info are set by as_sql).
        klass_info = compiler.klass_info
        assert klass_info is not None  # noqa: S101 - a model query always has it
        selected = klass_info["select_fields"]
        columns = slice(selected[0], selected[-1] + 1)
        # What the compiler's results_iter works out on every call (about 250 Python calls a
        # read): which columns need converting, worked out once. No composite columns here.
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a compiled read cannot select a composite primary key")
        return Plan(
            compiler=compiler,
            sql=sql,
            markers=tuple(param for param, _ in bound),
            sources=tuple(source for _, source in bound),
            db=db,
            columns=columns,
            names=[column[0].target.attname for column in compiler.select[columns]],
            populators=get_related_populators(klass_info, compiler.select, db),
            converters=compiler.get_converters(fields),
        )

    def _marker_index(self, param: Any) -> int | None:
        # A parameter may come wrapped for the database (psycopg's Int2 for a small integer).
        for index, marker in enumerate(self.markers):
            if isinstance(param, type(marker)) and param == marker:
                return index
        return None

    def one(self, *values: Any) -> M | None:
        rows = self.read(*values, first=True)
        return rows.instances()[0] if rows else None

    def all(self, *values: Any) -> list[M]:
        return self.read(*values).instances()

    def read(self, *values: Any, first: bool = False) -> Read[M]:
        """The rows as the database sent them (converted to Python values), made into
        instances only when asked (`Read.instances`); `first`: the first row only."""
        plan = self._first if first else self._every
        params = [
            self._as(marker, values[source])
            for marker, source in zip(plan.markers, plan.sources, strict=True)
        ]
        with _binding_cursor(connections[plan.db]) as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        return Read(plan, rows)

    def _as(self, compiled: Any, value: Any) -> Any:
        """`value` wrapped as the marker it replaces was (Int2(3) where Int2(32767) was)."""
        wrapper = type(compiled)
        return value if isinstance(value, wrapper) else wrapper(value)


def quoted_names(model: type[Model], *fields: str) -> tuple[str, ...]:
    """The model's table, then each field's column, quoted: for a statement written once from
    the model's own names (never from a value)."""
    meta = model._meta
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = (cast(Field, meta.get_field(name)).column for name in fields)
    return (quote(meta.db_table), *(quote(column) for column in columns))
