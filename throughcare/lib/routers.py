"""Past one machine: read-only work on a streaming replica, everything else on the primary.

With `REPLICA_DATABASE_URL` set, a second alias `replica` exists. Reads made inside `read_from_replica()`
(or a view decorated with `replica_reads`) go to it: statistics, reports, who accessed a case, exports —
work that reads what was committed before it started and writes nothing but its own audit event. Every
write, and every read outside such a block (the gate deciding on a case a user is changing, a form showing
what was just saved), goes to the primary. Without a replica every read goes to the primary: the block
changes nothing. docs/operations.md ("Past one machine") says how to deploy it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("read_from_replica", default=False)


@contextmanager
def read_from_replica() -> Iterator[None]:
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """A read-only view: its reads from the replica (when there is one)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with read_from_replica():
            return view(*args, **kwargs)

    wrapped.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapped


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return REPLICA if _on_replica.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # a replica follows the primary's schema by streaming
