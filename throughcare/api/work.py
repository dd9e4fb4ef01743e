"""A practitioner's work through the API: Needs attention, and the conferences they chair or are invited
to, each agenda item read as far as the reader's own standing goes (the conference page's reading)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router

from throughcare.api import paging
from throughcare.api.cases import CHANNEL, caller
from throughcare.api.problems import Problem
from throughcare.api.schemas import AttentionFilters, AttentionList, ConferenceDetail, ConferenceOut
from throughcare.conferences.access import conferences_for, get_conference_for_user
from throughcare.conferences.models import Conference
from throughcare.conferences.reading import ItemReading, agenda, log_agenda_shown, read_items
from throughcare.sharing.access import viewer_for
from throughcare.workspace import attention
from throughcare.workspace.views import log_attention_shown

router = Router(tags=["work"])


@router.get("/me/attention", response=AttentionList, summary="Needs attention")
def needs_attention(request: HttpRequest, filters: Query[AttentionFilters]) -> dict[str, Any]:
    """What to act on, overdue first, as on the *Needs attention* page (`scope=agency`: a manager's
    agencies' cases), a page at a time with the counts under each heading. The list is the day's: an item
    done meanwhile leaves it, so a later page may start further on than the one before ended."""
    user = caller(request)
    today = timezone.localdate()
    scope = "agency" if filters.scope == "agency" and viewer_for(user).managed else "mine"
    number = _page_number(filters.cursor)
    size = paging.limit_or_default(filters.limit)
    shown = attention.listing(user, today, scope, filters.group or "", number, size)
    asked_for_none = filters.group is not None and filters.group not in attention.group_titles()
    past_the_end = shown.page.number != number  # the list grew shorter since the cursor was given
    items = [] if asked_for_none or past_the_end else shown.items
    rows = attention.rows_for(user, items, today)
    log_attention_shown(request, rows, f"needs attention ({scope})", channel=CHANNEL)  # type: ignore[arg-type]
    more = bool(items) and shown.page.has_next()
    return {
        "items": [_attention(row) for row in rows],
        "next_cursor": paging.encode(number + 1) if more else None,
        "total": shown.total,
        "overdue": shown.overdue,
        "counts": [{"group": group, "count": n} for group, n in shown.counts],
    }


def _page_number(cursor: str | None) -> int:
    if not cursor:
        return 1
    (number,) = paging.decode(cursor, 1)
    if not isinstance(number, int) or isinstance(number, bool) or not 1 < number < 10**6:
        raise Problem(400, gettext("The cursor is not one this API gave; start again without it"))
    return number


def _attention(row: attention.Row) -> dict[str, Any]:
    return {
        "text": str(row.item.text),
        "group": row.item.group,
        "due_on": row.item.due_on,
        "overdue": row.item.overdue,
        "when": row.when,
        "case_id": row.item.case.pk if row.item.case else None,
        "case_reference": row.reference,
        "person": row.person,
        "owner": str(row.owner) if row.owner else None,
        "link": row.link,
    }


def _conference(conference: Conference) -> dict[str, Any]:
    return {
        "id": conference.pk,
        "kind": conference.kind,
        "title": str(conference),
        "held_on": conference.held_on,
        "starts_at": conference.starts_at,
        "place": conference.place,
        "status": conference.status,
        "chair": str(conference.chair),
        "minutes_approved_at": conference.minutes_approved_at,
    }


@router.get("/conferences", response=list[ConferenceOut], summary="Your conferences")
def conferences(request: HttpRequest) -> list[dict[str, Any]]:
    """Those you chair, are invited to (by name or through your agency) or attended; latest first."""
    rows = conferences_for(caller(request)).select_related("chair").order_by("-held_on", "-pk")[:200]
    return [_conference(c) for c in rows]


@router.get(
    "/conferences/{conference_id}", response=ConferenceDetail, summary="A conference and its decisions"
)
def conference(request: HttpRequest, conference_id: int) -> dict[str, Any]:
    """Its agenda, each case read as far as your own standing on it goes: decisions, actions and requests
    in the risk category only for those who hold it (what is left out is said, without its content)."""
    if not 0 < conference_id < 2**63:
        raise Problem(404, gettext("There is nothing here that you may see"))
    user = caller(request)
    found, standing = get_conference_for_user(user, conference_id)
    items = agenda(found)
    readings = read_items(user, items, cleared=standing.cleared)
    log_agenda_shown(user, standing.agency, found, items, channel=CHANNEL)
    return _conference(found) | {"agenda": [_item(reading) for reading in readings]}


def _item(reading: ItemReading) -> dict[str, Any]:
    return {
        "case_id": reading.item.case_id,
        "title": reading.title,
        "decisions": [
            {
                "decision": d.decision,
                "rationale": d.rationale,
                "outcome": d.outcome,
                "conditions": d.conditions,
                "decided_at": d.decided_at,
                "triggers_plan_review": d.triggers_plan_review,
            }
            for d in reading.decisions
        ],
        "actions": [
            {"description": a.description, "owner": str(a.owner), "due_on": a.due_on, "done": bool(a.done_at)}
            for a in reading.actions
        ],
        "withheld": reading.withheld,
    }
