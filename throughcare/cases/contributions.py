"""What each capability contributes to the workspace: its Needs attention items and its case-page sections.

The workspace (the case page, Needs attention, navigation) reads these registries; the domain apps fill them
at start-up, in their `AppConfig.ready`. Adding a capability means adding its contribution here, not editing
a view that knows every app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import models
from django.db.models import QuerySet

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseData, Phase
from throughcare.cases.standing import Standing
from throughcare.lib.wording import Wording, worded

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Needs attention ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    case: Case | None  # None: not about one case (e.g. an invitation to a conference)
    text: Wording | str  # read in the reader's language (`lib.wording`)
    due_on: date | None
    overdue: bool
    anchor: str = ""  # a section of the case page
    url: str = ""  # where to act on it, when that is not the case page
    group: str = ""  # the heading it is listed under
    owner: User | None = None  # who should act on it (None: the case lead, filled in by the workspace)
    audience: str = "case"  # whose list shows it (`Audience`)
    category: str = ""  # the data category of the row it comes from: reading it needs that category
    overdue_at: datetime | None = None  # overdue from a moment rather than a day (read at the time shown)

    @property
    def sort_key(self) -> tuple[int, date]:
        return (0 if self.overdue else 1, self.due_on or date.max)

    def when(self, today: date) -> str:
        """Which part of the day's list it belongs to: overdue, today, this week (the next seven days) or
        later (including items without a date)."""
        if self.overdue:
            return OVERDUE
        if self.due_on is not None and self.due_on <= today:
            return TODAY
        if self.due_on is not None and (self.due_on - today).days < 7:
            return THIS_WEEK
        return LATER


OVERDUE, TODAY, THIS_WEEK, LATER = "overdue", "today", "this week", "later"


def escalated(text: Wording, when: object) -> Wording:
    """An item's wording, saying it was escalated to managers when it was (`when` is set)."""
    return worded("%(item)s — escalated to managers", item=text) if when else text


class Audience:
    """Whose list an item is on. A worker's list holds the items of their own cases meant for them; a
    manager's (their agencies') every item of the agencies' cases except what asks one person."""

    CASE = "case"  # everyone working on the case
    OWNER_OR_CASE = "owner-or-case"  # its owner; everyone working on the case when it has none
    OWNER = "owner"  # its owner
    LEAD = "lead"  # the case lead (requests and conferences are the lead's to arrange)
    PERSONAL = "personal"  # its owner alone, on every list (a sign-off asked of them)
    FOLLOW_UP = "follow-up"  # its owner on any case they may see, closed ones too; a manager: the owners
    # who are members of their agencies
    ANY_CASE = "any-case"  # its owner on any case they may see; a manager: every one they may see
    ALL = (CASE, OWNER_OR_CASE, OWNER, LEAD, PERSONAL, FOLLOW_UP, ANY_CASE)


