"""A practitioner's work through the API: Needs attention, and the conferences they chair or are invited
to, each agenda item read as far as the reader's own standing goes (the conference page's reading)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router

from throughcare.api.cases import CHANNEL, caller
from throughcare.api.problems import Problem
from throughcare.api.schemas import AttentionFilters, AttentionOut, ConferenceDetail, ConferenceOut
from throughcare.conferences.access import conferences_for, get_conference_for_user
from throughcare.conferences.models import Conference
from throughcare.conferences.reading import ItemReading, agenda, log_agenda_shown, read_item
from throughcare.sharing.access import viewer_for
from throughcare.workspace import attention
from throughcare.workspace.views import log_attention_shown

router = Router(tags=["work"])


@router.get("/me/attention", response=list[AttentionOut], summary="Needs attention")
def needs_attention(request: HttpRequest, filters: Query[AttentionFilters]) -> list[dict[str, Any]]:
    """What to act on, overdue first, as on the *Needs attention* page (`scope=agency`: a manager's
    agencies' cases)."""
    user = caller(request)
    today = timezone.localdate()
    scope = "agency" if filters.scope == "agency" and viewer_for(user).managed else "mine"
    items = attention.needs_attention(user, today, scope=scope)
    if filters.group:
        items = [item for item in items if item.group == filters.group]
    rows = attention.rows_for(user, items, today)
    log_attention_shown(request, rows, f"needs attention ({scope})", channel=CHANNEL)  # type: ignore[arg-type]
    return [
        {
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
        for row in rows
    ]


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
    readings = [read_item(user, item, cleared=standing.cleared) for item in items]
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
