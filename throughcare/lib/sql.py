"""Conditions and columns written by hand in SQL about a row's case, usable wherever the ORM takes them.

The gate's list conditions are a few indexed lookups (the viewer's places, agreements, break-glass,
restrictions). Built with the ORM — querysets, `Exists`, `OuterRef`, a `union` — Django spent several
milliseconds building and compiling them on every list, more than the database took to answer. Written
once as SQL, they cost microseconds. `OnCase` carries such SQL into a query, as a condition or a column:
`{case}` in the text stands for the outer row's case column (compiled by Django, so aliases in
subqueries stay right), and the parameters are adapted for the connection the query runs on (SQLite
stores times as text).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import BooleanField, Expression, F

Text = tuple[str, list[Any]]


class OnCase(Expression):
    """A condition `sql` (its text and parameters, built given `{case}`'s compiled column) on the case
    `case` names from the outer row (`"pk"` for cases, `"case"` for a case's rows); or, given another
    `output_field`, a value (a scalar subquery) for each row."""

    def __init__(self, sql: Callable[[str], Text], case: str | Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field or BooleanField())
        self.sql = sql
        self.case = F(case) if isinstance(case, str) else case

    def __repr__(self) -> str:
        return f"OnCase({self.case!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.case]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.case,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, column_params = compiler.compile(self.case)
        if column_params:
            raise ValueError("OnCase needs a plain column for the case")
        text, params = self.sql(column)
        return f"({text})", [adapted(connection, value) for value in params]


def adapted(connection: Any, value: Any) -> Any:
    """A parameter as the ORM would have sent it: times and days as the database stores them."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def among(column: str, values: Collection[int]) -> Text:
    """`column IN (…)` and its parameters; a condition no row meets when there are none."""
    listed = sorted(values)
    if not listed:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(listed))})", listed
