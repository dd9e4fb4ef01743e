"""Conditions and columns written by hand in SQL about a row's case, usable wherever the ORM takes them.

The gate's list conditions are a few indexed lookups (the viewer's places, agreements, break-glass,
restrictions). Built with the ORM — querysets, `Exists`, `OuterRef`, a `union` — Django spent several
milliseconds building and compiling them on every list, more than the database took to answer. Written
once as SQL, they cost microseconds. `OnRow` carries such SQL into a query, as a condition or a column.
The outer row's columns it names (its case, person, category) are compiled by Django, so aliases in
subqueries stay right; the parameters are adapted for the connection the query runs on (SQLite stores
times as text).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import BooleanField, Expression, F

Text = tuple[str, list[Any]]


class OnRow(Expression):
    """A condition `sql` on the outer row — its text and parameters, built given the compiled columns
    `refs` name (`{"case": "pk"}` for cases; `{"case": "case", "person": "case__person", …}` for a case's
    rows) — or, given another `output_field`, a value (a scalar subquery) for each row."""

    def __init__(self, sql: Callable[[dict[str, str]], Text], output_field: Any = None, **refs: str) -> None:
        super().__init__(output_field=output_field or BooleanField())
        self.sql = sql
        self.names = list(refs)
        self.refs: list[Any] = [F(ref) for ref in refs.values()]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(zip(self.names, self.refs, strict=True))!r})"

    def get_source_expressions(self) -> list[Any]:
        return list(self.refs)

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.refs = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        columns = {}
        for name, ref in zip(self.names, self.refs, strict=True):
            column, column_params = compiler.compile(ref)
            if column_params:
                raise ValueError(f"{type(self).__name__} needs a plain column for {name}")
            columns[name] = column
        text, params = self.sql(columns)
        return f"({text})", [adapted(connection, value) for value in params]


class OnCase(OnRow):
    """`OnRow` with the one column `case`, given to `sql` as its text."""

    def __init__(self, sql: Callable[[str], Text], case: str, output_field: Any = None) -> None:
        super().__init__(lambda columns: sql(columns["case"]), output_field, case=case)


def adapted(connection: Any, value: Any) -> Any:
    """A parameter as the ORM would have sent it: times and days as the database stores them."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def among(column: str, values: Collection[Any]) -> Text:
    """`column IN (…)` and its parameters; a condition no row meets when there are none."""
    listed = sorted(values)
    if not listed:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(listed))})", listed
