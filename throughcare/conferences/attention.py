"""What conferences put in Needs attention: invitations, actions owned and requests waiting for a decision.
(The case conferences a profile requires during supervision join custody's dates: the workspace lists
them.) Contributed in `ConferencesConfig.ready`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.cases.contributions import AttentionItem, contribute_attention
from throughcare.cases.models import Case
from throughcare.conferences.models import Action, Conference, RiskRequest
from throughcare.sharing.access import viewer_for

GROUP = "Conferences"


def conference_items(user: User, cases: QuerySet[Case], today: date, scope: str) -> list[AttentionItem]:
    return (
        _invitations(user, today)
        + _actions(user, today, scope)
        + _requests(user, led(user, cases, scope), today)
    )


def contribute() -> None:
    contribute_attention(GROUP, 40, conference_items)


def led(user: User, cases: QuerySet[Case], scope: str) -> QuerySet[Case]:
    """Requests and required conferences are the lead's to arrange (a manager sees their agencies')."""
    if scope != "mine" and viewer_for(user).managed:
        return cases
    return cases.filter(team__user=user, team__responsibility="lead", team__ended_at__isnull=True)


def _invitations(user: User, today: date) -> list[AttentionItem]:
    viewer = viewer_for(user)
    upcoming = (
        Conference.objects.filter(status=Conference.Status.SCHEDULED, held_on__gte=today)
        .filter(
            Q(chair=user)
            | Q(invitations__user=user)
            | Q(invitations__user__isnull=True, invitations__agency__in=list(viewer.managed))
        )
        .distinct()
        .select_related("chair")
    )
    return [
        AttentionItem(
            None,
            f"{c.get_kind_display()}: {'you chair it' if c.chair_id == user.pk else f'invited by {c.chair}'}",
            c.held_on,
            False,
            "",
            reverse("conferences:detail", args=[c.pk]),
        )
        for c in upcoming
    ]


def _actions(user: User, today: date, scope: str) -> list[AttentionItem]:
    actions = Action.objects.filter(done_at__isnull=True, due_on__lte=today + timedelta(days=14))
    if scope == "mine" or not viewer_for(user).managed:
        actions = actions.filter(owner=user)
    else:
        actions = actions.filter(owner__memberships__agency__in=list(viewer_for(user).managed)).distinct()
    return [
        AttentionItem(
            None,
            f"Conference action — {a.owner}: {a.description}"
            + (" (escalated to managers)" if a.escalated_at else ""),
            a.due_on,
            a.due_on < today,
            "",
            reverse("conferences:detail", args=[a.item.conference_id]),
        )
        for a in actions.select_related("owner", "item")
    ]


def _requests(user: User, cases: QuerySet[Case], today: date) -> list[AttentionItem]:
    on_agenda = RiskRequest.agenda_items.through.objects.filter(riskrequest=OuterRef("pk"))
    pending = (
        RiskRequest.objects.visible_to(user)
        .filter(case__in=cases, outcome=RiskRequest.Outcome.PENDING)
        .annotate(on_agenda=Exists(on_agenda))
        .select_related("case")
    )
    return [
        AttentionItem(
            r.case,
            f"{r.get_kind_display()} request waiting for a decision"
            + (" (on a conference agenda)" if r.on_agenda else ""),
            r.starts_on,
            bool(r.starts_on and r.starts_on <= today),
            "",
            reverse("conferences:requests", args=[r.case_id]),
        )
        for r in pending
    ]
