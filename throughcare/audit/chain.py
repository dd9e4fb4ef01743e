"""Hash chaining of audit events: sealing them into the chain in order, and checking the chain.

Every event carries its content as canonical JSON (`body`) and a keyed MAC of it from the moment it is
written. Its place in the chain is given when it is sealed: `seq` (1, 2, 3 … without gaps), the previous
event's hash, and `hash = HMAC(key, prev_hash "\\n" seq "\\n" body)`. Changes are sealed in their own
transaction (`append`); consultations are written unsealed, without any lock, and sealed in order by
`seal` (a sealer thread in each web process, `manage.py audit_seal`, the daily run). docs/audit.md has the
design and what an attacker with database access can and cannot do under it.

Verification streams raw rows — on PostgreSQL with COPY, the columns checked against the body by the
database while Python checks hashes — so it runs near the speed of HMAC itself (bench/audit_verify.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from throughcare.audit import partitions
from throughcare.audit.models import (
    GENESIS_HASH,
    UNSEALED,
    ArchivedMonth,
    AuditEvent,
    ChainHead,
    ConsultedCase,
    canonical,
    said_in,
)


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def mac_of(body: str) -> str:
    """The keyed MAC an event carries from the moment it is written, before it is sealed."""
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()


def seal_hash(prev_hash: str, seq: int, body: str) -> str:
    return hmac.new(_key(), f"{prev_hash}\n{seq}\n{body}".encode(), hashlib.sha256).hexdigest()


def prepare(event: AuditEvent) -> AuditEvent:
    """Give an event its body and MAC (before it is stored)."""
    event.body = canonical(event.content())
    event.mac = mac_of(event.body)
    return event


# Locks are taken in one order: the rows of the cases a change is about (by ascending id), then the chain
# head, which is the last lock of the transaction. An action may update its case's row before or after
# recording its audit event; either way the case row is locked before the head. Without that order, two
# writes on one case (one updating the case row then auditing, the other auditing then updating the case
# row) each wait for the lock the other holds: a deadlock on PostgreSQL. Consultations take no lock.
_before_head: list[Callable[[Collection[int]], None]] = []


def lock_first(locker: Callable[[Collection[int]], None]) -> None:
    """Register what must be locked before the chain head, given the ids of the cases being audited
    (the cases app registers its case rows)."""
    _before_head.append(locker)


def lock_head(case_ids: Collection[int] = ()) -> ChainHead:
    """Lock the chain head for the rest of the transaction, after the rows of the cases named (row locks
    on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers)."""
    if case_ids:
        for locker in _before_head:
            locker(case_ids)
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def sealing_month(head: ChainHead) -> date:
    """The month events are sealed in now: this month, or the head's if a clock is behind (months never go
    back along the chain, so that each month holds one stretch of it). Its partition is made if missing."""
    month = partitions.month_of(timezone.now())
    if head.month is not None and head.month > month:
        month = head.month
    partitions.ensure([month])
    head.month = month
    return month


def append(head: ChainHead, events: list[AuditEvent]) -> None:
    """Store events sealed at once: each gets its body, place and hash after the head; the head moves."""
    month = sealing_month(head)
    for event in events:
        prepare(event)
        event.seq = head.seq + 1
        event.month = month
        event.prev_hash = head.hash
        event.hash = seal_hash(head.hash, event.seq, event.body)
        head.seq, head.hash = event.seq, event.hash
    AuditEvent.objects.bulk_create(events)
    _move(head)


def _move(head: ChainHead) -> None:
    ChainHead.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash, month=head.month)


def seal(limit: int = 5000) -> int:
    """Seal up to `limit` waiting events into the chain, oldest first; how many were sealed. Another
    sealer at work (the head locked) is not waited for: it is sealing the same events. An event whose MAC
    does not match its body is left unsealed, for `audit_verify` to report."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if head is None:
            if ChainHead.objects.filter(pk=1).exists():
                return 0  # locked by another sealer or a change being written
            head = lock_head()
        waiting = AuditEvent.objects.filter(month=UNSEALED).order_by("id")
        found = list(waiting.values_list("id", "body", "mac")[:limit])
        if not found:
            return 0
        month = sealing_month(head)
        sealed = []
        for pk, body, mac in found:
            if not hmac.compare_digest(mac, mac_of(body)):
                continue
            seq = head.seq + 1
            digest = seal_hash(head.hash, seq, body)
            sealed.append(AuditEvent(id=pk, seq=seq, prev_hash=head.hash, hash=digest, month=month))
            head.seq, head.hash = seq, digest
        _store_sealed(sealed, month)
        _move(head)
    return len(sealed)


SEAL_SQL = """UPDATE audit_auditevent e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, month = %s
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS v(id, seq, prev_hash, hash)
WHERE e.month = %s AND e.id = v.id"""


