"""Cases, their timelines and notes, search: the same gate, querysets and actions as the pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router

from throughcare.accounts.models import User
from throughcare.api import idempotency, paging
from throughcare.api.auth import require_write_scope
from throughcare.api.problems import Problem
from throughcare.api.schemas import (
    CaseDetail,
    CaseFilters,
    CaseList,
    Entry,
    EntryList,
    NoteIn,
    PhaseIn,
    SearchAnswer,
    SearchQuery,
    TimelineFilters,
)
from throughcare.cases import actions
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.cases.standing import Capability
from throughcare.sharing.access import (
    active_team,
    get_case_for_user,
    has_capability,
    record_case_read,
    standing_on_case,
)
from throughcare.workspace.case_page import log_timeline_entries
from throughcare.workspace.views import caseload_queryset, log_caseload_shown, search_cases

router = Router(tags=["cases"])
CHANNEL = "api"


def _person(case: Case, shows: bool) -> dict[str, Any] | None:
    if not shows:
        return None
    person = case.person
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "nationality": person.nationality,
    }


def _summary(case: Case, shows_identity: bool) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "phase": case.phase,
        "phase_label": case.get_phase_display(),
        "person": _person(case, shows_identity),
        "lead_agency": getattr(case, "lead_agency_name", None),
        "my_responsibility": getattr(case, "my_responsibility", None),
        "last_activity_at": case.last_activity_at,
        "url": reverse("cases:detail", args=[case.pk]),
    }


@router.get("/cases", response=CaseList, summary="Cases you may see")
def list_cases(
    request: HttpRequest,
    filters: Query[CaseFilters],
) -> dict[str, Any]:
    """The cases the gate lets you see (`scope=mine`: those whose team you are on), oldest first. A
    person's name is given only where you hold the identity category; listing it is logged."""
    rows = caseload_queryset(request, {"scope": filters.scope, "phase": filters.phase})  # type: ignore[arg-type]
    page, next_cursor = paging.by_pk(rows, filters.cursor, filters.limit)
    log_caseload_shown(request, page, channel=CHANNEL)  # type: ignore[arg-type]
    items = [_summary(case, bool(getattr(case, "shows_identity", False))) for case in page]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/cases/{case_id}", response=CaseDetail, summary="One case")
def case_detail(request: HttpRequest, response: HttpResponse, case_id: int) -> dict[str, Any]:
    """The case record every standing sees, the person where you hold identity, the team, and what of
    the case you may read. The `ETag` is the case's version."""
    case = open_case(request, case_id)
    standing = standing_on_case(request.user, case)  # type: ignore[arg-type]
    shows = standing.holds(DataCategory.IDENTITY)
    if shows:
        record_case_read(request.user, case, "people.person", [case.person_id], channel=CHANNEL)  # type: ignore[arg-type]
    response["ETag"] = etag(case)
    lead = next((p for p in active_team(case) if p.responsibility == "lead"), None)
    return _summary(case, shows) | {
        "lead_agency": lead.agency.label if lead else None,
        "my_responsibility": _my_place(case, request),
        "version": case.version,
        "next_phase": case.next_phase,
        "opened_at": case.opened_at,
        "team": [
            {
                "name": str(place.user),
                "agency": place.agency.label,
                "responsibility": place.responsibility,
                "function": place.function,
            }
            for place in active_team(case)
        ],
        "categories": sorted(standing.categories),
        "relation": str(standing.relation),
    }


def _my_place(case: Case, request: HttpRequest) -> str | None:
    return next((p.responsibility for p in active_team(case) if p.user_id == request.user.pk), None)


def open_case(
    request: HttpRequest, case_id: int, *, category: str | None = None, write: bool = False
) -> Case:
    """The case through the gate, naming the category about to be read: 404 like missing; 403 to a reader
    who may not change it (`write`)."""
    if not 0 < case_id < 2**63:
        raise Problem(404, gettext("There is nothing here that you may see"))
    try:
        return get_case_for_user(request.user, case_id, category=category, write=write)  # type: ignore[arg-type]
    except PermissionDenied as refusal:
        raise Problem(403, str(refusal) or gettext("You may read this case but not change it")) from refusal


def caller(request: HttpRequest) -> User:
    """Who is calling (the authentication let the call through, so a user)."""
    user = request.user
    assert isinstance(user, User)  # the API's authentication let the call through
    return user


def etag(case: Case) -> str:
    return f'"{case.version}"'


def _expected_version(request: HttpRequest) -> int:
    sent = request.headers.get("If-Match")
    if sent is None:
        raise Problem(
            428,
            gettext("Send the case's ETag in If-Match, so that a change made meanwhile is not overwritten"),
        )
    value = sent.strip().removeprefix("W/").strip('"')
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Problem(412, gettext("If-Match does not name a version of this case; read the case again"))
    return int(value)


