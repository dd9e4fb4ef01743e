"""Minutes produced from the record of the meeting — never typed separately — for one reader.

Each case on the agenda is read as the reader's own standing on that case allows (`reading.read_items`):
the same on the conference page. Restricted sections (each item's restricted notes, restricted addenda)
are included only for a reader who is cleared; a circulated copy includes them only if its recipient was
cleared when it was sent and still is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from throughcare.accounts.models import User
from throughcare.conferences.models import Addendum, Conference, MinutesCopy
from throughcare.conferences.reading import ItemReading, agenda, read_items
from throughcare.sharing.access import viewer_for


@dataclass(frozen=True)
class Minutes:
    conference: Conference
    with_restricted: bool
    items: list[ItemReading]
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
    items = read_items(reader, agenda(conference), cleared=restricted)
    addenda = [a for a in conference.addenda.select_related("written_by") if restricted or not a.restricted]
    return Minutes(
        conference=conference,
        with_restricted=restricted,
        items=items,
        attendance=list(conference.attendance.select_related("agency", "user")),
        addenda=addenda,
        copy=copy,
    )
