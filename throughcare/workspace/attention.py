"""Needs attention: everything due or overdue for a worker (their cases) or a manager (their agencies' cases).

Each capability contributes its items (`throughcare.cases.contributions`, filled at start-up); this module
chooses the cases in scope through the gate, asks every contribution, and lists overdue first, each under
its heading. Two items join two capabilities' data — a release that needs a release conference, and the case
conferences a supervision requires — and are the workspace's own, below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.cases.contributions import (
    LATER,
    OVERDUE,
    THIS_WEEK,
    TODAY,
    AttentionItem,
    AttentionScope,
    attention_groups,
    contribute_attention,
)
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.cases.standing import Standing
from throughcare.conferences.attention import led
from throughcare.conferences.models import AgendaItem, ConferenceKind
from throughcare.custody.attention import RELEASE_HORIZON_DAYS
from throughcare.custody.models import Offence, Sentence
from throughcare.sharing.access import viewer_for

HELD = ["held", "approved"]


def cases_for(user: User, *, scope: str) -> QuerySet[Case]:
    """The open cases in scope: the user's own (on the active team), or all their agencies' for a manager."""
    cases = Case.objects.visible_to(user).exclude(phase=Phase.CLOSED)
    if scope == "mine" or not viewer_for(user).managed:
        mine = CaseTeamMember.objects.active().filter(case=OuterRef("pk"), user=user)
        cases = cases.filter(Exists(mine))
    return cases.select_related("person")


def group_titles() -> list[str]:
    return [group.title for group in attention_groups()]


def needs_attention(user: User, today: date, *, scope: str = "mine") -> list[AttentionItem]:
    """Everything due or overdue for the user (or their agencies), overdue first, each in its group."""
    within = AttentionScope(user, cases_for(user, scope=scope), today, mine=scope == "mine")
    items = [
        replace(item, group=group.title)
        for group in attention_groups()
        for source in group.sources
        for item in source(within)
    ]
    return sorted(items, key=lambda item: item.sort_key)


def for_case(user: User, case: Case, standing: Standing, today: date) -> list[AttentionItem]:
    """What is due or overdue on one case, for anyone working on it (the overview leads with it). The
    gate already decided the standing: rows are read in its categories."""
    within = AttentionScope(
        user, Case.objects.filter(pk=case.pk), today, mine=False, decided=(case, standing)
    )
    items = [
        replace(item, group=group.title)
        for group in attention_groups()
        for source in group.sources
        for item in source(within)
        if item.case is not None and item.case.pk == case.pk
    ]
    return sorted(items, key=lambda item: item.sort_key)


# How a list of items is shown ---------------------------------------------------------------------------

WHEN_TITLES = {OVERDUE: "Overdue", TODAY: "Due today", THIS_WEEK: "Due this week", LATER: "Later"}


@dataclass(frozen=True)
class Row:
    """An item as a list shows it: whose case (the person's name only where the gate shows identity),
    who should act, when, and where it is done."""

    item: AttentionItem
    person: str
    reference: str
    owner: User | None
    link: str
    when: str


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    rows: list[Row]


def rows_for(user: User, items: list[AttentionItem], today: date) -> list[Row]:
    """The items with their person, owner (the case lead unless the item names one) and link. Two
    queries for any number of items: the names the user may see, and the leads."""
    case_ids = {item.case.pk for item in items if item.case is not None}
    named = names_shown(user, case_ids)
    leads = {
        place.case_id: place.user
        for place in CaseTeamMember.objects.active()
        .filter(case_id__in=case_ids, responsibility=CaseTeamMember.Responsibility.LEAD)
        .select_related("user")
    }
    return [
        Row(
            item,
            named.get(item.case.pk, "") if item.case else "",
            item.case.reference if item.case else "",
            item.owner or (leads.get(item.case.pk) if item.case else None),
            item.url or (reverse("cases:detail", args=[item.case.pk]) if item.case else ""),
            item.when(today),
        )
        for item in items
    ]


def names_shown(user: User, case_ids: set[int]) -> dict[int, str]:
    """The names of the people of these cases that the gate lets the user see, by case (one query)."""
    visible = Case.objects.identity_visible_to(user).filter(pk__in=case_ids).select_related("person")
    return {case.pk: case.person.full_name for case in visible}


def parts(rows: list[Row]) -> list[Part]:
    """Overdue, today, this week, later — the parts that have something in them."""
    return [
        Part(key, title, [row for row in rows if row.when == key])
        for key, title in WHEN_TITLES.items()
        if any(row.when == key for row in rows)
    ]


def named_people(rows: list[Row]) -> dict[int, list[int]]:
    """The people a list names, by case: a consultation of identity data, for the audit log."""
    return {
        row.item.case.pk: [row.item.case.person_id]
        for row in rows
        if row.item.case is not None and row.person
    }


# Items that join custody's dates with the conferences ------------------------------------------------


def release_conferences(scope: AttentionScope) -> list[AttentionItem]:
    """A release coming up that the jurisdiction says needs a release conference, and none is held yet."""
    today = scope.today
    horizon = today + timedelta(days=RELEASE_HORIZON_DAYS)
    held = AgendaItem.objects.filter(
        case=OuterRef("case"), conference__kind=ConferenceKind.RELEASE, conference__status__in=HELD
    )
    terrorism = Offence.objects.filter(
        Q(terrorism_offence=True) | Q(terrorist_connection=True), case=OuterRef("case")
    )
    sentences = (
        scope.rows(Sentence)
        .filter(
            Q(conditional_release__range=(today, horizon))
            | Q(conditional_release__isnull=True, earliest_release__range=(today, horizon)),
            case__phase__in=[Phase.CUSTODY, Phase.RELEASE_PLANNING],
        )
        .annotate(conference_held=Exists(held), terrorism=Exists(terrorism))
        .filter(conference_held=False)
        .select_related("case", "profile")
    )
    return [
        AttentionItem(
            s.case,
            f"Release on {s.release_date:%d %b %Y}: release conference required, not held",
            s.release_date,
            False,
            "release-conference",
            reverse("conferences:requests", args=[s.case_id]) + "#release-conference",
        )
        for s in sentences
        if s.profile.requires_release_conference(s, terrorism=s.__dict__["terrorism"])
    ]


def required_conferences(scope: AttentionScope) -> list[AttentionItem]:
    """Terrorism cases under supervision need a number of case conferences (profile data), spread over
    the licence: the k-th of n is due k/(n+1) of the way through it (a year if its end is unknown).
    One query: terrorism and the conferences held since release are annotated. Arranging them is the lead's
    (a manager sees their agencies')."""
    today = scope.today

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
        scope.rows(Sentence)
        .filter(led(scope), case__phase=Phase.COMMUNITY, profile__conferences_per_supervision__gt=0)
        .annotate(released=release)
        .filter(Exists(terrorism), released__lte=today)
        .annotate(held=Coalesce(Subquery(held), 0))
        .select_related("case", "profile")
    )
    return [due for sentence in sentences if (due := _next_required(sentence, today)) is not None]


def _next_required(sentence: Any, today: date) -> AttentionItem | None:
    required, held, released = sentence.profile.conferences_per_supervision, sentence.held, sentence.released
    if held >= required:
        return None
    end = sentence.licence_end or released + timedelta(days=365)
    if today > end:
        return None  # the supervision period is over: what was missed is history, not a task
    due = released + (end - released) * (held + 1) / (required + 1)
    if due > today + timedelta(days=30):
        return None
    return AttentionItem(
        sentence.case,
        f"Case conference {held + 1} of {required} in this supervision period",
        due,
        due < today,
        "",
        reverse("conferences:requests", args=[sentence.case_id]) + "#conferences",
    )


def contribute() -> None:
    contribute_attention("Custody and release", 10, release_conferences)
    contribute_attention("Conferences", 40, required_conferences)
