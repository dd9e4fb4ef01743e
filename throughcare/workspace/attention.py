"""Needs attention: everything due or overdue for a worker (their cases) or a manager (their agencies' cases).

Each capability contributes its items (`throughcare.cases.contributions`, filled at start-up); this module
chooses the cases in scope through the gate, asks every contribution, and lists overdue first, each under
its heading. Two items join two capabilities' data — a release that needs a release conference, and the case
conferences a supervision requires — and are the workspace's own, below.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from heapq import merge
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from throughcare.accounts.models import User
from throughcare.cases.contributions import (
    LATER,
    OVERDUE,
    THIS_WEEK,
    TODAY,
    AttentionItem,
    AttentionScope,
    Audience,
    attention_groups,
    attention_items,
    contribute_attention,
    contribute_attention_feeds,
)
from throughcare.cases.models import Case, CaseTeamMember, Phase, PhaseChange
from throughcare.cases.standing import Standing
from throughcare.conferences.attention import led
from throughcare.conferences.models import AgendaItem, ConferenceKind
from throughcare.custody.attention import RELEASE_HORIZON_DAYS
from throughcare.custody.models import Offence, Sentence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.paging import paginate
from throughcare.lib.wording import worded
from throughcare.sharing.access import viewer_for
from throughcare.workspace import deadlines, kept

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
    """Everything due or overdue for the user (or their agencies), overdue first, each in its group: read
    from what is kept when it is kept for `today` (`workspace.kept`), else computed. Whole: for a list
    that may run long, `listing` (a page) and `overdue` (counts)."""
    if not kept.refresh(today):
        return computed(user, today, scope=scope)
    now = timezone.now()
    rows = kept.kept_for(user, scope)
    items = kept.as_items(kept.in_order(rows, now).select_related("case", "owner"), now)
    return sorted(items + personal(user, today, scope), key=lambda item: item.sort_key)


def computed(user: User, today: date, *, scope: str = "mine") -> list[AttentionItem]:
    """The list computed now from every source: what `needs_attention` shows when nothing is kept for
    `today`, and what the kept items must always equal."""
    own = _own(user, scope)
    within = AttentionScope(user, cases_for(user, scope=scope), today, mine=own, every_visible=not own)
    return sorted(attention_items(within, personal=True), key=lambda item: item.sort_key)


def _own(user: User, scope: str) -> bool:
    """Whether a list is the user's own: asked so, or they manage no agency."""
    return scope == "mine" or not viewer_for(user).managed


def personal(user: User, today: date, scope: str) -> list[AttentionItem]:
    """The user's items that are not about one case (invitations, conference actions): always asked."""
    within = AttentionScope(user, Case.objects.none(), today, mine=_own(user, scope))
    return attention_items(within, about_cases=False, personal=True)


@dataclass(frozen=True)
class Listing:
    """A page of a list: the counts under each heading, and the page's items (overdue first)."""

    counts: list[tuple[str, int]]
    total: int
    overdue: int
    page: Page  # type: ignore[type-arg]
    items: list[AttentionItem]


