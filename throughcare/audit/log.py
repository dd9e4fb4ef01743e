"""Writing audit events. Call these inside the transaction of the change (or where the read happens)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models, transaction

from throughcare.accounts.models import Agency, User
from throughcare.audit.chain import append, lock_head, prepare
from throughcare.audit.models import AuditEvent, ConsultedCase, Operation
from throughcare.lib.transactions import in_callers_transaction


class AuditOutsideTransaction(RuntimeError):
    """An audit event of a change was written outside the change's transaction."""


_channel: ContextVar[str | None] = ContextVar("audit_channel", default=None)


@contextmanager
def through(channel: str) -> Iterator[None]:
    """Every change recorded inside says which channel it came through (`details["channel"]`, e.g. "api"),
    unless the action names its own."""
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def record(
    operation: Operation,
    obj: models.Model,
    *,
    by: User | None,
    agency: Agency | None = None,
    case_id: int | None = None,
    justification: str = "",
    recipients: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log a change (or a disclosure) in the transaction of the change: refused outside one, so that an
    action can never commit its change without its audit event, or the other way round."""
    if not in_callers_transaction():
        raise AuditOutsideTransaction(
            f"audit.record({operation}) must run inside the transaction of the change it records"
        )
    event = AuditEvent(
        operation=operation,
        actor=by,
        actor_agency=agency,
        case_id=case_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        justification=justification[:500],
    )
    event.recipients = list(recipients)
    event.details = _with_channel(details or {})
    write([event])
    return event


def _with_channel(details: dict[str, Any]) -> dict[str, Any]:
    channel = _channel.get()
    return details if channel is None or "channel" in details else {**details, "channel": channel}


def write(events: list[AuditEvent]) -> None:
    """Append events to the chain, in the caller's transaction if there is one."""
    if not events:
        return
    with transaction.atomic():
        append(lock_head({e.case_id for e in events if e.case_id is not None}), events)


def record_consultation(
    *,
    by: User,
    agency: Agency | None,
    object_type: str,
    shown: Mapping[int, Sequence[int]],
    justification: str | Mapping[int, str],
    channel: str,
) -> None:
    """Log that case data was shown: one event for the view, listing what of each case it showed.

    `shown` maps a case id to the ids of the `object_type` rows of that case that were shown;
    `justification` is one reason for all, or a reason per case id. The event is written at once (before
    the page is sent) with its MAC, and sealed into the chain shortly after: no lock is taken, so page views
    never wait for one another (docs/audit.md).
    """
    if not shown:
        return
    cases = sorted(shown)
    reasons = {
        case: (justification if isinstance(justification, str) else justification[case]) for case in cases
    }
    common = set(reasons.values())
    case_id: int | None = None
    if len(cases) == 1:
        case_id, why = cases[0], reasons[cases[0]]
        ids = sorted(shown[case_id])
        details: dict[str, Any] = {"channel": channel, "shown": ids[:500], "shown_count": len(ids)}
    else:
        why = common.pop() if len(common) == 1 else "several reasons: see each case"
        listed = {
            str(case): {
                "ids": sorted(shown[case])[:500],
                "count": len(shown[case]),
                **({} if len(common) == 1 else {"why": reasons[case][:500]}),
            }
            for case in cases
        }
        details = {"channel": channel, "shown": listed}
    event = AuditEvent(
        operation=Operation.CONSULTATION,
        actor=by,
        actor_agency=agency,
        case_id=case_id,
        object_type=object_type,
        justification=why[:500],
    )
    event.details = details
    prepare(event)
    with transaction.atomic():
        event.save()
        if case_id is None:  # a list: indexed under each case it names
            ConsultedCase.objects.bulk_create(
                ConsultedCase(event_id=event.pk, case_id=c, actor_id=event.actor_id) for c in cases
            )