@router.post(
    "/cases/{case_id}/phase",
    response={200: CaseDetail},
    summary="Move the case to its next phase",
)
def change_phase(request: HttpRequest, response: HttpResponse, case_id: int, move: PhaseIn) -> Any:
    """Only the case lead or a manager of the lead agency. `If-Match` must carry the ETag read last: a
    stale one answers 412 and changes nothing. The move's consequences follow as on the pages."""
    require_write_scope(request)
    case = open_case(request, case_id)
    expected = _expected_version(request)
    if not has_capability(request.user, Capability.CHANGE_PHASE, case):  # type: ignore[arg-type]
        raise Problem(
            403,
            gettext("Only the case lead or a manager of the lead agency can change the phase of this case"),
        )
    if expected != case.version:
        raise Problem(412, gettext("The case changed since you read it; read it again and send its new ETag"))
    if move.to_phase != case.next_phase or move.to_phase == Phase.CLOSED.value:
        detail = (
            gettext(
                "A case is closed from its closure page, once the criteria are met and the agencies "
                "signed off"
            )
            if move.to_phase == Phase.CLOSED.value
            else gettext("The case can only move to its next phase (%(phase)s)")
            % {"phase": case.get_next_phase_display() or gettext("none")}
        )
        raise Problem(422, detail, field="to_phase")
    actions.change_phase(
        case,
        by=caller(request),
        to_phase=move.to_phase,
        expected_version=expected,
        reason=move.reason,
    )
    return case_detail(request, response, case_id)


@router.get("/cases/{case_id}/timeline", response=EntryList, summary="The timeline of a case")
def timeline(
    request: HttpRequest,
    case_id: int,
    filters: Query[TimelineFilters],
) -> dict[str, Any]:
    """The entries in the categories you hold, newest first; each page you read is logged."""
    case = open_case(request, case_id)
    standing = standing_on_case(request.user, case)  # type: ignore[arg-type]
    entries = TimelineEntry.objects.on_case_as(case, standing).select_related("author", "author_agency")
    if filters.category:
        entries = entries.filter(category=filters.category)
    if filters.since:
        entries = entries.filter(occurred_at__gte=_start(filters.since))
    if filters.until:
        entries = entries.filter(occurred_at__lt=_start(filters.until) + timedelta(days=1))
    page, next_cursor = paging.newest_first(entries, "occurred_at", filters.cursor, filters.limit)
    log_timeline_entries(request.user, case, standing, page, channel=CHANNEL)  # type: ignore[arg-type]
    return {"items": [_entry(e) for e in page], "next_cursor": next_cursor}


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def _entry(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "category": entry.category,
        "nature": entry.nature,
        "body": str(entry.body),
        "occurred_at": entry.occurred_at,
        "recorded_at": entry.recorded_at,
        "author": str(entry.author),
        "author_agency": entry.author_agency.label if entry.author_agency else None,
    }


@router.post("/cases/{case_id}/notes", response={201: Entry}, summary="Add a note to the timeline")
def add_note(request: HttpRequest, response: HttpResponse, case_id: int, note: NoteIn) -> Any:
    """As the note form: a place on the case team holding the note's category. Send an `Idempotency-Key`
    so that a retry does not add the note twice."""
    require_write_scope(request)
    case = open_case(request, case_id, write=True)

    def run() -> tuple[dict[str, Any], str]:
        entry = actions.add_note(
            case,
            by=request.user,  # type: ignore[arg-type]
            body=note.body,
            category=note.category,
            nature=note.nature,
            occurred_at=actions.note_moment(note.occurred_on),
        )
        entry = TimelineEntry.objects.select_related("author", "author_agency").get(pk=entry.pk)
        body = _entry(entry)
        body["occurred_at"] = entry.occurred_at.isoformat()
        body["recorded_at"] = entry.recorded_at.isoformat()
        return body, reverse("api-1:timeline", args=[case.pk]) + f"#entry-{entry.pk}"

    return idempotency.create(request, response, run)


@router.get("/people", response=SearchAnswer, summary="Find a case by the person's name or an identifier")
def search(
    request: HttpRequest,
    query: Query[SearchQuery],
) -> dict[str, Any]:
    """As the search page: your own cases; others only when you give a reason, which is logged."""
    found = search_cases(request, query.q, query.reason.strip(), channel=CHANNEL)  # type: ignore[arg-type]
    items = [
        {
            "id": case.pk,
            "reference": case.reference,
            "person": _person(case, True),
            "mine": bool(getattr(case, "my_responsibility", None)),
            "url": reverse("cases:detail", args=[case.pk]),
        }
        for case in found["results"]
    ]
    return {"items": items, "hidden_count": found["hidden_count"]}