def listing(user: User, today: date, scope: str, group: str, number: Any, per_page: int) -> Listing:
    """One page of the list under one heading (or all): read from what is kept when it can be — the keys
    of the scope's items in one query (counted by heading, merged with the user's own items), then the
    page's 50 rows — else computed whole and cut."""
    titles = group_titles()
    if not kept.refresh(today):
        everything = computed(user, today, scope=scope)
        chosen = [item for item in everything if item.group == group] if group in titles else everything
        page = paginate(chosen, per_page, number)
        counts = Counter(item.group for item in everything)
        overdue = sum(1 for item in everything if item.overdue)
        return Listing(
            [(t, counts[t]) for t in titles], len(everything), overdue, page, list(page.object_list)
        )
    now = timezone.now()
    rows = kept.in_order(kept.kept_for(user, scope), now)
    whole: dict[int, Any] | None = None
    if scope == "mine":  # one's own list (tens of items): read whole at once, not its keys and then a page
        whole = {row.pk: row for row in rows.select_related("case", "owner")}
        keys = [(row.pk, row.group, row.late, row.due_on) for row in whole.values()]
    else:
        keys = list(rows.values_list("pk", "group", "late", "due_on"))  # type: ignore[misc]  # an annotation
    theirs = personal(user, today, scope)
    counts = Counter(key[1] for key in keys) + Counter(item.group for item in theirs)
    overdue = sum(1 for key in keys if key[2] == 0) + sum(1 for item in theirs if item.overdue)
    if group in titles:
        keys, theirs = [key for key in keys if key[1] == group], [i for i in theirs if i.group == group]
    ordered = merge(
        ((late, due or date.max, 0, pk) for pk, _, late, due in keys),
        sorted((0 if item.overdue else 1, item.due_on or date.max, 1, n) for n, item in enumerate(theirs)),
        key=lambda key: key[:3],
    )
    page = paginate(list(ordered), per_page, number)
    # The page's rows by the ids the gate has just given (not the gate's conditions built a second time).
    wanted = [key[3] for key in page.object_list if key[2] == 0]
    if whole is not None:
        read = {pk: whole[pk] for pk in wanted}
    else:
        read = kept.by_ids(wanted).select_related("case", "owner").in_bulk(wanted)
    items = dict(zip(read, kept.as_items(read.values(), now), strict=True))
    shown = [items[key[3]] if key[2] == 0 else theirs[key[3]] for key in page.object_list]
    return Listing([(t, counts[t]) for t in titles], counts.total(), overdue, page, shown)


@dataclass(frozen=True)
class Overdue:
    """What is overdue on a list, counted by who should act (the item's owner, else the case lead; None:
    no one) and by heading, with the longest overdue items."""

    total: int
    by_owner: list[tuple[User | None, int]]
    by_kind: list[tuple[str, int]]
    oldest: list[AttentionItem]
    kept: bool = False  # counted from what is kept for the day (which holds, stale cases computed again)


def overdue(user: User, today: date, scope: str, oldest: int = 5) -> Overdue:
    """The overdue part of a list, counted without reading it (a manager's agencies' runs to thousands):
    from what is kept, counts by owner and by heading in the database and the oldest few rows; else
    computed whole and counted."""
    if not kept.refresh(today):
        items = [item for item in computed(user, today, scope=scope) if item.overdue]
        leads = leads_of({item.case.pk for item in items if item.case is not None})
        owners = Counter(_owner_of(item, leads) for item in items)
        return _tally(len(items), owners, Counter(item.group for item in items), items[:oldest])
    now = timezone.now()
    rows = kept.kept_for(user, scope).filter(kept.overdue_q(now))
    theirs = [item for item in personal(user, today, scope) if item.overdue]
    leads = leads_of({item.case.pk for item in theirs if item.case is not None})
    counted = kept.tally(rows)
    owners = _sum_by(counted, 1) + Counter(_owner_of(item, leads) for item in theirs)
    kinds = _sum_by(counted, 0) + Counter(item.group for item in theirs)
    first = kept.as_items(kept.in_order(rows, now).select_related("case", "owner")[:oldest], now)
    oldest_first = sorted(first + theirs, key=lambda i: i.sort_key)[:oldest]
    return replace(_tally(kinds.total(), owners, kinds, oldest_first), kept=True)


def overdue_weeks(user: User, today: date, *, kept_today: bool) -> list[deadlines.Week]:
    """How many of the agencies' items were overdue at the start of today and of the same weekday in each
    of the weeks before (a manager's chart): from the counts kept for the day when they hold (`kept_today`,
    as `overdue` found), else counted from the rows."""
    managing = bool(viewer_for(user).managed)  # a manager's agencies' list: every open case they may see
    scope = AttentionScope(user, cases_for(user, scope="agency"), today, mine=False, every_visible=managing)
    return deadlines.overdue_history(scope, kept=kept_today)


def _sum_by(counted: Counter[tuple[str, int | None]], part: int) -> Counter[Any]:
    sums: Counter[Any] = Counter()
    for key, n in counted.items():
        sums[key[part]] += n
    return sums