@dataclass(frozen=True)
class AttentionScope:
    """Where a source looks: the open cases in scope for a user (already through the gate), as of a day.

    `mine`: the user's own items (their caseload) rather than all their agencies' (a manager). `decided`:
    one case whose standing the gate already decided (the case overview), so that rows are read with
    `on_case_as` instead of building the gate's SQL again for every kind of row. `every_visible`: the cases
    in scope are every open case the user may see (a manager's agencies' list), so that rows read through
    the gate need only be on an open case — not the gate's case condition a second time.

    Without a user (`system`), a source gives every item of the cases, each with its audience and the
    category of its row: what the workspace keeps, to be read later through the gate (`workspace.kept`).
    It filters nothing by person; the cases include closed ones, for the sources that look past closing.
    """

    user: User | None
    cases: QuerySet[Case]
    today: date
    mine: bool = True
    decided: tuple[Case, Standing] | None = None
    every_visible: bool = False
    _held: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def system(cls, cases: QuerySet[Case], today: date) -> AttentionScope:
        return cls(None, cases, today, mine=False)

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def person(self) -> User:
        """The user whose list this is (a source asks only when it is not `is_system`)."""
        if self.user is None:
            raise TypeError("a system scope has no user")
        return self.user

    def rows(self, model: type[CaseData], *, among_cases: bool = True) -> QuerySet[Any]:
        """Rows of a case-data model the user may see, on the cases in scope (`among_cases` False: on any
        case the user may see, e.g. follow-ups after a case closed). On the user's own cases (a caseload:
        tens, not thousands) the gate decides once per category which of them the user holds it on, and
        every kind of row is read by those ids — instead of the gate's conditions built into each query."""
        path = model.case_path
        if self.user is None:
            everything: QuerySet[Any] = model.objects.filter(  # type: ignore[attr-defined]
                **{f"{path}__in": self.cases}
            )
            return everything.exclude(**{f"{path}__phase": Phase.CLOSED}) if among_cases else everything
        if self.decided is not None:
            case, standing = self.decided
            return model.objects.on_case_as(case, standing)  # type: ignore[attr-defined,no-any-return]
        if among_cases and self.mine and not model.category_field:
            return model.objects.on_cases_holding(self._holding)  # type: ignore[attr-defined,no-any-return]
        rows: QuerySet[Any] = model.objects.visible_to(self.user)  # type: ignore[attr-defined]
        if not among_cases:
            return rows
        if self.every_visible:
            return rows.exclude(**{f"{path}__phase": Phase.CLOSED})
        return rows.filter(**{f"{path}__in": self.cases})

    def cases_holding(self, category: str) -> QuerySet[Case]:
        """The cases in scope of which the user holds `category` (without a user: the open cases)."""
        if self.user is None:
            return self.cases.exclude(phase=Phase.CLOSED)
        if self.decided is not None:
            case, standing = self.decided
            return Case.objects.filter(pk=case.pk) if standing.holds(category) else Case.objects.none()
        if self.mine:
            return Case.objects.filter(pk__in=self._holding(category))
        if self.every_visible:
            return Case.objects.holding(self.user, category).exclude(phase=Phase.CLOSED)
        return Case.objects.holding(self.user, category).filter(pk__in=self.cases.values("pk"))

    def _holding(self, category: str) -> list[int]:
        """The ids of the cases in scope of which the user holds `category` (asked once per category)."""
        if "" not in self._held:  # the cases in scope themselves, through the gate once
            self._held[""] = list(self.cases.order_by().values_list("pk", flat=True))
        if category not in self._held:
            holding = Case.objects.holding(self.person, category).filter(pk__in=self._held[""])
            self._held[category] = list(holding.order_by().values_list("pk", flat=True))
        return self._held[category]


# A source gives the items for a user in a scope.
AttentionSource = Callable[[AttentionScope], list[AttentionItem]]


@dataclass(frozen=True)
class AttentionGroup:
    title: str
    order: int
    sources: tuple[AttentionSource, ...]  # items about a case
    personal: tuple[AttentionSource, ...] = ()  # items of the user not about one case (always asked live)


_groups: dict[str, AttentionGroup] = {}


def contribute_attention(
    title: str, order: int, *sources: AttentionSource, personal: tuple[AttentionSource, ...] = ()
) -> None:
    """Add item sources under a heading of Needs attention (headings are listed by `order`). `sources` give
    items about cases, and may be kept (`workspace.kept`); `personal` ones give a user's items that are not
    about one case (an invitation to a conference), asked each time a list is shown."""
    group = _groups.get(title) or AttentionGroup(title, order, ())
    added = tuple(s for s in sources if s not in group.sources)
    mine = tuple(s for s in personal if s not in group.personal)
    _groups[title] = AttentionGroup(title, group.order, group.sources + added, group.personal + mine)


def attention_groups() -> list[AttentionGroup]:
    return sorted(_groups.values(), key=lambda g: g.order)


def attention_items(
    scope: AttentionScope, *, about_cases: bool = True, personal: bool = False
) -> list[AttentionItem]:
    """What the sources give in a scope, each item under its group's title, in the groups' order: the
    sources of items about cases, the personal ones (not about one case), or both."""
    return [
        replace(item, group=group.title)
        for group in attention_groups()
        for source in (group.sources if about_cases else ()) + (group.personal if personal else ())
        for item in source(scope)
    ]


