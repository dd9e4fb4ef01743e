"""Domain events: facts one capability records that another reacts to, in the same transaction.

An action that changes something others must react to emits a small typed record of the fact
(`CaseReleased(case_id=…, by_id=…, at=…)`) inside its transaction. The apps that react subscribe a handler
at start-up, explicitly, in their `AppConfig.ready` (no Django signals). Handlers run at once, in the
order they were subscribed, inside the emitter's transaction: a handler that refuses (ActionRefused) or
fails undoes the whole action, so an action commits whole or not at all, consequences included.

Events carry ids and plain values only — and the system's own words as a wording, published in English —
so that each is a JSON document (`as_dict`) — the form in which
the API will publish them to other systems.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from throughcare.lib.transactions import in_callers_transaction
from throughcare.lib.wording import Wording, english


class EventOutsideTransaction(RuntimeError):
    """An event was emitted outside the transaction of the change it reports."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """A fact about one case. Subclasses are frozen dataclasses with a `type` like "case.released"."""

    type: ClassVar[str]
    category: ClassVar[str] = "general"  # the data category of what the event tells
    case_id: int
    by_id: int | None  # who acted (None: the system, e.g. the nightly run)
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        data = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return {"type": self.type, "category": self.category, **data}


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Wording):  # the system's words, published in the source language
        return english(value)
    return value


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]
_handlers: dict[type[DomainEvent], list[Handler]] = {}
_every: list[Handler] = []


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """React to every event of `event_type` (call once per handler, from `AppConfig.ready`)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def subscribe_all(handler: Callable[[DomainEvent], None]) -> None:
    """Receive every event, after its own handlers (the API's outbox: one row per event, same transaction)."""
    if handler not in _every:
        _every.append(handler)


def handlers_of(event_type: type[DomainEvent]) -> list[Handler]:
    return [*_handlers.get(event_type, []), *_every]


def emit(event: DomainEvent) -> None:
    """Run the handlers of the event in the caller's transaction (refused outside one)."""
    if not in_callers_transaction():
        raise EventOutsideTransaction(f"{event.type} must be emitted inside the transaction of the change")
    for handler in handlers_of(type(event)):
        handler(event)
