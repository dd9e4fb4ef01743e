"""What conferences put in "needs attention": invitations, actions owned, requests waiting for a decision,
and the case conferences a profile requires during supervision."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.cases.access import viewer_for
from throughcare.cases.models import Case, Phase
from throughcare.conferences.models import Action, AgendaItem, Conference, RiskRequest

Fields = tuple[Case | None, str, date | None, bool, str, str]  # as custody.attention.Item


def conference_items(user: User, cases: QuerySet[Case], today: date, scope: str) -> list[Fields]:
    return (
        _invitations(user, today)
        + _actions(user, today, scope)
        + _requests(user, _led(user, cases, scope), today)
        + _required_conferences(user, _led(user, cases, scope), today)
    )


def _led(user: User, cases: QuerySet[Case], scope: str) -> QuerySet[Case]:
    """Requests and required conferences are the lead's to arrange (a manager sees their agencies')."""
    if scope != "mine" and viewer_for(user).managed:
        return cases
    return cases.filter(team__user=user, team__responsibility="lead", team__ended_at__isnull=True)


def _invitations(user: User, today: date) -> list[Fields]:
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
        (
            None,
            f"{c.get_kind_display()}: {'you chair it' if c.chair_id == user.pk else f'invited by {c.chair}'}",
            c.held_on,
            False,
            "",
            reverse("conferences:detail", args=[c.pk]),
        )
        for c in upcoming
    ]


def _actions(user: User, today: date, scope: str) -> list[Fields]:
    actions = Action.objects.filter(done_at__isnull=True, due_on__lte=today + timedelta(days=14))
    if scope == "mine" or not viewer_for(user).managed:
        actions = actions.filter(owner=user)
    else:
        actions = actions.filter(owner__memberships__agency__in=list(viewer_for(user).managed)).distinct()
    return [
        (
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


def _requests(user: User, cases: QuerySet[Case], today: date) -> list[Fields]:
    on_agenda = RiskRequest.agenda_items.through.objects.filter(riskrequest=OuterRef("pk"))
    pending = (
        RiskRequest.objects.visible_to(user)
        .filter(case__in=cases, outcome=RiskRequest.Outcome.PENDING)
        .annotate(on_agenda=Exists(on_agenda))
        .select_related("case")
    )
    return [
        (
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


def _required_conferences(user: User, cases: QuerySet[Case], today: date) -> list[Fields]:
    """Terrorism cases under supervision need a number of case conferences (profile data), spread over
    the licence: the k-th of n is due k/(n+1) of the way through it (a year if its end is unknown).
    One query: terrorism and the conferences held since release are annotated."""
    from throughcare.custody.models import Offence, Sentence

    release = Coalesce("conditional_release", "earliest_release")
    held = (
        AgendaItem.objects.filter(
            case=OuterRef("case"),
            conference__status__in=["held", "approved"],
            conference__held_on__gte=OuterRef("released"),
        )
        .exclude(conference__kind="release")
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    terrorism = Offence.objects.filter(
        Q(terrorism_offence=True) | Q(terrorist_connection=True), case=OuterRef("case")
    )
    sentences = (
        Sentence.objects.visible_to(user)
        .filter(case__in=cases.filter(phase=Phase.COMMUNITY), profile__conferences_per_supervision__gt=0)
        .annotate(released=release)
        .filter(Exists(terrorism), released__lte=today)
        .annotate(held=Coalesce(Subquery(held), 0))
        .select_related("case", "profile")
    )
    return [due for sentence in sentences if (due := _next_required(sentence, today)) is not None]


def _next_required(sentence: Any, today: date) -> Fields | None:
    required, held, released = sentence.profile.conferences_per_supervision, sentence.held, sentence.released
    if held >= required:
        return None
    end = sentence.licence_end or released + timedelta(days=365)
    if today > end:
        return None  # the supervision period is over: what was missed is history, not a task
    due = released + (end - released) * (held + 1) / (required + 1)
    if due > today + timedelta(days=30):
        return None
    return (
        sentence.case,
        f"Case conference {held + 1} of {required} in this supervision period",
        due,
        due < today,
        "",
        reverse("conferences:requests", args=[sentence.case_id]) + "#conferences",
    )
