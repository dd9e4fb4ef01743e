"""Archiving a month of the audit log (PostgreSQL): its partition detached from the log, with the cases its
lists named, after it has been verified; the stretch of the chain it holds and the hashes at its ends kept
(ArchivedMonth) and told by an event in the chain. The log then verifies across the gap, and the archive
verifies on its own (`audit_verify --archived MONTH`) wherever its table is restored. A month archived can
be attached again (`audit_archive --restore`), for an investigation that needs to search it.

What leaves the database (a dump of the detached tables, kept by the organisation's archive) is docs/audit.md
"Partitions and archives".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from throughcare.audit import partitions
from throughcare.audit.chain import lock_head
from throughcare.audit.log import record
from throughcare.audit.models import ArchivedMonth, Operation
from throughcare.audit.walking import Break, Checkpoint, Gap, Source, Walk, walk_copy


class ArchiveRefused(Exception):
    """The month cannot be archived or restored; the message says why."""


@dataclass(frozen=True)
class Stretch(Gap):
    """What a month's table holds of the chain: a gap in it once archived, and how many events."""

    events: int


def cases_table(month: date) -> str:
    return f"{partitions.table_for(month)}_cases"


def archive(month: date) -> ArchivedMonth:
    """Detach a month sealed before the current one, once it has verified; refused otherwise."""
    if not partitions.partitioned():
        raise ArchiveRefused("Months can be archived only from a partitioned log (PostgreSQL).")
    table = partitions.table_for(month)
    with transaction.atomic():
        head = lock_head()  # no event is sealed meanwhile
        if head.month is None or month >= head.month:
            raise ArchiveRefused("Only a month before the one events are being sealed in can be archived.")
        if month not in partitions.attached():
            raise ArchiveRefused(f"{month:%B %Y} is not in the log (archived already, or never made).")
        stretch = _stretch(table)
        if stretch is None:
            raise ArchiveRefused(f"No events were sealed in {month:%B %Y}: there is nothing to archive.")
        if stretch.last_seq - stretch.first_seq + 1 != stretch.events:
            raise ArchiveRefused(
                f"{month:%B %Y} does not hold one unbroken stretch of the chain: run audit_verify."
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f'CREATE TABLE "{cases_table(month)}" AS SELECT x.event_id, x.case_id '
                f'FROM audit_consultedcase x JOIN "{table}" e ON e.id = x.event_id'
            )
        broken = _verify(Source(table, cases_table(month)), stretch)
        if broken is not None:
            raise ArchiveRefused(f"{month:%B %Y} does not verify, at {broken}: nothing was archived.")
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM audit_consultedcase x USING "{table}" e WHERE x.event_id = e.id')
            cursor.execute(f'ALTER TABLE {partitions.PARENT} DETACH PARTITION "{table}"')
        partitions.forget(month)
        archived = ArchivedMonth.objects.create(month=month, table=table, **stretch.__dict__)
        _tell(archived, "archived", f"{month:%B %Y} archived out of the log")
    return archived


def restore(month: date) -> ArchivedMonth:
    """Attach an archived month again (its tables restored into this database), once it has verified."""
    archived = ArchivedMonth.objects.filter(month=month).first()
    if archived is None:
        raise ArchiveRefused(f"{month:%B %Y} is not archived.")
    with transaction.atomic():
        lock_head()
        if not partitions.exists(archived.table) or not partitions.exists(cases_table(month)):
            raise ArchiveRefused(
                f"Restore the tables {archived.table} and {cases_table(month)} into this database first."
            )
        broken = verify_archived(archived)
        if broken is not None:
            raise ArchiveRefused(f"The archive of {month:%B %Y} does not verify, at {broken}.")
        with connection.cursor() as cursor:
            cursor.execute(
                f'ALTER TABLE {partitions.PARENT} ATTACH PARTITION "{archived.table}" '
                f"FOR VALUES FROM ('{month}') TO ('{partitions.following(month)}')"
            )
            cursor.execute(  # the month and actor of each list, from the event (as the sealer set them)
                "INSERT INTO audit_consultedcase (event_id, case_id, month, actor_id) "
                f'SELECT x.event_id, x.case_id, e.month, e.actor_id FROM "{cases_table(month)}" x '
                f'JOIN "{archived.table}" e ON e.id = x.event_id'
            )
            cursor.execute(f'DROP TABLE "{cases_table(month)}"')
        _tell(archived, "restored", f"{month:%B %Y} attached to the log again")
        archived.delete()
    return archived


def _tell(archived: ArchivedMonth, what: str, justification: str) -> None:
    """The chain says what became of the month, with its boundaries (`what`: archived or restored)."""
    details = {what: archived.boundaries()}
    record(Operation.ALTERATION, archived, by=None, justification=justification, details=details)


def verify_archived(archived: ArchivedMonth) -> Break | None:
    """An archived month on its own: its events in order from the hash before the first to its last hash,
    each intact, its lists' cases as its bodies name them."""
    stretch = Stretch(
        archived.first_seq, archived.last_seq, archived.prev_hash, archived.last_hash, archived.events
    )
    return _verify(Source(archived.table, cases_table(archived.month)), stretch)


def _verify(source: Source, stretch: Stretch) -> Break | None:
    walk = Walk(Checkpoint(stretch.first_seq - 1, stretch.prev_hash), None)
    broken = walk_copy(walk, source, until=stretch.last_seq)
    if broken is not None:
        return broken
    if (walk.expected - 1, walk.prev_hash) != (stretch.last_seq, stretch.last_hash):
        ends = walk.expected - 1
        return Break(walk.expected, None, f"the month ends at #{ends}, not at #{stretch.last_seq} with the "
                     "hash kept (truncated or rewritten)")  # fmt: skip
    return _framed_in(source)


def _framed_in(source: Source) -> Break | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT x.event_id FROM "{source.cases}" x LEFT JOIN "{source.events}" e ON e.id = x.event_id '
            "WHERE e.id IS NULL OR e.case_id IS NOT NULL LIMIT 1"
        )
        row = cursor.fetchone()
    return Break(0, int(row[0]), "the cases indexed for it were added (altered)") if row else None


def _stretch(table: str) -> Stretch | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*), min(seq), max(seq), (SELECT prev_hash FROM "{table}" ORDER BY seq LIMIT 1), '
            f'(SELECT hash FROM "{table}" ORDER BY seq DESC LIMIT 1) FROM "{table}"'
        )
        row = cursor.fetchone()
    if row is None or not row[0]:
        return None
    events, first_seq, last_seq, prev_hash, last_hash = row
    return Stretch(int(first_seq), int(last_seq), str(prev_hash), str(last_hash), int(events))
