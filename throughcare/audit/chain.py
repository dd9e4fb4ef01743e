"""Hash chaining of audit events: sealing them into the chain in order, and checking the chain.

Every event carries its content as canonical JSON (`body`) and a keyed MAC of it from the moment it is
written. Its place in the chain is given when it is sealed: `seq` (1, 2, 3 … without gaps), the previous
event's hash, and `hash = HMAC(key, prev_hash "\\n" seq "\\n" body)`. Changes are sealed in their own
transaction (`append`); consultations are written unsealed, without any lock, and sealed in order by
`seal` (a sealer thread in each web process, `manage.py audit_seal`, the daily run). docs/audit.md has the
design and what an attacker with database access can and cannot do under it.

Verification (`find_break`) walks the chain in order (`walking`: on PostgreSQL streamed with COPY, the
columns checked against the body by the database while Python checks hashes, in several processes if asked)
and then checks what lies beside it: archives told by the chain, the index of listed cases, the head, the
events not sealed yet.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Collection
from datetime import date

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
)
from throughcare.audit.runs import lists_agree, message, said_in
from throughcare.audit.walking import (
    ALTERED,
    LIVE,
    Break,
    Checkpoint,
    Gap,
    Walk,
    key,
    walk_copy,
)


def mac_of(body: str) -> str:
    """The keyed MAC an event carries from the moment it is written, before it is sealed."""
    return hmac.new(key(), body.encode(), hashlib.sha256).hexdigest()


def seal_hash(prev_hash: str, seq: int, body: str) -> str:
    return hmac.new(key(), f"{prev_hash}\n{seq}\n{body}".encode(), hashlib.sha256).hexdigest()


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
    waiting events is searched for them; sealing moves them into their month's. The index of the cases
    that lists name learns the month too."""
    ids = [e.pk for e in sealed]
    ConsultedCase.objects.filter(event_id__in=ids).update(month=month)
    if connection.vendor != "postgresql":
        waiting = AuditEvent.objects.filter(month=UNSEALED)
        waiting.bulk_update(sealed, ["seq", "prev_hash", "hash", "month"], batch_size=1000)
        return
    columns = (ids, [e.seq for e in sealed], [e.prev_hash for e in sealed], [e.hash for e in sealed])
    with connection.cursor() as cursor:
        cursor.execute(SEAL_SQL, [month, *columns, UNSEALED])


def seal_all() -> int:
    total = 0
    while count := seal():
        total += count
    return total


# Checking --------------------------------------------------------------------------------------------


ARCHIVE_TYPE = ArchivedMonth._meta.label_lower


def find_break(
    expect: Checkpoint | None = None, start: Checkpoint | None = None, workers: int = 1
) -> Break | None:
    """The first place where the chain is broken, or None if every event is intact. `expect`: a checkpoint
    kept outside, which the chain must still contain; `start`: a checkpoint verified before, to go on from
    (its event must still have its hash); `workers`: processes reading the log (PostgreSQL)."""
    gaps = archived_gaps()
    walk = Walk(start, expect, gaps)
    if start is not None and start.count:
        found = AuditEvent.objects.filter(seq=start.count).values_list("id", "hash").first()
        ends_gap = any((g.last_seq, g.last_hash) == (start.count, start.head) for g in gaps)
        if not ends_gap and (found is None or found[1] != start.head):
            return Break(start.count, found[0] if found else None, "the checkpoint to start from is not in "
                         "the chain (rewritten or truncated)")  # fmt: skip
    broken = walk_copy(walk, LIVE, workers=workers) if connection.vendor == "postgresql" else _walk_rows(walk)
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


def _walk_rows(walk: Walk) -> Break | None:
    """Elsewhere (SQLite, small logs): the events through the ORM, columns compared with the body."""
    chain_key = key()
    events = AuditEvent.objects.filter(seq__gte=walk.expected).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        assert event.seq is not None
        prev_hash, digest = event.prev_hash, event.hash
        expected = hmac.digest(
            chain_key, message(prev_hash.encode(), str(event.seq).encode(), event.body.encode()), "sha256"
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
    index = ConsultedCase.objects.filter(event_id=event.pk).values_list("case_id", "month", "actor_id")
    agreeing = (event.month, event.actor_id)
    indexed = sorted(case if (month, actor) == agreeing else -1 for case, month, actor in index)
    return lists_agree(event.body.encode(), b"n" + ",".join(str(c) for c in indexed).encode())


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
