"""Conference pages: the list, scheduling, the meeting (agenda, attendance, decisions, actions, minutes),
the minutes as each reader may have them, and a case's risk-relevant requests.

The meeting page shows every form; each verb has its own URL and form. Valid input goes back to the
meeting at the part it changed; a refusal shows the meeting again (400) with that form open, what was
typed kept and the error next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import Membership, User
from throughcare.audit.log import record as audit_record
from throughcare.audit.log import record_consultation
from throughcare.audit.models import Operation
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case, CaseTeamMember, DataCategory, Phase
from throughcare.conferences import meetings, minutes
from throughcare.conferences.access import ConferenceStanding, conferences_for, get_conference_for_user
from throughcare.conferences.actions import HELD_STATUSES
from throughcare.conferences.forms import (
    ActionForm,
    AddendumForm,
    AgendaForm,
    ApproveMinutesForm,
    AttendanceForm,
    BriefingForm,
    DecisionForm,
    DelegateDecisionForm,
    DoneForm,
    InviteForm,
    MinutesForm,
    PutOnAgendaForm,
    RequestForm,
    RestrictedForm,
    ScheduleForm,
)
from throughcare.conferences.models import (
    ActionItem,
    AgendaItem,
    Conference,
    ConferenceKind,
    RiskRequest,
)
from throughcare.conferences.reading import ItemReading, agenda, log_agenda_shown, read_items
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate
from throughcare.lib.pdf import pdf_response
from throughcare.lib.wording import english
from throughcare.sharing.access import (
    Capability,
    get_case_for_user,
    has_capability,
    record_case_read,
    standing_on_case,
)

# The list and scheduling ---------------------------------------------------------------------------------


@require_GET
def conference_list(request: AuthedRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
def schedule(request: AuthedRequest) -> HttpResponse:
    form = ScheduleForm(request.POST)
    made: list[Conference] = []
    return submit(
        request,
        form,
        lambda data: made.append(meetings.schedule(by=request.user, **data)),
        done=gettext("Conference scheduled. Build its agenda and invite the agencies."),
        then=lambda: reverse("conferences:detail", args=[made[0].pk]),
        again=lambda: _list_page(request, form, status=400),
    )


PAST_PAGE_SIZE = 25  # past conferences a page: a chair's history grows by fifty a year


def _list_page(request: AuthedRequest, form: ScheduleForm | None = None, status: int = 200) -> HttpResponse:
    mine = conferences_for(request.user).select_related("chair")
    today = timezone.localdate()
    coming = Q(held_on__gte=today, status=Conference.Status.SCHEDULED)
    past = paginate(mine.exclude(coming).order_by("-held_on", "-pk"), PAST_PAGE_SIZE, request.GET.get("page"))
    context = {
        "upcoming": list(mine.filter(coming).order_by("held_on", "pk")),
        "past": list(past.object_list),
        "page": past,
        "form": form or ScheduleForm(),
        "may_chair": has_capability(request.user, Capability.CHAIR_CONFERENCES),
    }
    return render(request, "conferences/list.html", context, status=status)


# The meeting --------------------------------------------------------------------------------------------


@require_GET
def detail(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    return _meeting_page(request, conference, standing)


Bound = dict[tuple[str, int | None], forms.Form]  # (verb, agenda item or None) → the refused form


def _meeting_page(
    request: AuthedRequest,
    conference: Conference,
    standing: ConferenceStanding,
    refused: Bound | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    items = agenda(conference)
    views = read_items(request.user, items, cleared=standing.cleared, with_pending=True)
    log_agenda_shown(request.user, standing.agency, conference, items, channel="conference")
    people = _people(conference)
    # Fetched once for every agenda item's action form: as many as a list offers, and one more to know
    # when to ask for a name instead.
    everyone = list(people[: settings.LONGEST_CHOICE_LIST + 1])
    rows = _attendance_rows(conference)

    def page_form(verb: str, make: Callable[[], forms.Form]) -> forms.Form:
        return refused.get((verb, None)) or make()

    context = {
        "conference": conference,
        "standing": standing,
        "items": [(view, _item_forms(view, standing, people, everyone, refused)) for view in views],
        "quorum": meetings.quorum(conference) if conference.status != Conference.Status.SCHEDULED else None,
        "invitations": list(conference.invitations.select_related("agency", "user")),
        "attendance_rows": rows,
        "invite_form": page_form(
            "invite", lambda: InviteForm(people=people, shown=everyone, auto_id="invite-%s")
        ),
        "agenda_form": page_form(
            "agenda",
            lambda: AgendaForm(
                cases=_chair_cases(request.user, conference) if standing.is_chair else Case.objects.none(),
                auto_id="agenda-%s",
            ),
        ),
        "attendance_form": page_form("attendance", lambda: AttendanceForm(rows=rows)),
        "addendum_form": page_form(
            "addendum", lambda: AddendumForm(cleared=standing.cleared, auto_id="addendum-%s")
        ),
        "refused": next(iter(refused.values()), None),
        "my_actions": ActionItem.objects.filter(
            item__conference=conference, owner=request.user, done_at__isnull=True
        ),
        "today": timezone.localdate(),
    }
    return render(request, "conferences/detail.html", context, status=status)


def _item_forms(
    view: ItemReading,
    standing: ConferenceStanding,
    people: QuerySet[User],
    everyone: list[User],
    refused: Bound,
) -> dict[str, forms.Form]:
    """The forms of one agenda item, each with its own ids on the page (their names stay plain). Their
    choices show rows already read for the page (the item's requests, the people), not fetched again."""
    item = view.item
    waiting = [r for r in view.requests if r.outcome == RiskRequest.Outcome.PENDING]
    pending = RiskRequest.objects.filter(pk__in=[r.pk for r in view.pending])
    on_agenda = RiskRequest.objects.filter(pk__in=[r.pk for r in waiting])
    made: dict[str, Callable[[str], forms.Form]] = {
        "briefing": lambda ids: BriefingForm(
            auto_id=ids,
            initial={
                "briefing": item.briefing,
                "categories": item.briefing_categories,
                "override_reason": item.briefing_override_reason,
            },
        ),
        "request": lambda ids: PutOnAgendaForm(pending=pending, shown=view.pending, auto_id=ids),
        "minutes": lambda ids: MinutesForm(
            cleared=standing.cleared,
            auto_id=ids,
            initial={"discussion": item.shared, "restricted": item.restricted},
        ),
        "restricted": lambda ids: RestrictedForm(auto_id=ids, initial={"restricted": item.restricted}),
        "decision": lambda ids: DecisionForm(requests=on_agenda, shown=waiting, auto_id=ids),
        "action": lambda ids: ActionForm(people=people, shown=everyone, auto_id=ids),
    }
    return {verb: refused.get((verb, item.pk)) or make(f"{verb}-{item.pk}-%s") for verb, make in made.items()}


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


def _people(conference: Conference) -> QuerySet[User]:
    """Who may own an action or be invited by name: the workers of invited agencies and the case teams."""
    # Each group as a list of user ids: joined to memberships and case places, every worker of an invited
    # agency was multiplied by their places and made distinct again (13 ms for a panel at 10k cases).
    agencies = list(conference.invitations.values_list("agency", flat=True))
    workers = Membership.objects.filter(agency__in=agencies, is_active=True).values("user")
    teams = CaseTeamMember.objects.filter(case__agenda_items__conference=conference, ended_at__isnull=True)
    return User.objects.filter(
        Q(pk__in=workers) | Q(pk__in=teams.values("user")) | Q(pk=conference.chair_id)
    ).order_by("last_name", "first_name")


def _chair_cases(user: User, conference: Conference) -> QuerySet[Case]:
    """The cases the chair may put on the agenda: open ones they see themselves, not on it yet."""
    return (
        Case.objects.visible_to(user)
        .exclude(phase=Phase.CLOSED)
        .exclude(pk__in=conference.items.values("case"))
        .select_related("person")
        .order_by("reference")
    )


def _verb(
    request: AuthedRequest,
    conference: Conference,
    standing: ConferenceStanding,
    key: tuple[str, int | None],
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str,
) -> HttpResponse:
    return submit(
        request,
        form,
        action,
        done=done,
        then=reverse("conferences:detail", args=[conference.pk]) + f"#{anchor}",
        again=lambda: _meeting_page(request, conference, standing, {key: form}, status=400),
    )


def _agenda_item(conference: Conference, agenda_item_id: int) -> AgendaItem:
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related("case"), pk=agenda_item_id, conference=conference
    )
    return item


