"""Walking the chain: where a verification is, and reading sealed events in order at the speed of HMAC.

On PostgreSQL events are streamed with COPY, a chunk of a month at a time (read from the month's partition,
so that a chunk's statement plans one table, not every month). The database checks each event's columns
against its body; Python checks places and hashes. A chunk whose events all follow one another and verify
is taken in one step (`runs.examine`); anything else is walked event by event (`Walk.step`), which knows
the archived stretches and names what is wrong. With `workers` above one, chunks are read and examined by
that many processes started for the walk (`runs.examine_in_worker`), each with its own connection, while
this process follows the chain from one chunk's summary to the next (bench/audit_verify.py measures both
against raw HMAC).
"""

from __future__ import annotations

import bisect
import multiprocessing
import queue
import threading
from binascii import hexlify
from collections.abc import Collection, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from throughcare.audit import partitions
from throughcare.audit.models import GENESIS_HASH, UNSEALED, ConsultedCase
from throughcare.audit.runs import (
    FIELDS,
    READ_IN_ORDER,
    Run,
    body_of,
    columns_agree,
    copied,
    examine,
    examine_in_worker,
    hmac_digest,
    lists_agree,
    seq_of,
    start_worker,
    unescaped,
)


def key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        if self.seq < 0:  # an event the log no longer holds
            return f"event id {self.event_id}: {self.reason}"
        where = f"event #{self.seq}" if self.seq else "an unsealed event"
        where += f" (id {self.event_id})" if self.event_id is not None else ""
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head: str

    def __str__(self) -> str:
        return f"{self.count}:{self.head}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        count, _, head = text.strip().partition(":")
        if not count.isascii() or not count.isdigit() or len(count) > 18 or len(head) != 64:
            raise ValueError("A checkpoint looks like COUNT:HASH, as printed by audit_verify --checkpoint")
        return cls(int(count), head)


ALTERED = "its content does not match its hash (altered)"
FOLLOWS = "does not follow the event before it (inserted, deleted or reordered)"


@dataclass(frozen=True)
class Gap:
    """A stretch of the chain archived away (ArchivedMonth): the chain goes on across it from `prev_hash`
    at #`first_seq` to `last_hash` at #`last_seq`."""

    first_seq: int
    last_seq: int
    prev_hash: str
    last_hash: str


class Walk:
    """The state of one verification: where the chain is, and what it has seen."""

    def __init__(
        self, start: Checkpoint | None, expect: Checkpoint | None, gaps: Collection[Gap] = ()
    ) -> None:
        self.prev_hash = start.head if start else GENESIS_HASH
        self.expected = start.count + 1 if start else 1
        self.expect = expect
        self.gaps = {gap.first_seq: gap for gap in gaps}
        self.crossed: list[Gap] = []

    def across(self, seq: int | None) -> None:
        """Before event #`seq` (None: at the end): if the chain was archived from where it is to just before
        it, go on after the archive (which must start from the hash the chain is at), and after the next
        archive if the two months were archived one after the other."""
        while seq != self.expected and (gap := self.gaps.get(self.expected)) is not None:
            if gap.prev_hash != self.prev_hash:
                return
            self.prev_hash, self.expected = gap.last_hash, gap.last_seq + 1
            self.crossed.append(gap)

    def step(self, seq: int, event_id: int, prev_hash: str, digest: str, ok: bool) -> Break | None:
        """One sealed event: in place, following the one before, its hash right (`ok`)."""
        self.across(seq)
        if seq > self.expected:
            return Break(self.expected, event_id, f"event #{self.expected} is missing (deleted), the chain "
                         f"jumps to #{seq}")  # fmt: skip
        if prev_hash != self.prev_hash:
            return Break(seq, event_id, FOLLOWS)
        if not ok:
            return Break(seq, event_id, ALTERED)
        self.prev_hash, self.expected = digest, seq + 1
        return None


# Reading events (PostgreSQL) -----------------------------------------------------------------------------

# The database's verdict on the start of an event's body: for an event from before bodies were kept (its
# body a JSON object), which it parses, "true" or "false"; for any other, that the body starts with the time
# it occurred as the body writes it ("" if so, "f" if not). The rest of the start is Python's (`examine`).
FLAGS_SQL = """CASE WHEN starts_with(e.body, '{') THEN coalesce((SELECT ((b->>'seq')::bigint = e.seq
    AND (b->>'occurred_at')::timestamptz = e.occurred_at
    AND b->>'operation' = e.operation AND (b->>'actor') IS NOT DISTINCT FROM e.actor_id::text
    AND (b->>'actor_agency') IS NOT DISTINCT FROM e.actor_agency_id::text
    AND (b->>'case') IS NOT DISTINCT FROM e.case_id::text AND b->>'object_type' = e.object_type
    AND b->>'object_id' = e.object_id AND b->>'justification' = e.justification)::text
    FROM (SELECT e.body::jsonb AS b) j), 'false')
    WHEN starts_with(e.body, to_char(e.occurred_at AT TIME ZONE 'UTC',
        '[\\"YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\\",\\"')) THEN '' ELSE 'f' END"""
