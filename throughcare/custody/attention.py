"""What needs attention: the deadlines of custody-to-community continuity, for a worker or a manager.

Everything starts from the cases the gate lets the user see; a worker sees their own cases, a manager the
cases of the agencies they manage. Each item links to its case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.cases.access import viewer_for
from throughcare.cases.models import Case, CaseTeamMember, Phase, PhaseChange
from throughcare.conferences.models import AgendaItem, ConferenceKind
from throughcare.custody.models import (
    CaseCondition,
    ComplianceEvent,
    ConditionStatus,
    Handover,
    HandoverItem,
    HandoverState,
    NotificationDue,
    Offence,
    Sentence,
)
from throughcare.lib.dates import working_days_before

RELEASE_HORIZON_DAYS = 30


@dataclass(frozen=True)
class Item:
    case: Case | None  # None: not about one case (e.g. an invitation to a conference)
    text: str
    due_on: date | None
    overdue: bool
    anchor: str = ""
    url: str = ""  # where to act on it, when that is not the case page
    group: str = ""  # one of GROUPS

    @property
    def sort_key(self) -> tuple[int, date]:
        return (0 if self.overdue else 1, self.due_on or date.max)


def cases_for(user: User, *, scope: str) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user).exclude(phase=Phase.CLOSED)
    if scope == "mine" or not viewer_for(user).managed:
        mine = CaseTeamMember.objects.active().filter(case=OuterRef("pk"), user=user)
        cases = cases.filter(Exists(mine))
    return cases.select_related("person")


GROUPS = ["Custody and release", "Risk", "Rehabilitation", "Conferences"]


def needs_attention(user: User, today: date, *, scope: str = "mine") -> list[Item]:
    """Everything due or overdue for the user (or their agencies), overdue first, each in its group."""
    cases = cases_for(user, scope=scope)
    groups = {
        "Custody and release": _handover_items(user, cases, today, scope)
        + _releases(user, cases, today)
        + _first_appointments(user, cases, today)
        + _breaches(user, cases)
        + _notifications(user, cases, today),
        "Risk": _information(user, cases, scope) + _reviews(user, cases, today),
        "Rehabilitation": _follow_ups(user, today, scope) + _closures(user, cases),
        "Conferences": _conference_items(user, cases, today, scope),
    }
    items = [replace(item, group=group) for group, made in groups.items() for item in made]
    return sorted(items, key=lambda item: item.sort_key)


def _handover_items(user: User, cases: QuerySet[Case], today: date, scope: str) -> list[Item]:
    items = (
        HandoverItem.objects.visible_to(user)
        .filter(
            handover__case__in=cases,
            handover__state__in=[HandoverState.CREATED, HandoverState.ACCEPTED],
            done_at__isnull=True,
            due_on__lte=today + timedelta(days=14),
        )
        .select_related("handover__case__person", "owner")
    )
    if scope == "mine":
        items = items.filter(Q(owner=user) | Q(owner__isnull=True))
    return [
        Item(
            i.handover.case,
            f"Handover: {i.title} — {i.owner or 'no owner'}"
            + (f" (escalated {i.escalated_at:%d %b})" if i.escalated_at else ""),
            i.due_on,
            i.due_on < today,
            "handover",
        )
        for i in items
    ]


def _releases(user: User, cases: QuerySet[Case], today: date) -> list[Item]:
    sentences = (
        Sentence.objects.visible_to(user)
        .filter(
            Q(conditional_release__range=(today, today + timedelta(days=RELEASE_HORIZON_DAYS)))
            | Q(
                conditional_release__isnull=True,
                earliest_release__range=(today, today + timedelta(days=RELEASE_HORIZON_DAYS)),
            ),
            case__in=cases.filter(phase__in=[Phase.CUSTODY, Phase.RELEASE_PLANNING]),
        )
        .select_related("case__person", "profile")
        .annotate(
            handover_done=Exists(
                Handover.objects.filter(case=OuterRef("case"), state=HandoverState.COMPLETED)
            ),
            licence_agreed=Exists(
                CaseCondition.objects.filter(case=OuterRef("case"), status=ConditionStatus.ORDERED)
            ),
            conference_held=Exists(
                AgendaItem.objects.filter(
                    case=OuterRef("case"),
                    conference__kind=ConferenceKind.RELEASE,
                    conference__status__in=["held", "approved"],
                )
            ),
            terrorism=Exists(
                Offence.objects.filter(
                    Q(terrorism_offence=True) | Q(terrorist_connection=True), case=OuterRef("case")
                )
            ),
        )
    )
    items: list[Item] = []
    for sentence in sentences:
        items += _release_items(sentence, today)
    return items


def _release_items(sentence: Sentence, today: date) -> list[Item]:
    case, release = sentence.case, sentence.release_date
    assert release is not None
    items = []
    flags = sentence.__dict__  # the annotations of _releases
    if not flags["handover_done"]:
        items.append(
            Item(case, f"Release on {release:%d %b %Y}: handover not completed", release, False, "handover")
        )
    if not flags["licence_agreed"]:
        profile = sentence.profile
        hard_stop = working_days_before(
            release,
            profile.licence_ready_working_days,
            country=profile.holiday_country,
            subdivision=profile.holiday_subdivision,
        )
        if today >= hard_stop:
            days = sentence.profile.licence_ready_working_days
            text = (
                f"Licence not ready {days} working days before release on {release:%d %b %Y}: "
                "prison staff must make it now"
            )
            items.append(Item(case, text, hard_stop, True, "sentence"))
        else:
            items.append(
                Item(
                    case,
                    f"Release on {release:%d %b %Y}: licence conditions not agreed",
                    hard_stop,
                    False,
                    "sentence",
                )
            )
    if (
        sentence.profile.requires_release_conference(sentence, terrorism=flags["terrorism"])
        and not flags["conference_held"]
    ):
        items.append(
            Item(
                case,
                f"Release on {release:%d %b %Y}: release conference required, not held",
                release,
                False,
                "release-conference",
            )
        )
    return items


def _first_appointments(user: User, cases: QuerySet[Case], today: date) -> list[Item]:
    """Released more than a day ago with no appointment kept since: the first 24 hours matter most."""
    released = PhaseChange.objects.filter(case=OuterRef("pk"), to_phase=Phase.COMMUNITY).order_by(
        "-changed_at"
    )
    kept = ComplianceEvent.objects.filter(
        case=OuterRef("pk"), kind=ComplianceEvent.Kind.KEPT, occurred_on__gte=OuterRef("released_on")
    )
    community = (
        Case.objects.holding(user, ComplianceEvent.data_category)
        .filter(pk__in=cases.values("pk"), phase=Phase.COMMUNITY)
        .annotate(released_on=TruncDate(Subquery(released.values("changed_at")[:1])))
        .filter(released_on__lt=today - timedelta(days=1))
        .annotate(kept=Exists(kept))
        .filter(kept=False)
    )
    return [_no_appointment(case, case.__dict__["released_on"]) for case in community]


def _no_appointment(case: Case, released_on: date) -> Item:
    return Item(
        case,
        f"No appointment kept since release on {released_on:%d %b %Y}",
        released_on + timedelta(days=1),
        True,
        "compliance",
    )


def _breaches(user: User, cases: QuerySet[Case]) -> list[Item]:
    breaches = (
        ComplianceEvent.objects.visible_to(user)
        .filter(case__in=cases, kind=ComplianceEvent.Kind.BREACH, decision__isnull=True)
        .select_related("case__person")
    )
    return [
        Item(
            b.case, f"Breach of {b.occurred_on:%d %b %Y} awaits a decision", b.occurred_on, True, "compliance"
        )
        for b in breaches
    ]


def _notifications(user: User, cases: QuerySet[Case], today: date) -> list[Item]:
    dues = (
        NotificationDue.objects.visible_to(user)
        .filter(requirement__case__in=cases, notified_on__isnull=True, due_on__lte=today + timedelta(days=7))
        .select_related("requirement__case")
    )
    return [
        Item(
            d.requirement.case,
            f"{d.get_kind_display()}"
            + (f" ({d.details})" if d.details else "")
            + (" — escalated to managers" if d.escalated_at else ""),
            d.due_on,
            d.due_on < today,
            "notifications",
        )
        for d in dues
    ]


def _information(user: User, cases: QuerySet[Case], scope: str) -> list[Item]:
    from django.utils import timezone

    from throughcare.risk.models import IncomingInformation

    waiting = (
        IncomingInformation.objects.visible_to(user)
        .filter(case__in=cases, acknowledged_at__isnull=True)
        .select_related("case", "routed_to")
    )
    if scope == "mine":
        waiting = waiting.filter(routed_to=user)
    now = timezone.now()
    return [
        Item(
            i.case,
            f"Information from {i.source} to acknowledge — {i.routed_to}"
            + (" (escalated to managers)" if i.escalated_at else ""),
            timezone.localdate(i.acknowledge_by),
            i.acknowledge_by < now,
            url=reverse("risk:information", args=[i.case_id]),
        )
        for i in waiting
    ]


def _reviews(user: User, cases: QuerySet[Case], today: date) -> list[Item]:
    from throughcare.risk.models import ReviewDue

    dues = (
        ReviewDue.objects.visible_to(user)
        .filter(case__in=cases, done_at__isnull=True, due_on__lte=today + timedelta(days=14))
        .select_related("case")
    )
    return [
        Item(
            d.case,
            f"{d.get_kind_display()} due ({d.get_reason_display().lower()})"
            + (f": {d.note}" if d.note else "")
            + (" — escalated to managers" if d.escalated_at else ""),
            d.due_on,
            d.due_on < today,
            url=reverse("risk:plan", args=[d.case_id]),
        )
        for d in dues
    ]


def _follow_ups(user: User, today: date, scope: str) -> list[Item]:
    """Check-ins after exit: the case is closed, so they are found by owner (or the owner's agencies)."""
    from throughcare.rehab.models import FollowUp

    dues = FollowUp.objects.visible_to(user).filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=14)
    )
    if scope == "mine" or not viewer_for(user).managed:
        dues = dues.filter(owner=user)
    else:
        dues = dues.filter(owner__memberships__agency__in=list(viewer_for(user).managed)).distinct()
    return [
        Item(
            f.case,
            f"Follow-up after exit — {f.owner}",
            f.due_on,
            f.due_on < today,
            url=_criteria_url(f.case_id),
        )
        for f in dues.select_related("case", "owner")
    ]


def _closures(user: User, cases: QuerySet[Case]) -> list[Item]:
    """Proposals to close a case that the user's agency has not signed off yet."""
    from throughcare.rehab.models import Closure

    places = CaseTeamMember.objects.active().filter(case=OuterRef("case"), user=user)
    proposals = (
        Closure.objects.visible_to(user)
        .filter(case__in=cases, closed_at__isnull=True, cancelled_at__isnull=True)
        .filter(Exists(places))
        .exclude(sign_offs__agency__in=CaseTeamMember.objects.active().filter(user=user).values("agency"))
        .select_related("case", "proposed_by")
    )
    return [
        Item(
            c.case,
            f"Closing proposed by {c.proposed_by} ({c.get_reason_display().lower()}): your agency's sign-off",
            None,
            False,
            url=_criteria_url(c.case_id),
        )
        for c in proposals
    ]


def _criteria_url(case_id: int) -> str:
    return reverse("rehab:criteria", args=[case_id]) + "#closure"


def _conference_items(user: User, cases: QuerySet[Case], today: date, scope: str) -> list[Item]:
    from throughcare.conferences.attention import conference_items

    return [Item(*fields) for fields in conference_items(user, cases, today, scope)]
