"""Home: where each person's day starts, chosen by their memberships.

A practitioner sees today's and this week's deadlines across their cases, then their caseload; a manager
their agencies' overdue work by officer and by kind, with its course over the last weeks; a panel chair
their conferences and the requests waiting for a decision; the data protection officer break-glass
reviews, subject access requests against their time limit and recent erasures; an analyst the reference
data they work with; an administrator the administration. Someone with several memberships sees each part,
most pressing first. Every part reads case data through the gate, as the pages it links to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from throughcare.accounts.models import AgencyKind, Membership, Role, User
from throughcare.audit.log import record_consultation
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.contributions import LATER
from throughcare.cases.forms import can_open_cases
from throughcare.cases.models import DataCategory
from throughcare.cases.standing import Capability
from throughcare.conferences.access import conferences_for
from throughcare.conferences.models import Conference, RiskRequest
from throughcare.lib.http import AuthedRequest
from throughcare.outcomes.models import MeasureDefinition, Release, ReleaseStatus
from throughcare.rehab.models import Programme
from throughcare.rights.models import SubjectAccessRequest
from throughcare.risk.models import Instrument
from throughcare.sharing.access import has_capability, restricted_cases_for, viewer_for
from throughcare.sharing.models import BreakGlass, Mode
from throughcare.workspace import attention, deadlines, oversight
from throughcare.workspace.views import caseload_shown, log_attention_shown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PRACTITIONER, MANAGER, CHAIR, DPO, ANALYST, ADMIN = (
    "practitioner",
    "manager",
    "chair",
    "dpo",
    "analyst",
    "admin",
)
TITLES = {
    PRACTITIONER: gettext_lazy("Your cases"),
    MANAGER: gettext_lazy("Your agencies"),
    CHAIR: gettext_lazy("Your conferences"),
    DPO: gettext_lazy("Data protection"),
    ANALYST: gettext_lazy("Statistics and research"),
    ADMIN: gettext_lazy("Administration"),
}
CASELOAD_ON_HOME = 8


def home_kinds(user: User) -> list[str]:
    """The parts of the user's home, most pressing first, from their active memberships."""
    memberships = list(Membership.objects.filter(user=user, is_active=True))
    roles = {m.role for m in memberships}
    kinds = []
    if any(m.may_chair_conferences for m in memberships):
        kinds.append(CHAIR)
    if Role.MANAGER in roles:
        kinds.append(MANAGER)
    if Role.PRACTITIONER in roles:
        kinds.append(PRACTITIONER)
    if Role.AUDITOR in roles:
        kinds.append(DPO)
    if Role.ANALYST in roles:
        kinds.append(ANALYST)
    if Role.ADMIN in roles or user.is_staff:
        kinds.append(ADMIN)
    return kinds


@dataclass(frozen=True)
class Part:
    kind: str
    title: StrOrPromise
    template: str
    context: dict[str, Any]


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    kinds = home_kinds(request.user)
    builders = {
        PRACTITIONER: _practitioner,
        MANAGER: _manager,
        CHAIR: _chair,
        DPO: _dpo,
        ANALYST: _analyst,
        ADMIN: _admin,
    }
    parts = [
        Part(kind, TITLES[kind], f"workspace/home_{kind}.html", builders[kind](request, today))
        for kind in kinds
    ]
    return render(request, "workspace/home.html", {"parts": parts, "today": today})


def _practitioner(request: AuthedRequest, today: date) -> dict[str, Any]:
    """Today's and this week's deadlines across the user's cases, then the caseload by last activity."""
    soon = [
        item
        for item in attention.needs_attention(request.user, today, scope="mine")
        if item.when(today) != LATER
    ]
    rows = attention.rows_for(request.user, soon, today)
    log_attention_shown(request, rows, "home: my deadlines")
    cases, total = caseload_shown(request, CASELOAD_ON_HOME)
    return {
        "parts": attention.parts(rows),
        "cases": cases,
        "total_cases": total,
        "can_open_cases": can_open_cases(request.user),
        "restricted": list(restricted_cases_for(request.user)),
    }


def _manager(request: AuthedRequest, today: date) -> dict[str, Any]:
    """The agencies' overdue work, by officer and by kind, and how many items were overdue each week."""
    user = request.user
    # Counted where it is kept, never read whole: an agency's overdue work runs to thousands of items.
    overdue = attention.overdue(user, today, scope="agency")
    oldest = attention.rows_for(user, overdue.oldest, today)
    # Only the oldest are named on the page (the rest are counted): only they are consultations.
    log_attention_shown(request, oldest, "home: my agencies' overdue work")
    weeks = attention.overdue_weeks(user, today, kept_today=overdue.kept)
    return {
        "overdue": overdue.total,
        "by_owner": overdue.by_owner,
        "by_kind": overdue.by_kind,
        "oldest": oldest,
        "weeks": weeks,
        "chart": _bars(weeks),
    }


def _bars(weeks: list[deadlines.Week]) -> dict[str, Any]:
    """A small bar chart of the weekly counts, drawn as SVG (the figures are in a table beside it)."""
    width, height, top, bottom, left = 400, 160, 16, 28, 32
    highest = max([w.overdue for w in weeks] + [1])
    step = (width - left) / max(len(weeks), 1)
    plot = height - top - bottom
    bars = [
        {
            "x": round(left + i * step + step * 0.15, 1),
            "width": round(step * 0.7, 1),
            "y": round(top + plot - plot * w.overdue / highest, 1),
            "height": round(plot * w.overdue / highest, 1),
            "label_x": round(left + i * step + step / 2, 1),
            "week": w,
        }
        for i, w in enumerate(weeks)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "highest": highest,
        "base": top + plot,
        "left": left,
    }