@require_POST
def invite(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    form = InviteForm(request.POST, people=_people(conference), auto_id="invite-%s")
    return _verb(
        request,
        conference,
        standing,
        ("invite", None),
        form,
        lambda data: meetings.invite(conference, by=request.user, agency=data["agency"], user=data["user"]),
        "Invitation sent.",
        "invite",
    )


@require_POST
def add_to_agenda(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    form = AgendaForm(request.POST, cases=_chair_cases(request.user, conference), auto_id="agenda-%s")

    def add(data: dict[str, Any]) -> None:
        case = get_case_for_user(request.user, data["case"].pk, category=None)
        meetings.add_case(conference, case, by=request.user)

    return _verb(
        request, conference, standing, ("agenda", None), form, add, "Case added to the agenda.", "agenda"
    )


@require_POST
def write_briefing(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    form = BriefingForm(request.POST, auto_id=f"briefing-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("briefing", item.pk),
        form,
        lambda data: meetings.set_briefing(
            item,
            by=request.user,
            text=data["briefing"],
            categories=data["categories"],
            override_reason=data["override_reason"],
        ),
        "Briefing saved: the attendees of this meeting can read it.",
        f"item-{item.pk}",
    )


@require_POST
def put_request_on_agenda(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    pending = RiskRequest.objects.filter(case=item.case, outcome=RiskRequest.Outcome.PENDING)
    form = PutOnAgendaForm(request.POST, pending=pending, auto_id=f"request-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("request", item.pk),
        form,
        lambda data: meetings.put_on_agenda(data["request"], item, by=request.user),
        "Request put on the agenda.",
        f"item-{item.pk}",
    )


@require_POST
def record_attendance(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    form = AttendanceForm(request.POST, rows=_attendance_rows(conference))
    return _verb(
        request,
        conference,
        standing,
        ("attendance", None),
        form,
        lambda data: meetings.record_attendance(conference, by=request.user, entries=form.entries()),
        "Attendance recorded: the meeting is held.",
        "attendance",
    )


@require_POST
def record_decision(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    on_agenda = item.requests.filter(outcome=RiskRequest.Outcome.PENDING)
    form = DecisionForm(request.POST, requests=on_agenda, auto_id=f"decision-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("decision", item.pk),
        form,
        lambda data: meetings.decide(
            item,
            meetings.DecisionInput(
                decision=data["decision"],
                rationale=data["rationale"],
                request=data.get("request"),
                outcome=data.get("outcome", ""),
                conditions=data.get("conditions", ""),
                triggers_plan_review=data["triggers_plan_review"],
                condition_change=data["condition_change"],
            ),
            by=request.user,
        ),
        "Decision recorded.",
        f"item-{item.pk}",
    )


@require_POST
def record_action(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    form = ActionForm(request.POST, people=_people(conference), auto_id=f"action-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("action", item.pk),
        form,
        lambda data: meetings.add_action(
            item, by=request.user, description=data["description"], owner=data["owner"], due_on=data["due_on"]
        ),
        "Action recorded; its owner has been told.",
        f"item-{item.pk}",
    )


@require_POST
def complete_action(request: AuthedRequest, conference_id: int, action_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    action = get_object_or_404(ActionItem, pk=action_id, item__conference=conference)
    form = DoneForm(request.POST)
    return _verb(
        request,
        conference,
        standing,
        ("done", None),
        form,
        lambda data: meetings.complete_action(action, by=request.user, note=data["note"]),
        f"Action marked done: {action.description}",
        f"action-{action.pk}",
    )


@require_POST
def write_minutes(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    form = MinutesForm(request.POST, cleared=standing.cleared, auto_id=f"minutes-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("minutes", item.pk),
        form,
        lambda data: meetings.write_minutes(
            item,
            by=request.user,
            discussion=data["discussion"],
            restricted=data.get("restricted", item.restricted),
            expected_version=data["version"],
        ),
        "Minutes saved.",
        f"item-{item.pk}",
    )


@require_POST
def write_restricted(request: AuthedRequest, conference_id: int, agenda_item_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    item = _agenda_item(conference, agenda_item_id)
    form = RestrictedForm(request.POST, auto_id=f"restricted-{item.pk}-%s")
    return _verb(
        request,
        conference,
        standing,
        ("restricted", item.pk),
        form,
        lambda data: meetings.write_restricted(
            item, by=request.user, restricted=data["restricted"], expected_version=data["version"]
        ),
        "Restricted section saved: only cleared attendees will receive it.",
        f"item-{item.pk}",
    )


@require_http_methods(["GET", "POST"])
def approve_minutes(request: AuthedRequest, conference_id: int) -> HttpResponse:
    """Approving locks the minutes: a confirmation page first, which names the agenda items with nothing
    written about them (the chair confirms they were not discussed, or goes back and writes it)."""
    conference, standing = get_conference_for_user(request.user, conference_id)
    if not standing.is_chair:
        reason = gettext("Only the chair approves the minutes.")
        return render(request, "403.html", {"reason": reason}, status=403)
    items = list(conference.items.select_related("case").prefetch_related("decisions"))
    empty = [i.case.reference for i in items if not i.shared.strip() and not list(i.decisions.all())]
    back = reverse("conferences:detail", args=[conference.pk]) + "#approve"
    confirmation = Confirmation(
        title=gettext("Approve and lock the minutes?"),
        button=gettext("Approve the minutes"),
        action=reverse("conferences:approve_minutes", args=[conference.pk]),
        cancel=back,
        caption=str(conference),
        consequences=[
            ngettext(
                "The minutes of the %(count)s agenda item are locked: a correction is an addendum, "
                "shown beside "
                ""
                "them.",
                "The minutes of the %(count)s agenda items are locked: a correction is an addendum, "
                "shown beside "
                "them.",
                len(items),
            )
            % {"count": len(items)},
            gettext("You can then circulate them to the attendees."),
        ],
        warning=gettext("Nothing is written about %(cases)s.") % {"cases": ", ".join(empty)} if empty else "",
    )
    form = ApproveMinutesForm(posted(request), empty=empty)
    return confirmation.run(
        request,
        form,
        lambda data: meetings.approve_minutes(conference, by=request.user),
        done=gettext("Minutes approved and locked. Circulate them to the attendees when you are ready."),
        then=back,
    )


@require_POST
def circulate_minutes(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    return _verb(
        request,
        conference,
        standing,
        ("circulate", None),
        forms.Form(request.POST),
        lambda data: meetings.circulate(conference, by=request.user),
        "Minutes circulated to the attendees.",
        "approve",
    )


@require_POST
def add_addendum(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference, standing = get_conference_for_user(request.user, conference_id)
    form = AddendumForm(request.POST, cleared=standing.cleared, auto_id="addendum-%s")
    return _verb(
        request,
        conference,
        standing,
        ("addendum", None),
        form,
        lambda data: meetings.add_addendum(
            conference, by=request.user, text=data["text"], restricted=data.get("restricted", False)
        ),
        "Addendum added to the approved minutes.",
        "addendum",
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
        justification=f"minutes of the {english(conference)}"
        + (" (with restricted sections)" if record.with_restricted else ""),
        channel="minutes",
    )
    return render(request, "conferences/minutes.html", {"minutes": record, "conference": conference})


@require_GET
def minutes_pdf(request: AuthedRequest, conference_id: int) -> HttpResponse:
    """The reader's own copy of the minutes as a PDF: a disclosure to them of each case on the agenda."""
    conference, _ = get_conference_for_user(request.user, conference_id)
    record = minutes.for_reader(conference, request.user)
    if record is None:
        raise Http404("No minutes for you")
    with transaction.atomic():
        for entry in record.items:
            audit_record(
                Operation.DISCLOSURE,
                entry.item,
                by=request.user,
                agency=request.user.primary_agency(),
                case_id=entry.item.case_id,
                justification=f"minutes of the {english(conference)} as PDF",
                recipients=[str(request.user)],
                details={"document": "minutes", "with_restricted": record.with_restricted},
            )
    return pdf_response(
        request,
        title=gettext("Minutes: %(conference)s") % {"conference": conference},
        body="conferences/minutes.html#body",
        context={"minutes": record, "conference": conference},
        recipients=str(request.user),
        filename=f"minutes-{conference.pk}.pdf",
    )


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
        done=gettext("Request decided under delegated authority."),
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
        "heading": gettext("Conferences and requests"),
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
            AgendaItem.objects.on_case_as(case, standing)
            .select_related("conference__chair")
            .order_by("-conference__held_on")
        ),
    }
    return render(request, "conferences/requests.html", context, status=status)
