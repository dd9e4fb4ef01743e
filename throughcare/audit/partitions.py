"""The audit log by month (PostgreSQL): one partition per month of sealing, so that a month holds one
unbroken stretch of the chain and can be detached for archive and verified on its own.

An event is written into the partition of events waiting to be sealed (`month` = `models.UNSEALED`);
sealing it gives it its place in the chain and moves it into the partition of the month it was sealed
in. The month never goes back along the chain (the head remembers it), so months and stretches of the
chain coincide even when clocks disagree. Elsewhere (SQLite) `month` is an ordinary column and nothing
here does anything.

Partitions are made ahead by the daily run (this month and the next) and, should that not have run, by
whoever first seals into a month (docs/audit.md, "Partitions and archives").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.db import connection, transaction

from throughcare.audit.models import UNSEALED

PARENT = "audit_auditevent"

_known: set[date] = set()  # partitions this process has seen committed


def month_of(moment: datetime | date) -> date:
    when = moment.astimezone(UTC) if isinstance(moment, datetime) else moment
    return date(when.year, when.month, 1)


def following(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def table_for(month: date) -> str:
    return f"{PARENT}_{month:%Y_%m}"


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [PARENT])
        return cursor.fetchone() is not None


def ensure(months: Iterable[date]) -> int:
    """Make the partitions of these months that do not exist yet; how many were made. (Events waiting to
    be sealed have their partition from the start.)"""
    wanted = sorted(set(months) - _known - {UNSEALED})
    if not wanted or connection.vendor != "postgresql":
        return 0
    made = 0
    with connection.cursor() as cursor:
        for month in wanted:
            if exists(table_for(month)):
                _remember(month)
                continue
            cursor.execute(
                f'CREATE TABLE IF NOT EXISTS "{table_for(month)}" PARTITION OF {PARENT} '
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following(month).isoformat()}')"
            )
            made += 1
            _remember(month)
    return made


def exists(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{table}"'])
        row = cursor.fetchone()
    return bool(row and row[0])


def _remember(month: date) -> None:
    """Known once committed: a partition made in a transaction rolled back is gone again."""
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _known.add(month))
    else:
        _known.add(month)


def forget(month: date) -> None:
    _known.discard(month)


def ahead(day: date) -> int:
    """The daily run: this month's partition and the next one's, made before anyone seals into them."""
    if not partitioned():
        return 0
    this = month_of(day)
    return ensure([this, following(this)])


def attached() -> list[date]:
    """The months whose partitions are attached, oldest first (not the one of unsealed events)."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [PARENT],
        )
        names = [name for (name,) in cursor.fetchall()]
    prefix = f"{PARENT}_"
    months = []
    for name in names:
        stamp = name.removeprefix(prefix)
        if len(stamp) == 7 and stamp[4] == "_" and stamp.replace("_", "").isdigit():
            months.append(date(int(stamp[:4]), int(stamp[5:]), 1))
    return sorted(months)