# Which cases the index names for an event about several cases (no case_id): the sorted ids, compared with
# its body. That the index names no case for an event about one case is checked once, set-based
# (`chain._framed`), rather than probed for every event.
LISTED_SQL = """CASE WHEN e.case_id IS NULL THEN 'n' || array_to_string(
    ARRAY(SELECT {case} FROM {cases} x WHERE x.event_id = e.id ORDER BY 1), ',') ELSE '' END"""
# The log's index also holds each list's month and actor (how "who accessed this case" reads it): a row
# that tells them otherwise than the event names no case (-1), which no body names: the event is reported.
AGREEING_SQL = (
    "CASE WHEN x.month = e.month AND x.actor_id IS NOT DISTINCT FROM e.actor_id THEN x.case_id ELSE -1 END"
)

# What is read of each event: what its hash covers (`message`: the previous hash, its place, its body), its
# hash, the database's verdict (FLAGS_SQL), the cases indexed, and the columns pages query by as the body
# shows them (no number as null); the justification, free text, last, so that only it may hold the
# separator (fields are split from the left).
FIELDS_SQL = """CASE WHEN starts_with(e.body, '{{') THEN e.prev_hash || E'\\n' || e.body
    ELSE e.prev_hash || E'\\n' || e.seq::text || E'\\n' || e.body END, e.hash, {flags}, {listed},
    coalesce(e.actor_id::text, 'null') || ',' || coalesce(e.actor_agency_id::text, 'null') || ','
    || coalesce(e.case_id::text, 'null'), e.operation, e.object_type, e.object_id, e.justification"""
CHUNK = 20000


