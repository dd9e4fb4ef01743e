"""Whether code runs inside the transaction of the action that called it."""

from __future__ import annotations

from django.db import transaction


def in_callers_transaction() -> bool:
    """Whether the caller opened a transaction (the test framework's own wrapping does not count)."""
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
