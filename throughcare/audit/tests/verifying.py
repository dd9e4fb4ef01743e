"""Running `audit_verify` in a test: its report, or the reason it refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def broken(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    return str(failure.value)