@dataclass(frozen=True)
class Source:
    """Where a walk reads events: the log (its months' partitions), or a month detached from it with the
    cases its lists named."""

    events: str
    cases: str
    by_month: bool = False

    def last_seq(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT max(seq) FROM "{self.events}"')
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def month_starts(self) -> dict[int, str]:
        """The first event of each month still in the log, and the partition holding the month: a month
        holds one unbroken stretch of the chain (docs/audit.md). Where the months do not lie one after the
        other, or an event holds a place in the chain among those waiting to be sealed (forged), nothing:
        the log is read whole, and the walk finds each event in the place it claims."""
        if not self.by_month:
            return {}
        stretches = []
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT 1 FROM "{self.events}" WHERE month = %s AND seq IS NOT NULL', [UNSEALED])
            if cursor.fetchone():
                return {}
            for month in partitions.attached():
                table = partitions.table_for(month)
                cursor.execute(f'SELECT min(seq), max(seq) FROM "{table}"')
                row = cursor.fetchone()
                if row and row[0] is not None:
                    stretches.append((int(row[0]), int(row[1]), table))
        stretches.sort()
        if any(later[0] <= earlier[1] for earlier, later in zip(stretches, stretches[1:], strict=False)):
            return {}
        return {first: table for first, _, table in stretches}

    def chunk_sql(self, span: Span) -> str:
        """The events of a span as one text: events split by \\x01, fields by \\x02 (a canonical body
        holds no control character: JSON escapes them). One row, because the client's cost per row of COPY
        exceeds the database's cost of joining them; in COPY's binary format, which sends text as it is.
        Along the seq index (`READ_IN_ORDER`): a chunk read in another order is no run, and is read again
        in order (`rows_sql`) before anything is said of it."""
        return (
            f"COPY (SELECT string_agg(concat_ws(E'\\x02', {self._fields()}), E'\\x01') "
            f'FROM "{span.table}" e WHERE e.seq >= {int(span.start)} AND e.seq < {int(span.end)}) '
            "TO STDOUT (FORMAT binary)"
        )

    def rows_sql(self, span: Span) -> str:
        """The events of a span in order, each with its id, one a line (COPY's text format)."""
        return (
            f'COPY (SELECT e.id, {self._fields()} FROM "{span.table}" e WHERE e.seq >= {int(span.start)} '
            f"AND e.seq < {int(span.end)} ORDER BY e.seq) TO STDOUT (DELIMITER E'\\x02')"
        )

    def event_id(self, seq: int) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT id FROM "{self.events}" WHERE seq = %s', [seq])
            row = cursor.fetchone()
        return int(row[0]) if row else None

    def _fields(self) -> str:
        case = AGREEING_SQL if self.by_month else "x.case_id"  # an archived month's index: the cases only
        listed = LISTED_SQL.format(cases=f'"{self.cases}"', case=case)
        return FIELDS_SQL.format(flags=FLAGS_SQL, listed=listed)


LIVE = Source(partitions.PARENT, ConsultedCase._meta.db_table, by_month=True)


@dataclass(frozen=True)
class Span:
    """Events #start to #end - 1, read from one table."""

    start: int
    end: int
    table: str


# A chunk's run (None: it is not one), and which chunk.
Examined = tuple[Run | None, Span]


def walk_copy(walk: Walk, source: Source, until: int | None = None, workers: int = 1) -> Break | None:
    """Sealed events in order from where the walk is, up to #`until` (default: the last). A chunk that is
    one unbroken run from where the chain is goes in one step; any other is walked event by event."""
    spans = _spans(walk.expected, until or source.last_seq(), walk.gaps, source)
    for run, span in _examined(source, spans, workers):
        if run is None:
            broken = _step_through(walk, _read(source.rows_sql(span)))  # read again, in this process
        else:
            walk.across(run.first_seq)
            if (run.first_seq, run.first_prev) == (walk.expected, walk.prev_hash):
                walk.expected, walk.prev_hash = run.last_seq + 1, run.last_hash
                continue
            # A run that does not go on from where the chain is: events before it missing, or not its own.
            event_id = source.event_id(run.first_seq)
            broken = walk.step(run.first_seq, event_id or 0, run.first_prev, "", True)
            broken = broken or Break(run.first_seq, event_id, FOLLOWS)
        if broken is not None:
            return broken
    return None


def _spans(first: int, last: int, gaps: dict[int, Gap], source: Source) -> list[Span]:
    """The chunks to read, leaving out archived stretches, each within one month."""
    starts = source.month_starts()
    firsts = sorted(starts)
    bounds = sorted({*gaps, *starts})
    spans = []
    start = first
    while start <= last:
        gap = gaps.get(start)
        if gap is not None:
            start = gap.last_seq + 1
            continue
        following = bisect.bisect_right(bounds, start)
        end = min(start + CHUNK, last + 1, *bounds[following : following + 1])
        month = bisect.bisect_right(firsts, start) - 1
        spans.append(Span(start, end, starts[firsts[month]] if month >= 0 else source.events))
        start = end
    return spans


def _step_through(walk: Walk, data: bytes) -> Break | None:
    """A chunk event by event (COPY's text format, each with its id first), for the walk to say what is
    wrong (or to cross an archived stretch)."""
    chain_key = key()
    for line in data.split(b"\n") if data else []:
        fields = [unescaped(field) for field in line.split(b"\x02", FIELDS)]
        seq = seq_of(fields[1]) if len(fields) == FIELDS + 1 and fields[0].isdigit() else None
        if seq is None:
            return Break(walk.expected, None, ALTERED)
        said, digest, _, listed = fields[1:5]
        ok = (
            hexlify(hmac_digest(chain_key, said, "sha256")) == digest
            and columns_agree(fields[1:])
            and (not listed or lists_agree(body_of(said), listed))
        )
        broken = walk.step(seq, int(fields[0]), said[:64].decode(), digest.decode(), ok)
        if broken is not None:
            return broken
    return None


def _examined(source: Source, spans: list[Span], workers: int) -> Iterator[Examined]:
    """Each span's run (None: not one), in order."""
    if workers > 1 and len(spans) > 1 and not connection.in_atomic_block:
        yield from _examined_by_workers(source, spans, workers)
        return
    chain_key = key()
    for span, data in zip(spans, _chunks(source, spans), strict=True):
        yield examine(data, chain_key), span


def _chunks(source: Source, spans: list[Span]) -> Iterator[bytes]:
    """The spans' events, read ahead by a second connection while this one hashes (outside a transaction:
    the second connection would not see this transaction's events)."""
    if connection.in_atomic_block:
        for span in spans:
            yield _read(source.chunk_sql(span))
        return
    ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)

    def read_ahead() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(READ_IN_ORDER)
            for span in spans:
                ahead.put(_read(source.chunk_sql(span)))
        except BaseException as error:  # noqa: BLE001 — handed to the verifying thread
            ahead.put(error)
        finally:
            ahead.put(None)
            connection.close()

    threading.Thread(target=read_ahead, name="audit-verify-reader", daemon=True).start()
    while (item := ahead.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item


def _read(sql: str) -> bytes:
    with connection.cursor() as cursor:
        return copied(cursor.cursor, sql)


def _examined_by_workers(source: Source, spans: list[Span], workers: int) -> Iterator[Examined]:
    """Chunks examined by `workers` processes started for the walk (`runs.examine_in_worker`); a worker
    that fails (cannot connect, ends) fails the walk with its error rather than leaving it waiting. They
    are forked from a server process that has only ever run one thread (started with the first walk):
    forked from this process, a worker could inherit a lock another thread held and wait for ever."""
    params = {k: v for k, v in connection.get_connection_params().items() if isinstance(v, str | int)}
    pool = ProcessPoolExecutor(
        workers, multiprocessing.get_context("forkserver"), initializer=start_worker, initargs=(params, key())
    )
    try:
        runs = pool.map(examine_in_worker, [source.chunk_sql(span) for span in spans])
        yield from zip(runs, spans, strict=True)
    finally:
        pool.shutdown(cancel_futures=True)