def _chair(request: AuthedRequest, today: date) -> dict[str, Any]:
    """The conferences the user chairs (coming up, and held but with minutes to approve), and the
    risk-relevant requests on cases they see that still wait for a decision."""
    user = request.user
    chaired = Conference.objects.filter(chair=user).annotate(cases=Count("items")).order_by("held_on")
    upcoming = list(chaired.filter(status=Conference.Status.SCHEDULED, held_on__gte=today)[:10])
    to_approve = list(chaired.filter(status=Conference.Status.HELD))
    invited = list(
        conferences_for(user)
        .exclude(chair=user)
        .filter(status=Conference.Status.SCHEDULED, held_on__gte=today)
        .select_related("chair")
        .order_by("held_on")[:5]
    )
    on_agenda = RiskRequest.agenda_items.through.objects.filter(riskrequest=OuterRef("pk"))
    pending = list(
        RiskRequest.objects.visible_to(user)
        .filter(outcome=RiskRequest.Outcome.PENDING)
        .annotate(on_agenda=Exists(on_agenda))
        .select_related("case")
        .order_by("starts_on", "pk")[:20]
    )
    named = attention.names_shown(user, {r.case_id for r in pending})
    _log_requests_shown(request, pending, named)
    return {
        "upcoming": upcoming,
        "to_approve": to_approve,
        "invited": invited,
        "requests": [(r, named.get(r.case_id, "")) for r in pending],
    }


def _log_requests_shown(request: AuthedRequest, pending: list[RiskRequest], named: dict[int, str]) -> None:
    """The requests listed, and the people named beside them: consultations."""
    agency = viewer_for(request.user).primary_agency
    by_case: dict[int, list[int]] = {}
    for r in pending:
        by_case.setdefault(r.case_id, []).append(r.pk)
    people = {r.case_id: [r.case.person_id] for r in pending if r.case_id in named}
    for object_type, shown in [("conferences.riskrequest", by_case), ("people.person", people)]:
        record_consultation(
            by=request.user,
            agency=agency,
            object_type=object_type,
            shown=shown,
            justification="home: requests waiting for a decision",
            channel="home",
        )


def _dpo(request: AuthedRequest, today: date) -> dict[str, Any]:
    """Break-glass accesses to review, subject access requests against their time limit, recent erasures."""
    reviews = list(
        BreakGlass.objects.filter(reviewed_at__isnull=True).select_related("user", "agency", "case")[:20]
    )
    # The answer is due a fixed time after receipt: the oldest first is the most urgent first.
    open_requests = (
        SubjectAccessRequest.objects.filter(answered_at__isnull=True)
        .select_related("person")
        .order_by("received_on", "pk")
    )
    since = timezone.now() - timedelta(days=90)
    erasures = list(
        AuditEvent.objects.filter(operation=Operation.ERASURE, occurred_at__gte=since)
        .select_related("actor")
        .order_by("-occurred_at")[:10]
    )
    awaiting = Release.objects.filter(status=ReleaseStatus.AWAITING_APPROVAL).exclude(
        prepared_by=request.user
    )
    return {
        "releases_awaiting": list(awaiting.select_related("prepared_by")) if _publishes(request) else [],
        "reviews": reviews,
        "requests": [(r, r.answer_due_on, r.answer_due_on < today) for r in open_requests],
        "erasures": erasures,
        "months": settings.SUBJECT_ACCESS_MONTHS,
        "locked_out": oversight.locked_out().count(),
        "clearance_asked": Membership.objects.filter(clearance_asked_by__isnull=False).count(),
    }


def _publishes(request: AuthedRequest) -> bool:
    return has_capability(request.user, Capability.PUBLISH_STATISTICS)


def _analyst(request: AuthedRequest, today: date) -> dict[str, Any]:
    """An analyst's statistics work — releases by status, the measures defined — and, with no case data,
    the reference data that defines what the cases record: the programme catalogue, the risk instruments,
    and which kinds of agency may hold which categories of data."""
    programmes = (
        Programme.objects.filter(is_active=True).values("audience").annotate(n=Count("pk")).order_by("-n")
    )
    audiences = dict(Programme.Audience.choices)
    modes = dict(Mode.choices)
    rules = viewer_for(request.user).rules  # agency kind → category → mode, as the gate reads them
    categories = DataCategory.choices
    return {
        "releases": list(Release.objects.select_related("approved_by").order_by("-prepared_at")[:5]),
        "measure_count": MeasureDefinition.objects.count(),
        "programmes": [(audiences.get(p["audience"], p["audience"]), p["n"]) for p in programmes],
        "programme_count": sum(p["n"] for p in programmes),
        "instruments": list(Instrument.objects.order_by("name")),
        "categories": categories,
        "rules": [  # each mode named in the reader's language ("Only with the person's consent")
            (label, [modes[rules.get(kind, {}).get(value, Mode.NEVER)] for value, _ in categories])
            for kind, label in AgencyKind.choices
            if kind in rules
        ],
    }


def _admin(request: AuthedRequest, today: date) -> dict[str, Any]:
    """The administration's entry points (the screens themselves are Django's admin, audited)."""
    return {}
