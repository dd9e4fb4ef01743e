"""Conference pages: the list, scheduling, the meeting (agenda, attendance, decisions, actions, minutes),
the minutes as each reader may have them, and a case's risk-relevant requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record_consultation
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case, DataCategory, Phase
from throughcare.conferences import meetings, minutes
from throughcare.conferences.access import conferences_for, get_conference_for_user
from throughcare.conferences.actions import HELD_STATUSES
from throughcare.conferences.forms import DelegateDecisionForm, RequestForm
from throughcare.conferences.models import (
    Action,
    AgendaItem,
    Attendance,
    Conference,
    ConferenceKind,
    RiskRequest,
)
from throughcare.conferences.reading import read_item
from throughcare.lib.dates import parse_optional_date
from throughcare.lib.forms import attempt, submit
from throughcare.lib.http import AuthedRequest, posted_id
from throughcare.sharing.access import (
    Capability,
    get_case_for_user,
    has_capability,
    record_case_read,
    standing_on_case,
)

# The list and scheduling ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def conference_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        made: list[Conference] = []

        def schedule() -> None:
            starts = time.fromisoformat(post["starts_at"]) if post.get("starts_at") else None
            made.append(
                meetings.schedule(
                    by=request.user,
                    kind=post.get("kind", ""),
                    held_on=parse_optional_date(post.get("held_on", ""), "date of the meeting"),
                    starts_at=starts,
                    place=post.get("place", ""),
                )
            )

        try:
            if attempt(request, schedule, "Conference scheduled. Build its agenda and invite the agencies."):
                return redirect("conferences:detail", conference_id=made[0].pk)
        except ValueError:
            messages.error(request, "Enter the time as hours and minutes, e.g. 10:00. Nothing was saved.")
    mine = conferences_for(request.user).select_related("chair").order_by("-held_on")
    today = timezone.localdate()
    context = {
        "upcoming": [c for c in mine if c.held_on >= today and c.status == Conference.Status.SCHEDULED],
        "past": [c for c in mine if not (c.held_on >= today and c.status == Conference.Status.SCHEDULED)],
        "kinds": ConferenceKind.choices,
        "today": today,
        "may_chair": has_capability(request.user, Capability.CHAIR_CONFERENCES),
    }
    return render(request, "conferences/list.html", context)


# The meeting --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def detail(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    if request.method == "POST":
        _post(request, conference)
        return redirect(
            reverse("conferences:detail", args=[conference.pk]) + f"#{request.POST.get('what', '')}"
        )
    items = list(
        conference.items.select_related("case__person")
        .prefetch_related("decisions__decided_by", "decisions__request", "actions__owner", "requests")
        .order_by("order", "pk")
    )
    views = [read_item(request.user, item, cleared=standing.cleared, with_pending=True) for item in items]
    record_consultation(  # every item shown: as part of the case, or as disclosed to this meeting
        by=request.user,
        agency=standing.agency,
        object_type="conferences.agendaitem",
        shown={item.case_id: [item.pk] for item in items},
        justification=f"conference attendee: {conference}",
        channel="conference",
    )
    context = {
        "conference": conference,
        "standing": standing,
        "items": views,
        "quorum": meetings.quorum(conference) if conference.status != Conference.Status.SCHEDULED else None,
        "invitations": list(conference.invitations.select_related("agency", "user")),
        "attendance_rows": _attendance_rows(conference),
        "attendance_statuses": Attendance.Status.choices,
        "agencies": Agency.objects.order_by("name"),
        "people": _people(conference),
        "chair_cases": _chair_cases(request.user, conference) if standing.is_chair else [],
        "outcomes": [c for c in RiskRequest.Outcome.choices if c[0] not in ("pending", "withdrawn")],
        "briefing_categories": [c for c in DataCategory.choices if c[0] != DataCategory.INTELLIGENCE],
        "my_actions": Action.objects.filter(
            item__conference=conference, owner=request.user, done_at__isnull=True
        ),
        "today": timezone.localdate(),
    }
    return render(request, "conferences/detail.html", context)


def _attendance_rows(conference: Conference) -> list[dict[str, Any]]:
    """One row per invited agency or person (and the chair), with the status recorded so far."""
    recorded = {(a.agency_id, a.user_id): a.status for a in conference.attendance.all()}
    rows: dict[tuple[int, int | None], dict[str, Any]] = {}
    chair_agency = conference.chair.primary_agency()
    if chair_agency:
        rows[(chair_agency.pk, conference.chair_id)] = {"agency": chair_agency, "user": conference.chair}
    for invitation in conference.invitations.select_related("agency", "user"):
        rows[(invitation.agency_id, invitation.user_id)] = {
            "agency": invitation.agency,
            "user": invitation.user,
        }
    return [
        row | {"key": f"{agency}-{user or 0}", "status": recorded.get((agency, user), "")}
        for (agency, user), row in rows.items()
    ]


def _people(conference: Conference) -> list[User]:
    """Who may own an action or be invited by name: the workers of invited agencies and the case teams."""
    agencies = list(conference.invitations.values_list("agency", flat=True))
    return list(
        User.objects.filter(
            Q(memberships__agency__in=agencies, memberships__is_active=True)
            | Q(case_places__case__agenda_items__conference=conference, case_places__ended_at__isnull=True)
            | Q(pk=conference.chair_id)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def _chair_cases(user: User, conference: Conference) -> list[Case]:
    on_agenda = conference.items.values("case")
    return list(
        Case.objects.visible_to(user)
        .exclude(phase=Phase.CLOSED)
        .exclude(pk__in=on_agenda)
        .select_related("person")
        .order_by("reference")[:200]
    )


def _post(request: AuthedRequest, conference: Conference) -> None:
    what = request.POST.get("what", "")
    handlers: dict[str, Callable[[AuthedRequest, Conference], tuple[Callable[[], Any], str]]] = {
        "agenda": _agenda,
        "invite": _invite,
        "briefing": _briefing,
        "request": _request_on_agenda,
        "attendance": _attendance,
        "decision": _decision,
        "action": _action,
        "done": _done,
        "minutes": _minutes,
        "restricted": _restricted,
        "approve": lambda r, c: (
            lambda: meetings.approve_minutes(c, by=r.user),
            "Minutes approved and locked.",
        ),
        "circulate": lambda r, c: (
            lambda: meetings.circulate(c, by=r.user),
            "Minutes circulated to the attendees.",
        ),
        "addendum": lambda r, c: (
            lambda: meetings.add_addendum(
                c, by=r.user, text=r.POST.get("text", ""), restricted=bool(r.POST.get("restricted"))
            ),
            "Addendum added to the approved minutes.",
        ),
    }
    if what not in handlers:
        raise Http404("No such form")
    attempt(request, *handlers[what](request, conference))


def _item(request: AuthedRequest, conference: Conference) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=posted_id(request, "item"), conference=conference)


def _agenda(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    def add() -> None:
        case = get_case_for_user(request.user, posted_id(request, "case"), category=None)
        meetings.add_case(conference, case, by=request.user)

    return add, "Case added to the agenda."


def _invite(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    post = request.POST
    agency = (
        Agency.objects.filter(pk=int(post["agency"])).first() if post.get("agency", "").isdigit() else None
    )
    person = User.objects.filter(pk=int(post["user"])).first() if post.get("user", "").isdigit() else None
    return (
        lambda: meetings.invite(conference, by=request.user, agency=agency, user=person)
    ), "Invitation sent."


def _briefing(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    item = _item(request, conference)
    return (
        lambda: meetings.set_briefing(
            item,
            by=request.user,
            text=request.POST.get("briefing", ""),
            categories=request.POST.getlist("categories"),
            override_reason=request.POST.get("override_reason", ""),
        ),
        "Briefing saved: the attendees of this meeting can read it.",
    )


def _request_on_agenda(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    item = _item(request, conference)
    asked = get_object_or_404(RiskRequest, pk=posted_id(request, "request"), case=item.case)
    return (lambda: meetings.put_on_agenda(asked, item, by=request.user)), "Request put on the agenda."


def _attendance(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    entries = []
    for row in _attendance_rows(conference):
        status = request.POST.get(f"attendance-{row['key']}", "")
        if status:
            entries.append((row["agency"], row["user"], status))
    return (
        lambda: meetings.record_attendance(conference, by=request.user, entries=entries),
        "Attendance recorded: the meeting is held.",
    )


def _decision(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    post = request.POST
    item = _item(request, conference)
    asked = None
    if post.get("request"):
        asked = RiskRequest.objects.filter(pk=posted_id(request, "request")).first()
        if asked is None:
            raise Http404("No such request")
    data = meetings.DecisionInput(
        decision=post.get("decision", ""),
        rationale=post.get("rationale", ""),
        request=asked,
        outcome=post.get("outcome", ""),
        conditions=post.get("conditions", ""),
        triggers_plan_review=bool(post.get("triggers_plan_review")),
        condition_change=post.get("condition_change", ""),
    )
    return (lambda: meetings.decide(item, data, by=request.user)), "Decision recorded."


def _action(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    post = request.POST
    item = _item(request, conference)
    owner = User.objects.filter(pk=int(post["owner"])).first() if post.get("owner", "").isdigit() else None

    def add() -> None:
        due = parse_optional_date(post.get("due_on", ""), "deadline")
        meetings.add_action(
            item, by=request.user, description=post.get("description", ""), owner=owner, due_on=due
        )

    return add, "Action recorded; its owner has been told."


def _done(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    action = get_object_or_404(Action, pk=posted_id(request, "action"), item__conference=conference)
    return (
        lambda: meetings.complete_action(action, by=request.user, note=request.POST.get("note", ""))
    ), "Done."


def _minutes(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    item = _item(request, conference)
    post = request.POST
    return (
        lambda: meetings.write_minutes(
            item,
            by=request.user,
            discussion=post.get("discussion", ""),
            restricted=post.get("restricted", item.restricted),
            expected_version=int(post.get("version", "0")) if post.get("version", "").isdigit() else 0,
        ),
        "Minutes saved.",
    )


def _restricted(request: AuthedRequest, conference: Conference) -> tuple[Callable[[], Any], str]:
    item = _item(request, conference)
    version = request.POST.get("version", "")
    return (
        lambda: meetings.write_restricted(
            item,
            by=request.user,
            restricted=request.POST.get("restricted", ""),
            expected_version=int(version) if version.isdigit() else 0,
        ),
        "Restricted section saved: only cleared attendees will receive it.",
    )


@require_GET
def minutes_page(request: AuthedRequest, conference_id: int) -> HttpResponse:
    """The minutes as this reader may have them: printable."""
    conference, _ = get_conference_for_user(request.user, conference_id)
    record = minutes.for_reader(conference, request.user)
    if record is None:
        raise Http404("No minutes for you")
    record_consultation(
        by=request.user,
        agency=request.user.primary_agency(),
        object_type="conferences.agendaitem",
        shown={entry.item.case_id: [entry.item.pk] for entry in record.items},
        justification=f"minutes of the {conference}"
        + (" (with restricted sections)" if record.with_restricted else ""),
        channel="minutes",
    )
    return render(request, "conferences/minutes.html", {"minutes": record, "conference": conference})


# A case's risk-relevant requests ---------------------------------------------------------------------------


@require_GET
def case_requests(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.RISK)
    return _requests_page(request, case)


RECORDED = "Request recorded. It needs a decision at a conference or by a person with delegated authority."


@require_POST
def make_request(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.RISK)
    form = RequestForm(request.POST)
    return submit(
        request,
        form,
        lambda data: meetings.make_request(
            case,
            by=request.user,
            kind=data["kind"],
            details=data["details"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        ),
        done=RECORDED,
        then=reverse("conferences:requests", args=[case.pk]),
        again=lambda: _requests_page(request, case, request_form=form, status=400),
    )


@require_POST
def decide_request(request: AuthedRequest, case_id: int, request_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.RISK)
    pending = get_object_or_404(RiskRequest, pk=request_id, case=case)
    form = DelegateDecisionForm(request.POST, prefix=f"decide-{pending.pk}")
    return submit(
        request,
        form,
        lambda data: meetings.decide_by_delegate(
            pending,
            by=request.user,
            outcome=data["outcome"],
            conditions=data["conditions"],
            rationale=data["rationale"],
        ),
        done="Request decided under delegated authority.",
        then=reverse("conferences:requests", args=[case.pk]),
        again=lambda: _requests_page(request, case, decide_forms={pending.pk: form}, status=400),
    )


def _requests_page(
    request: AuthedRequest,
    case: Case,
    *,
    request_form: RequestForm | None = None,
    decide_forms: dict[int, DelegateDecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    standing = standing_on_case(request.user, case)
    decide_forms = decide_forms or {}
    asked = list(
        case.risk_requests.select_related("requested_by", "delegate").prefetch_related(
            "decisions__item__conference"
        )
    )
    for r in asked:
        r.decide_form = decide_forms.get(r.pk) or DelegateDecisionForm(prefix=f"decide-{r.pk}")
    record_case_read(
        request.user, case, "conferences.riskrequest", [r.pk for r in asked], channel="risk-relevant requests"
    )
    context = {
        "case": case,
        "standing": standing,
        "section": "conferences",
        "heading": "Conferences and requests",
        "conference_required": sentence_facts().release_conference_required_by(case),
        "conference_items": list(
            AgendaItem.objects.on_case_as(case, standing)
            .filter(conference__kind=ConferenceKind.RELEASE, conference__status__in=HELD_STATUSES)
            .select_related("conference__chair")
            .prefetch_related("decisions", "actions__owner")
        ),
        "requests": asked,
        "request_form": request_form or RequestForm(),
        "refused": request_form if request_form is not None else next(iter(decide_forms.values()), None),
        "delegated": has_capability(request.user, Capability.DECIDE_REQUESTS, case),
        "conferences": list(
            AgendaItem.objects.filter(case=case)
            .select_related("conference__chair")
            .order_by("-conference__held_on")
        ),
        "upcoming": list(
            conferences_for(request.user).filter(items__case=case, status=Conference.Status.SCHEDULED)
        ),
    }
    return render(request, "conferences/requests.html", context, status=status)