def _owner_of(item: AttentionItem, leads: dict[int, User]) -> int | None:
    owner = item.owner or (leads.get(item.case.pk) if item.case is not None else None)
    return owner.pk if owner is not None else None


def _tally(
    total: int, owners: Counter[int | None], kinds: Counter[str], oldest: list[AttentionItem]
) -> Overdue:
    """Most first, then by name (no owner last), then by heading's order."""
    users = User.objects.in_bulk([pk for pk in owners if pk is not None])
    by_owner = sorted(
        ((users.get(pk) if pk is not None else None, n) for pk, n in owners.items()),
        key=lambda pair: (-pair[1], pair[0] is None, str(pair[0] or "")),
    )
    order = {title: n for n, title in enumerate(group_titles())}
    by_kind = sorted(kinds.items(), key=lambda pair: (-pair[1], order.get(pair[0], len(order))))
    return Overdue(total, by_owner, by_kind, oldest)


def for_case(user: User, case: Case, standing: Standing, today: date) -> list[AttentionItem]:
    """What is due or overdue on one case, for anyone working on it (the overview leads with it). The
    gate already decided the standing: rows are read in its categories. Read from what is kept for today
    when the case is open and not marked stale (computing it asks every source: most of the overview's
    cost), else computed."""
    if case.phase == Phase.CLOSED or not kept.current_for(case.pk, today):
        return computed_for_case(user, case, standing, today)
    rows = kept.of_case_as(case, standing, user).select_related("case", "owner")
    return sorted(kept.as_items(rows, timezone.now()), key=lambda item: item.sort_key)


def computed_for_case(user: User, case: Case, standing: Standing, today: date) -> list[AttentionItem]:
    """`for_case` computed: every source asked about the case."""
    within = AttentionScope(
        user, Case.objects.filter(pk=case.pk), today, mine=False, decided=(case, standing)
    )
    items = [item for item in attention_items(within) if item.case is not None and item.case.pk == case.pk]
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
    leads = leads_of(case_ids)
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


def leads_of(case_ids: set[int]) -> dict[int, User]:
    """The case leads of these cases, by case (one query)."""
    places = CaseTeamMember.objects.leads().filter(case_id__in=case_ids).select_related("user")
    return {place.case_id: place.user for place in places}


PROBED = 200  # up to this many cases, a list's names are decided case by case (`names_shown`)


def names_shown(user: User, case_ids: set[int]) -> dict[int, str]:
    """The names of the people of these cases that the gate lets the user see, by case (one query). The
    cases of a page are probed one by one: the condition for a whole scope would first read every case a
    manager's agencies hold to name five of them."""
    named = Case.objects.identity_visible_to(user, per_case=len(case_ids) <= PROBED, among=case_ids)
    visible = named.select_related("person")
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
            worded("Release on %(date)s: release conference required, not held", date=s.release_date),
            s.release_date,
            False,
            "release-conference",
            reverse("conferences:requests", args=[s.case_id]) + "#release-conference",
            category=Sentence.data_category,
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
        worded(
            "Case conference %(number)s of %(required)s in this supervision period",
            number=held + 1,
            required=required,
        ),
        due,
        due < today,
        "",
        reverse("conferences:requests", args=[sentence.case_id]) + "#conferences",
        audience=Audience.LEAD,
        category=Sentence.data_category,
    )


def contribute() -> None:
    contribute_attention(gettext_noop("Custody and release"), 10, release_conferences)  # headings, translated
    contribute_attention(gettext_noop("Conferences"), 40, required_conferences)  # where they are shown
    # What every source reads: the case's phase and team, when it was released, and its jurisdiction's
    # profile (a change to a profile marks every case sentenced under it). Not its last activity, which
    # every note written on it touches, nor the version that counts its edits.
    contribute_attention_feeds(
        (Case, "", ("last_activity_at", "version")),
        (PhaseChange, "case"),
        (CaseTeamMember, "case"),
        (Offence, "case"),
        (JurisdictionProfile, "sentences__case"),
    )
