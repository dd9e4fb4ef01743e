"""Hash chaining of audit events, and checking the chain."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from throughcare.audit.models import GENESIS_HASH, AuditEvent, ChainHead


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    """HMAC-SHA256 over the previous hash and the event's canonical JSON.

    Keyed, so that someone who can write to the database but does not hold the key cannot forge a
    consistent chain after tampering.
    """
    message = prev_hash.encode() + b"\n" + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), message, hashlib.sha256).hexdigest()


# Locks are taken in one order: the rows of the cases a write is about (by ascending id), then the chain
# head, which is the last lock of the transaction. An action may update its case's row before or after
# recording its audit event; either way the case row is locked before the head. Without that order, two
# writes on one case (one updating the case row then auditing, the other auditing then updating the case
# row) each wait for the lock the other holds: a deadlock on PostgreSQL.
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


def append(head: ChainHead, events: list[AuditEvent]) -> None:
    """Give each event its place and hash after the head, store them, and move the head."""
    for event in events:
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = chain_hash(event.prev_hash, event.payload())
        head.seq, head.hash = event.seq, event.hash
    AuditEvent.objects.bulk_create(events)
    ChainHead.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
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
        if not count.isdigit() or len(head) != 64:
            raise ValueError("A checkpoint looks like COUNT:HASH, as printed by audit_verify --checkpoint")
        return cls(int(count), head)


def find_break(expect: Checkpoint | None = None) -> Break | None:
    """The first place where the chain is broken, or None if every event is intact."""
    prev_hash, expected_seq, seen = GENESIS_HASH, 1, {}
    for event in _events():
        problem = _check(event, expected_seq, prev_hash)
        if problem:
            return Break(expected_seq if "missing" in problem else event.seq, event.pk, problem)
        if expect is not None and event.seq == expect.count:
            seen["checkpoint"] = event.hash
        prev_hash, expected_seq = event.hash, event.seq + 1
    return _check_tail(expected_seq - 1, prev_hash, expect, seen.get("checkpoint"))


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def _check(event: AuditEvent, expected_seq: int, prev_hash: str) -> str:
    if event.seq > expected_seq:
        return f"event #{expected_seq} is missing (deleted), the chain jumps to #{event.seq}"
    if event.prev_hash != prev_hash:
        return "does not follow the event before it (inserted, deleted or reordered)"
    if event.hash != chain_hash(event.prev_hash, event.payload()):
        return "its content does not match its hash (altered)"
    return ""


def _check_tail(
    last_seq: int, last_hash: str, expect: Checkpoint | None, at_checkpoint: str | None
) -> Break | None:
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (last_seq, last_hash if last_seq else head.hash):
        return Break(
            last_seq + 1, None, f"the chain ends at #{last_seq} but #{head.seq} was written (truncated)"
        )
    if expect is not None and at_checkpoint != expect.head:
        reason = (
            "missing (truncated)" if last_seq < expect.count else "differs from the checkpoint (rewritten)"
        )
        return Break(expect.count, None, f"the event at the checkpoint is {reason}")
    return None


def checkpoint() -> Checkpoint:
    head = ChainHead.objects.filter(pk=1).first()
    return Checkpoint(head.seq, head.hash) if head else Checkpoint(0, GENESIS_HASH)
