"""The demo world for tests: built once per test session, then its rows copied back for each test.

Tests of the demo world and the browser journeys need the whole world, and between tests pytest-django
empties the database (or rolls back). Building the world writes through every action and takes about
twenty seconds; copying its rows back takes a fraction of one, on SQLite and on PostgreSQL. The copy is the
same world: the rows, their identifiers and the audit chain are byte for byte what the build wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from throughcare.audit import partitions
from throughcare.demo import world
from throughcare.workspace.models import StaleCase


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    copied: bytes = b""
    months: list[date] = field(default_factory=list)  # the audit log's: its partitions must exist


Snapshot = list[Table]

PASSWORD = "demo-pass-123"
_SNAPSHOTS: dict[str, Snapshot] = {}


def load_world() -> None:
    """The demo world (password `PASSWORD`) in the empty test database: built the first time each day."""
    key = timezone.localdate().isoformat()
    if key in _SNAPSHOTS:
        restore(_SNAPSHOTS[key])
        return
    world.load(PASSWORD)
    _SNAPSHOTS.clear()
    _SNAPSHOTS[key] = take()


def _table_names() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take() -> Snapshot:
    tables = []
    with connection.cursor() as cursor:
        for name in _table_names():
            table = Table(name)
            quoted = connection.ops.quote_name(name)
            if connection.vendor == "postgresql":
                # A partitioned table (the audit log) is copied from a query of it.
                with cursor.cursor.copy(f"COPY (SELECT * FROM {quoted}) TO STDOUT (FORMAT binary)") as copy:
                    table.copied = b"".join(bytes(chunk) for chunk in copy)
                if name == partitions.PARENT:
                    cursor.execute(f"SELECT DISTINCT month FROM {quoted}")
                    table.months = [month for (month,) in cursor.fetchall()]
            else:
                cursor.execute(f"SELECT * FROM {quoted}")
                table.columns = [column[0] for column in cursor.description]
                table.rows = list(cursor.fetchall())
            tables.append(table)
    return tables


def restore(tables: Snapshot) -> None:
    """Empty every table (emptying recreated content types and permissions) and write the copy back. The
    rows written mark their cases stale (`workspace.kept`): the stale marks are written last, after the
    marks of the copy are cleared, so that they are what the build left."""
    stale = StaleCase._meta.db_table
    tables = [t for t in tables if t.name != stale] + [t for t in tables if t.name == stale]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may stand in TRUNCATE's way
            names = ", ".join(connection.ops.quote_name(t.name) for t in tables)
            cursor.execute(f"TRUNCATE {names}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # tables are written in any order
            partitions.ensure(month for table in tables for month in table.months)
            for table in tables:
                if table.name == stale:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(stale)}")
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(table.name)} FROM STDIN (FORMAT binary)"
                ) as copy:
                    copy.write(table.copied)
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)
        else:
            for table in tables:
                quoted = connection.ops.quote_name(table.name)
                cursor.execute(f"DELETE FROM {quoted}")
                if table.rows:
                    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
                    marks = ", ".join("%s" for _ in table.columns)
                    cursor.executemany(f"INSERT INTO {quoted} ({columns}) VALUES ({marks})", table.rows)
    ContentType.objects.clear_cache()
