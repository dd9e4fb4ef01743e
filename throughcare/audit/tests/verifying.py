"""Running `audit_verify` in a test: its report, or the reason it refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from throughcare.audit.log import record_consultation
from throughcare.cases.models import Case
from throughcare.test import Cast


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def broken(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    return str(failure.value)


def show_caseload(cast: Cast, other: Case) -> None:
    """The lead's caseload shown, naming the cast's case and another: one consultation about two cases."""
    record_consultation(
        by=cast.lead,
        agency=cast.probation,
        object_type="people.person",
        shown={cast.case.pk: [1], other.pk: [2]},
        justification="caseload: lead",
        channel="caseload",
    )
