"""How need-to-know sharing reacts to what other capabilities record (subscribed in `SharingConfig.ready`)."""

from __future__ import annotations

from throughcare.accounts.models import User
from throughcare.cases.events import IntelligenceRecorded
from throughcare.cases.models import Case
from throughcare.lib.events import subscribe
from throughcare.sharing.actions import flag_intelligence


def raise_flag(event: IntelligenceRecorded) -> None:
    """The first intelligence on a case raises the flag, with its author as accountable owner."""
    case = Case.objects.get(pk=event.case_id)
    if event.by_id is None or case.intelligence_flags.filter(closed_at__isnull=True).exists():
        return
    author = User.objects.get(pk=event.by_id)
    flag_intelligence(case, by=author, owner=author, since=event.at)


def register() -> None:
    subscribe(IntelligenceRecorded, raise_flag)
