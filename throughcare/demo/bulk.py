"""Writing many rows fast, for the scale world: PostgreSQL's COPY, or batched inserts elsewhere.

Rows are given as dicts of field attribute names to values, with explicit primary keys so that the rows
of one table can point at another's before either is written; a field left out takes its default (read
once per table, so a default of "now" is one moment for the whole table). Sequences are moved past the
ids written at the end (`reset_sequences`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

BATCH = 2000


class Table:
    """One model's table, its columns in order and the defaults of the fields a row leaves out."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields: list[Any] = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: _default(f) for f in self.fields if not f.primary_key}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}

    def next_id(self) -> int:
        latest = self.model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        return int(latest or 0) + 1

    def values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        defaults = self.defaults
        out = []
        for field in self.fields:
            name = field.attname
            value = row[name] if name in row else defaults.get(name)
            if name in self.json:
                value = json.dumps(value)
            out.append(value)
        return tuple(out)


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.db_default is not models.NOT_PROVIDED:  # e.g. an audit event's month
        return field.db_default
    return field.get_default()


def write(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Write the rows into the model's table; returns how many."""
    table = Table(model)
    if connection.vendor == "postgresql":
        return _copy(table, rows)
    return _insert(table, rows)


def _copy(table: Table, rows: Iterable[dict[str, Any]]) -> int:
    quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    sql = f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({quoted}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(table.values(row))
            count += 1
    return count


def _insert(table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Elsewhere (SQLite, for small worlds in tests): values prepared by the fields, inserted in batches."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table.model._meta.db_table)} ({quoted}) VALUES ({marks})"
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            prepared = [
                [
                    v if f.attname in table.json else f.get_db_prep_save(v, connection)
                    for f, v in zip(table.fields, table.values(row), strict=True)
                ]
                for row in batch
            ]
            cursor.executemany(sql, prepared)
            count += len(prepared)
    return count


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids written (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def quiet_triggers() -> None:
    """In a bulk load's transaction on PostgreSQL, rows fire no triggers: neither the marks that keep
    Needs attention current (the loader keeps it whole afterwards, `workspace.kept.rebuild`) nor foreign-key
    checks (the loader writes whole, consistent data). Only a superuser may; for others they fire, slower
    and to the same end."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row is not None and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
