"""The caller's own lists: notifications (only those naming a case while the caller still holds its
category — the gate's `notifications_for`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from throughcare.api import paging
from throughcare.api.schemas import NotificationFilters, NotificationList
from throughcare.sharing.access import notifications_for

router = Router(tags=["me"])


@router.get("/notifications", response=NotificationList, summary="Your notifications")
def notifications(
    request: HttpRequest,
    filters: Query[NotificationFilters],
) -> dict[str, Any]:
    """Newest first. A notification says what happened and where to look, never case content."""
    rows = notifications_for(request.user)  # type: ignore[arg-type]
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    page, next_cursor = paging.newest_first(rows, "created_at", filters.cursor, filters.limit)
    items = [
        {
            "id": n.pk,
            "subject": str(n.subject),
            "body": str(n.body),
            "url": n.url,
            "case_id": n.case_id,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in page
    ]
    return {"items": items, "next_cursor": next_cursor}
