"""Minutes produced from the record of the meeting — never typed separately — for one reader.

Restricted sections (each item's restricted notes, restricted addenda) are included only for a reader who
is cleared; a circulated copy includes them only if its recipient was cleared when it was sent and still
is. Everything else is what the attendees heard at the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from throughcare.accounts.models import User
from throughcare.cases.access import viewer_for
from throughcare.conferences.models import Addendum, Conference, MinutesCopy


@dataclass(frozen=True)
class Minutes:
    conference: Conference
    with_restricted: bool
    items: list[dict[str, Any]]
    attendance: list[Any]
    addenda: list[Addendum]
    copy: MinutesCopy | None


def for_reader(conference: Conference, reader: User) -> Minutes | None:
    """The minutes this reader may have: the chair's working copy, or the copy circulated to them."""
    cleared_now = viewer_for(reader).cleared
    copy = MinutesCopy.objects.filter(conference=conference, recipient=reader).first()
    if conference.chair_id == reader.pk:
        restricted = cleared_now
    elif copy is not None:
        restricted = copy.with_restricted and cleared_now
    else:
        return None
    items = [
        {
            "item": item,
            "restricted": item.restricted if restricted else "",
            "decisions": list(item.decisions.all()),
            "actions": list(item.actions.all()),
        }
        for item in conference.items.select_related("case__person")
        .prefetch_related("decisions__decided_by", "decisions__request", "actions__owner")
        .order_by("order", "pk")
    ]
    addenda = [a for a in conference.addenda.select_related("written_by") if restricted or not a.restricted]
    return Minutes(
        conference=conference,
        with_restricted=restricted,
        items=items,
        attendance=list(conference.attendance.select_related("agency", "user")),
        addenda=addenda,
        copy=copy,
    )