def _store_sealed(sealed: list[AuditEvent], month: date) -> None:
    """Give the events their places: on PostgreSQL one statement joined to arrays of them (Django's
    bulk update writes a CASE per column that grows with the square of the batch). Only the partition of
    waiting events is searched for them; sealing moves them into their month's."""
    if connection.vendor != "postgresql":
        waiting = AuditEvent.objects.filter(month=UNSEALED)
        waiting.bulk_update(sealed, ["seq", "prev_hash", "hash", "month"], batch_size=1000)
        return
    columns = ([e.pk for e in sealed], [e.seq for e in sealed], [e.prev_hash for e in sealed],
               [e.hash for e in sealed])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(SEAL_SQL, [month, *columns, UNSEALED])


def seal_all() -> int:
    total = 0
    while count := seal():
        total += count
    return total


# Checking --------------------------------------------------------------------------------------------


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


ARCHIVE_TYPE = ArchivedMonth._meta.label_lower
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
        it, go on after the archive (which must start from the hash the chain is at)."""
        gap = self.gaps.get(self.expected)
        if seq != self.expected and gap is not None and gap.prev_hash == self.prev_hash:
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


def find_break(expect: Checkpoint | None = None, start: Checkpoint | None = None) -> Break | None:
    """The first place where the chain is broken, or None if every event is intact. `expect`: a checkpoint
    kept outside, which the chain must still contain; `start`: a checkpoint verified before, to go on from
    (its event must still have its hash)."""
    gaps = archived_gaps()
    walk = Walk(start, expect, gaps)
    if start is not None and start.count:
        found = AuditEvent.objects.filter(seq=start.count).values_list("id", "hash").first()
        ends_gap = any((g.last_seq, g.last_hash) == (start.count, start.head) for g in gaps)
        if not ends_gap and (found is None or found[1] != start.head):
            return Break(start.count, found[0] if found else None, "the checkpoint to start from is not in "
                         "the chain (rewritten or truncated)")  # fmt: skip
    broken = walk_copy(walk, LIVE) if connection.vendor == "postgresql" else _walk_rows(walk)
    if broken is not None:
        return broken
    walk.across(None)  # the log ends with an archived stretch
    return _archives_told(walk) or _framed() or _check_tail(walk) or _check_unsealed()


def archived_gaps() -> list[Gap]:
    return [
        Gap(a.first_seq, a.last_seq, a.prev_hash, a.last_hash)
        for a in ArchivedMonth.objects.order_by("first_seq")
    ]


def _archives_told(walk: Walk) -> Break | None:
    """Each archive the chain was followed across is told by an event in the chain, with the same
    boundaries: an archive record made up to hide a deletion is not."""
    if not walk.crossed:
        return None
    told = set()
    for body in AuditEvent.objects.filter(object_type=ARCHIVE_TYPE).values_list("body", flat=True):
        archived = said_in(body)["details"].get("archived")
        if isinstance(archived, dict):
            told.add((archived.get("first_seq"), archived.get("last_seq"), archived.get("prev_hash"),
                      archived.get("last_hash")))  # fmt: skip
    for gap in walk.crossed:
        if (gap.first_seq, gap.last_seq, gap.prev_hash, gap.last_hash) not in told:
            return Break(gap.first_seq, None, f"events #{gap.first_seq}–#{gap.last_seq} are said to be "
                         "archived, but the chain does not say so (deleted)")  # fmt: skip
    return None


def _framed() -> Break | None:
    """The index names a case for an event about one case (or about no case at all): someone added it.
    Both as anti- and semi-joins (`EXISTS`), which PostgreSQL may hash: `NOT IN (subquery)` over a log too
    big for memory is re-read for every index row."""
    about_one = AuditEvent.objects.filter(pk=OuterRef("event_id"), case_id__isnull=False)
    found = ConsultedCase.objects.filter(Exists(about_one)).order_by().values_list("event_id", flat=True)[:1]
    if found:
        seq = AuditEvent.objects.filter(pk=found[0]).values_list("seq", flat=True).first()
        return Break(seq or 0, found[0], ALTERED)
    held = AuditEvent.objects.filter(pk=OuterRef("event_id"))
    found = ConsultedCase.objects.exclude(Exists(held)).order_by().values_list("event_id", flat=True)[:1]
    if found:
        return Break(-1, found[0], "the log names cases for it but does not hold it (deleted)")
    return None


def message(prev_hash: bytes, seq: bytes, body: bytes) -> bytes:
    """What an event's chain hash covers. An event from before bodies were kept (its body a JSON object
    holding its place) was hashed over the previous hash and its body alone."""
    if body[:1] == b"{":
        return prev_hash + b"\n" + body
    return prev_hash + b"\n" + seq + b"\n" + body


# What the database checks of each sealed event (PostgreSQL), without parsing its JSON: the columns pages
# query by must rebuild the start of its body (to_json escapes text as the canonical JSON does). An event
# from before bodies were kept is parsed instead.
PREFIX_SQL = """'['
    || to_json(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'))::text
    || ',' || to_json(e.operation)::text || ',' || coalesce(e.actor_id::text, 'null')
    || ',' || coalesce(e.actor_agency_id::text, 'null') || ',' || coalesce(e.case_id::text, 'null')
    || ',' || to_json(e.object_type)::text || ',' || to_json(e.object_id)::text
    || ',' || to_json(e.justification)::text || ','"""

OLD_SQL = """(SELECT (b->>'seq')::bigint = e.seq AND (b->>'occurred_at')::timestamptz = e.occurred_at
    AND b->>'operation' = e.operation AND (b->>'actor') IS NOT DISTINCT FROM e.actor_id::text
    AND (b->>'actor_agency') IS NOT DISTINCT FROM e.actor_agency_id::text
    AND (b->>'case') IS NOT DISTINCT FROM e.case_id::text AND b->>'object_type' = e.object_type
    AND b->>'object_id' = e.object_id AND b->>'justification' = e.justification
    FROM (SELECT e.body::jsonb AS b) j)"""

# Which cases the index names for an event about several cases (no case_id): the sorted ids, compared with
# its body. That the index names no case for an event about one case is checked once, set-based
# (`_framed`), rather than probed for every event.
LISTED_SQL = """CASE WHEN e.case_id IS NULL THEN 'n' || array_to_string(
    ARRAY(SELECT x.case_id FROM {cases} x WHERE x.event_id = e.id ORDER BY 1), ',') ELSE '' END"""


@dataclass(frozen=True)
class Source:
    """Where a walk reads events: the log, or a month detached from it with the cases its lists named."""

    events: str
    cases: str

    def row_sql(self) -> str:
        listed = LISTED_SQL.format(cases=self.cases)
        return f"""concat_ws(E'\\x02', e.seq, e.id, e.prev_hash, e.hash, e.body,
    CASE WHEN left(e.body, 1) = '{{' THEN {OLD_SQL} ELSE starts_with(e.body, {PREFIX_SQL}) END,
    {listed})"""

    def last_seq(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT max(seq) FROM "{self.events}"')
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0


LIVE = Source(AuditEvent._meta.db_table, ConsultedCase._meta.db_table)
CHUNK = 5000


def walk_copy(walk: Walk, source: Source, until: int | None = None) -> Break | None:
    """Sealed events in seq order, a chunk of them per COPY: each event's seq, id, prev_hash, hash, body,
    the database's verdict on its columns and the cases indexed, joined by \\x02, events by \\x01 (a
    canonical body holds neither: JSON escapes control characters). COPY's text format doubles the
    backslashes of a body, undone here. Outside a transaction the next chunk is read by a second
    connection while this one is hashed."""
    key, prev, expected = _key(), walk.prev_hash.encode(), walk.expected
    for chunk in _chunks(source, _spans(expected, until or source.last_seq(), walk.gaps)):
        for row in chunk.split(b"\x01"):
            seq_b, id_b, prev_b, hash_b, body, verdict, listed = row.split(b"\x02")
            if b"\\" in body:
                body = body.replace(b"\\\\", b"\\")
            seq = int(seq_b)
            ok = hmac.digest(key, message(prev_b, seq_b, body), "sha256").hex().encode() == hash_b
            if (
                seq != expected
                or prev_b != prev
                or not ok
                or verdict != b"t"
                or (listed and not _lists(body, listed))
            ):
                walk.prev_hash, walk.expected = prev.decode(), expected
                ok = ok and verdict == b"t" and (not listed or _lists(body, listed))
                broken = walk.step(seq, int(id_b), prev_b.decode(), hash_b.decode(), ok)
                if broken is not None:
                    return broken
                prev, expected = walk.prev_hash.encode(), walk.expected  # across an archived month
                continue
            prev, expected = hash_b, seq + 1
    walk.prev_hash, walk.expected = prev.decode(), expected
    return None


def _spans(first: int, last: int, gaps: dict[int, Gap]) -> list[tuple[int, int]]:
    """The seq ranges [from, to) to read, a chunk each, leaving out archived stretches."""
    spans = []
    start = first
    while start <= last:
        gap = gaps.get(start)
        if gap is not None:
            start = gap.last_seq + 1
            continue
        end = min(start + CHUNK, last + 1, *(g for g in gaps if g > start))
        spans.append((start, end))
        start = end
    return spans


def _chunks(source: Source, spans: list[tuple[int, int]]) -> Iterator[bytes]:
    if connection.in_atomic_block:  # a second connection would not see this transaction's events
        for span in spans:
            if chunk := _chunk(source, *span):
                yield chunk
        return
    ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)

    def read_ahead() -> None:
        try:
            for span in spans:
                ahead.put(_chunk(source, *span))
        except BaseException as error:  # noqa: BLE001 — handed to the verifying thread
            ahead.put(error)
        finally:
            ahead.put(None)
            connection.close()

    threading.Thread(target=read_ahead, name="audit-verify-reader", daemon=True).start()
    yield from _taken(ahead)


def _taken(ahead: queue.Queue[bytes | BaseException | None]) -> Iterator[bytes]:
    while (item := ahead.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        if item:
            yield item


def _chunk(source: Source, start: int, end: int) -> bytes:
    """The events of [start, end) in order; nothing if there are none (deleted: found by what follows)."""
    sql = (
        f"COPY (SELECT string_agg({source.row_sql()}, E'\\x01' ORDER BY e.seq) FROM \"{source.events}\" e "
        f"WHERE e.seq >= {int(start)} AND e.seq < {int(end)}) TO STDOUT"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        data = b"".join(bytes(block) for block in copy)
    data = data.rstrip(b"\n")
    return b"" if data == b"\\N" else data


def _lists(body: bytes, listed: bytes) -> bool:
    """An event about no single case ("n" and the ids the index names): the cases its body lists are
    the cases the index names."""
    if not listed.startswith(b"n"):
        return False
    listed = listed[1:]
    shown = said_in(body.decode()).get("details", {}).get("shown")
    named = sorted(int(k) for k in shown) if isinstance(shown, dict) else []
    return named == ([int(c) for c in listed.split(b",")] if listed else [])


def _walk_rows(walk: Walk) -> Break | None:
    """Elsewhere (SQLite, small logs): the events through the ORM, columns compared with the body."""
    key = _key()
    events = AuditEvent.objects.filter(seq__gte=walk.expected).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        assert event.seq is not None
        prev_hash, digest = event.prev_hash, event.hash
        expected = hmac.digest(
            key, message(prev_hash.encode(), str(event.seq).encode(), event.body.encode()), "sha256"
        )
        ok = expected.hex() == digest and _consistent(event)
        broken = walk.step(event.seq, event.pk, prev_hash, digest, ok)
        if broken:
            return broken
    return None


def _consistent(event: AuditEvent) -> bool:
    """The columns say what the body says, and a list's cases are indexed as the body names them."""
    try:
        told = json.loads(event.body)
    except ValueError:
        return False
    columns = event.content()[:8]
    if isinstance(told, list):
        if told[:8] != columns:
            return False
    elif [told.get(k) for k in OLD_KEYS] != [event.seq, *columns]:
        return False
    if event.case_id is not None:
        return True  # an event about one case must not be indexed: checked once for all (`_framed`)
    indexed = sorted(ConsultedCase.objects.filter(event_id=event.pk).values_list("case_id", flat=True))
    return _lists(event.body.encode(), b"n" + ",".join(str(c) for c in indexed).encode())