# What the items of a case are computed from: a model, and the path from one of its rows to the cases whose
# items it may change ("" for a case itself; a path may go back along a relation, e.g. a conference's
# "items__case"). A change to any such row marks those cases' kept items stale (`workspace.kept`), unless
# it changed only columns no item is computed from (`ignoring`, e.g. a case's last activity, touched by
# every note written on it).
class AttentionFeed(NamedTuple):
    model: type[models.Model]
    path: str
    ignoring: tuple[str, ...] = ()


_feeds: dict[AttentionFeed, None] = {}


def contribute_attention_feeds(
    *feeds: tuple[type[models.Model], str] | tuple[type[models.Model], str, tuple[str, ...]],
) -> None:
    """Declare what a capability's Needs attention items are computed from."""
    _feeds.update(dict.fromkeys(AttentionFeed(*feed) for feed in feeds))


def attention_feeds() -> list[AttentionFeed]:
    return list(_feeds)


# Deadlines: what is due on a date and done (or not) by another ------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A kind of dated work whose history can be counted and shown on a calendar: rows of a case-data
    `model`, due on its `due` field (a date, or a moment) and done when its `done` field is set (a date or
    a moment). `owner`: the field naming who does it, if any."""

    key: str
    title: str  # "Risk review", shown on calendars (with the case reference only)
    model: type[CaseData]
    due: str
    done: str
    owner: str | None = None
    among_cases: bool = True  # False: rows are found on any case the user sees (follow-ups after closing)


_deadlines: dict[str, Deadline] = {}


def contribute_deadline(deadline: Deadline) -> None:
    _deadlines[deadline.key] = deadline


def deadlines() -> list[Deadline]:
    return sorted(_deadlines.values(), key=lambda d: d.title)


# The case page -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A section of a case, in the case's sub-navigation: a page of its own, shown to those who hold its
    category (None: the case record, which every standing sees)."""

    key: str
    title: StrOrPromise  # in the reader's language (gettext_lazy)
    url_name: str  # reversed with the case id
    category: str | None
    order: int
    works_on_case_only: bool = False  # the team and its managers, not agreements or break-glass

    def shown_to(self, standing: Standing) -> bool:
        return standing.holds(self.category) and (standing.works_on_case or not self.works_on_case_only)


@dataclass(frozen=True)
class Panel:
    """A part of the case overview: `build` returns its template context, or None to leave it out (it is
    given the viewer's standing on the case, already decided by the gate)."""

    key: str
    order: int
    template: str
    category: str | None
    build: Callable[[Case, Standing, User], dict[str, Any] | None]


_sections: dict[str, Section] = {}
_panels: dict[str, Panel] = {}


def contribute_section(section: Section) -> None:
    _sections[section.key] = section


def contribute_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: p.order)


# Decision points: what a case review lays out in order ---------------------------------------------------


@dataclass(frozen=True)
class DecisionPoint:
    """A moment in a case where something was decided, or should have been: a phase change, a conference
    decision, a request decided, information acknowledged (late or not), a review overdue, an escalation.

    `category`: the data category of what it says (a reader sees it only while holding it). `decision`:
    it is a choice a practitioner made (a training scenario may stop there and ask what to do).
    `late`: it came after its deadline, or never came."""

    key: str  # unique on the case, e.g. "risk.review:12"
    at: datetime
    kind: str  # "Conference decision": its English (a msgid), translated where it is shown as a heading
    text: Wording | str  # read in the reader's language (`lib.wording`)
    category: str
    decision: bool = False
    late: bool = False


# A source gives the decision points of one case, in the categories of a standing the gate decided.
DecisionPointSource = Callable[[Case, Standing], list[DecisionPoint]]

_decision_sources: dict[str, DecisionPointSource] = {}


def contribute_decision_points(key: str, source: DecisionPointSource) -> None:
    _decision_sources[key] = source


def decision_points(case: Case, standing: Standing) -> list[DecisionPoint]:
    """Every contributed decision point of the case that the standing holds, in time order."""
    points = [p for source in _decision_sources.values() for p in source(case, standing)]
    return sorted((p for p in points if standing.holds(p.category)), key=lambda p: (p.at, p.key))