OLD_KEYS = ["seq", "occurred_at", "operation", "actor", "actor_agency", "case", "object_type", "object_id",
            "justification"]  # fmt: skip


def _check_tail(walk: Walk) -> Break | None:
    last_seq, last_hash = walk.expected - 1, walk.prev_hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (last_seq, last_hash if last_seq else head.hash):
        return Break(
            last_seq + 1, None, f"the chain ends at #{last_seq} but #{head.seq} was written (truncated)"
        )
    expect = walk.expect
    if expect is None or not expect.count:
        return None
    # The chain was just verified up to its end: the checkpoint's event is in it with its hash, or not.
    kept = AuditEvent.objects.filter(seq=expect.count).values_list("hash", flat=True).first()
    if kept != expect.head:
        reason = "missing (truncated)" if kept is None else "differs from the checkpoint (rewritten)"
        return Break(expect.count, None, f"the event at the checkpoint is {reason}")
    return None


def _check_unsealed() -> Break | None:
    """Events not sealed yet still carry a MAC of their body, and columns that say what it says."""
    for event in AuditEvent.objects.filter(month=UNSEALED).order_by("id").iterator(chunk_size=500):
        if not hmac.compare_digest(event.mac, mac_of(event.body)) or not _consistent(event):
            return Break(0, event.pk, ALTERED)
    return None


def checkpoint() -> Checkpoint:
    head = ChainHead.objects.filter(pk=1).first()
    return Checkpoint(head.seq, head.hash) if head else Checkpoint(0, GENESIS_HASH)


def unsealed() -> int:
    return AuditEvent.objects.filter(month=UNSEALED).count()
