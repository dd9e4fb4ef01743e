"""The access gate: the one place that decides who may see which case, and which of its entries.

A user may open a case through one of these relationships:

- a place on its case team (active, or ended less than RESIDUAL_ACCESS_DAYS ago: read only),
  while they still belong to the agency they act for;
- being a manager of an agency that has an active place on the team (read only);
- a sharing agreement in force with their agency, or with them by name (read only);
- break-glass: emergency access they opened with a reason, until it expires (read only).

A restriction list on the case overrides all of these: "never these users" keeps a user out, and
"only these users" keeps out everyone not listed.

Within a case, each entry is shown only if its data category is allowed: by the sharing rule for the
kind of agency the user acts for (always, or with the person's consent in force), by an agreement
that names the category (consent-based agreements also need consent in force, unless overridden),
or by break-glass. Intelligence content is shown only to cleared users (police counter-terrorism or
an explicit clearance); everyone else with access sees only that intelligence exists (the flag).

Lists are decided in SQL (`Case.objects.visible_to`, `TimelineEntry.objects.visible_to`, through the port
`cases.gateway` that this module implements); one case, a few cases, and a read-only request's small scope
are decided from the cases' facts by the same policy (below). A case the user may not see raises Http404,
exactly like one that does not exist.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.audit.log import record_consultation
from throughcare.cases.models import Case, CaseData, CaseQuerySet, CaseTeamMember, DataCategory, TimelineEntry
from throughcare.cases.standing import WORKING_RELATIONS as WORKING_RELATIONS
from throughcare.cases.standing import Capability as Capability
from throughcare.cases.standing import Relation as Relation
from throughcare.cases.standing import Standing as Standing
from throughcare.lib.errors import ActionRefused
from throughcare.lib.request_cache import cached, peek, reads_only
from throughcare.lib.sql import OnCase, OnRow, adapted, among
from throughcare.notifications.models import Notification
from throughcare.sharing import conditions
from throughcare.sharing import facts as by_hand
from throughcare.sharing.models import (
    BreakGlass,
    ConsentCategory,
    LegalBasis,
    Restriction,
    SharingRule,
)

INTELLIGENCE = DataCategory.INTELLIGENCE
EVERYTHING_BUT_INTELLIGENCE = frozenset(DataCategory.values) - {INTELLIGENCE}
NOTHING = Q(pk__in=[])  # a condition no row meets


@dataclass(frozen=True)
class Viewer:
    """What the gate needs to know about a user, read once per decision."""

    user: User
    agencies: dict[int, str]  # agency id → kind, where the user works (practitioner or manager)
    managed: dict[int, str]  # agency id → kind, where the user is a manager
    cleared: bool
    rules: dict[str, dict[str, str]]  # agency kind → category → mode
    now: datetime
    agency_objects: dict[int, Agency] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    may_break_glass: bool = False
    flags: frozenset[str] = frozenset()  # the capability flags set on any of the user's active memberships
    primary_agency: Agency | None = None  # the agency of their first active membership (the header's)

    @property
    def residual_since(self) -> datetime:
        return self.now - timedelta(days=settings.RESIDUAL_ACCESS_DAYS)

    def categories(self, kind: str, mode: str) -> list[str]:
        return [c for c, m in self.rules.get(kind, {}).items() if m == mode and c != INTELLIGENCE]

    def holdable(self, kind: str) -> list[str]:
        return [c for c, m in self.rules.get(kind, {}).items() if m != "never" and c != INTELLIGENCE]


def viewer_for(user: User, now: datetime | None = None) -> Viewer:
    """What the gate knows about the user: read once per request (and afresh outside requests)."""
    if now is not None:
        return _read_viewer(user, now)
    return cached(("viewer", user.pk), lambda: _read_viewer(user, timezone.now()))


def _read_viewer(user: User, now: datetime) -> Viewer:
    """The viewer from the user's active memberships (with their agencies) and the sharing rules, read by
    hand in one round trip: every signed-in page reads it, and through the ORM it cost a page 2 ms."""
    if not user.is_authenticated or not user.is_active:
        return Viewer(user, {}, {}, False, {}, now)
    memberships, rule_rows = by_hand.read(by_hand.memberships(user.pk, VIEWER_FLAGS), by_hand.rules())
    working = [(role, held, agency) for role, held, agency in memberships if role in WORKING_ROLES]
    rules: dict[str, dict[str, str]] = {}
    for kind, category, mode in rule_rows:
        rules.setdefault(kind, {})[category] = mode
    return Viewer(
        user=user,
        agencies={agency.pk: agency.kind for _, _, agency in working},
        managed={agency.pk: agency.kind for role, _, agency in working if role == Role.MANAGER},
        cleared=any(a.kind == AgencyKind.POLICE_CT or held["intelligence_cleared"] for _, held, a in working),
        rules=rules,
        now=now,
        agency_objects={agency.pk: agency for _, _, agency in working},
        roles=frozenset(role for role, _, _ in memberships),
        may_break_glass=any(held["may_break_glass"] for _, held, _ in memberships),
        flags=frozenset(
            flag for flag in _MEMBERSHIP_FLAGS.values() for _, held, _ in memberships if held[flag]
        ),
        primary_agency=memberships[0][2] if memberships else None,
    )


WORKING_ROLES = (Role.PRACTITIONER, Role.MANAGER)  # the roles that work on cases (the gate's agencies)


@dataclass(frozen=True)
class Refs:
    """Where the gate finds the case, its person and (for entries) the category in the outer query."""

    case: str
    person: str
    category: str | None  # None: the category is given as a literal


CASE_ROWS = Refs(case="pk", person="person_id", category=None)


class Policy:
    """Builds the SQL conditions of the gate for one viewer."""

    def __init__(self, viewer: Viewer, refs: Refs) -> None:
        self.v = viewer
        self.refs = refs
        self.literal: str | None = None

    # Which cases ---------------------------------------------------------------------------------

    def case_q(self, *, per_case: bool = False) -> Q:
        return self.not_restricted() & (self.each_case() if per_case else self.among_candidates())

    def among_candidates(self) -> Q:
        """The case is among those some rule opens to the viewer: the viewer's team places, the places of
        the agencies they manage, agreements in force for their agencies, their break-glass. One UNION of
        indexed lookups that PostgreSQL joins by id: its cost follows the viewer's own scope, never the
        number of cases in the service (an OR of correlated EXISTS is evaluated for every case). Written by
        hand (`sharing.conditions`): built with the ORM it cost more than the database took."""
        return Q(OnCase(partial(conditions.among_candidates, self.v), self.refs.case))

    def each_case(self) -> Q:
        """The same cases as `among_candidates`, tested case by case: one EXISTS over the same UNION, each
        part an indexed probe of the outer case. PostgreSQL cannot turn an EXISTS over a UNION into a join or
        a hash, so it probes only the cases the outer query reads. That is the shape for a list that walks
        an index in the order it shows (the most recent activity first) and stops at its page: its cost
        follows the rows walked, not the viewer's scope. For a small scope among many cases the walk is
        long; `lib.paging.walking_pays` chooses."""
        return Q(OnCase(partial(conditions.each_case, self.v), self.refs.case))

    def on_team(self, agencies: dict[int, str], *, residual: bool = True) -> Q:
        if not agencies:
            return NOTHING
        since = (
            Q(ended_at__isnull=True) | Q(ended_at__gt=self.v.residual_since) if residual else Q(ended_at=None)
        )
        places = CaseTeamMember.objects.filter(
            case=OuterRef(self.refs.case), user=self.v.user, agency_id__in=list(agencies)
        )
        return Q(Exists(places.filter(since)))

    def managing(self, agencies: dict[int, str] | None = None) -> Q:
        managed = self.v.managed if agencies is None else agencies
        if not managed:
            return NOTHING
        places = CaseTeamMember.objects.active().filter(
            case=OuterRef(self.refs.case), agency_id__in=list(managed)
        )
        return Q(Exists(places))

    def not_restricted(self) -> Q:
        return Q(OnCase(partial(conditions.not_restricted, self.v), self.refs.case))

    # Which categories ----------------------------------------------------------------------------

    def category_q(self, category: str | None = None, *, per_case: bool = False) -> Q:
        """The entry's category (or the literal `category`) is allowed, given case access. `per_case`: for
        a few rows already read through the gate (a page), the grants alone, each probed per row."""
        self.literal = category
        if self._is(INTELLIGENCE):
            return self.case_q(per_case=per_case) if self.v.cleared else NOTHING
        columns = {"case": self.refs.case, "person": self.refs.person}
        if self.refs.category is not None:
            columns["category"] = self.refs.category
        literal = self.literal if self.refs.category is None else None
        granted = Q(OnRow(partial(conditions.granted, self.v, literal), **columns))
        # Every grant is on a candidate case: the semi-join lets the planner start from the viewer's scope.
        candidates = Q() if per_case else self.among_candidates()
        return candidates & self.not_restricted() & granted & self._not_intelligence()

    # Helpers for literal categories (one case) and entry rows (many) -------------------------------

    def _is(self, category: str) -> bool:
        return self.refs.category is None and self.literal == category

    def _not_intelligence(self) -> Q:
        if self.refs.category is None:
            return Q()
        return ~Q(**{self.refs.category: INTELLIGENCE})


def visible_cases_q(viewer: Viewer, *, per_case: bool = False) -> Q:
    """Cases the viewer may open (built once per request: the header and the page both ask). `per_case`:
    the same cases, tested case by case (`Policy.each_case`)."""
    scope = decided_scope(viewer)
    if scope is not None:
        return Q(pk__in=_holding(scope))
    return cached(
        ("cases_q", viewer.user.pk, viewer.now, per_case),
        lambda: Policy(viewer, CASE_ROWS).case_q(per_case=per_case),
    )


def case_category_q(viewer: Viewer, category: str, *, per_case: bool = False) -> Q:
    """Cases of which the viewer holds this data category."""
    scope = decided_scope(viewer)
    if scope is not None:
        return Q(pk__in=_holding(scope, category))
    return cached(
        ("category_q", viewer.user.pk, viewer.now, category, per_case),
        lambda: Policy(viewer, CASE_ROWS).category_q(category, per_case=per_case),
    )


def identity_visible_q(viewer: Viewer, *, per_case: bool = False) -> Q:
    """Cases whose person's identity (names, aliases, date of birth) the viewer may see."""
    return case_category_q(viewer, DataCategory.IDENTITY, per_case=per_case)


def case_data_q(viewer: Viewer, model: type[CaseData]) -> Q:
    """Rows of a case-data model the viewer may see: of a case they may open, in a category they hold."""
    path = model.case_path
    scope = decided_scope(viewer)
    if scope is not None:
        return _rows_in_scope(scope, model)
    person = model.person_path or f"{path}__person"
    if model.category_by is not None:
        field = model.category_by[0]
        condition = NOTHING
        for category, values in model.values_by_category().items():
            literal = Policy(viewer, Refs(case=path, person=person, category=None))
            condition |= Q(**{f"{field}__in": values}) & literal.category_q(category)
        return condition
    if model.category_field:
        policy = Policy(viewer, Refs(case=path, person=person, category=model.category_field))
        on_case = Q(**{model.category_field: INTELLIGENCE}) & policy.case_q()
        return policy.category_q() | (on_case if viewer.cleared else NOTHING)
    policy = Policy(viewer, Refs(case=path, person=person, category=None))
    return policy.category_q(model.data_category)


def visible_entries_q(viewer: Viewer) -> Q:
    return case_data_q(viewer, TimelineEntry)


# A small scope, decided once a request from its cases' facts ------------------------------------------
#
# An officer's scope is their caseload: tens of cases. Building the gate's SQL conditions for each list of
# a page costs more than running them (most of an officer's page was Django building and compiling the
# conditions, not PostgreSQL). A request that only reads decides such a scope once: its facts read from
# the viewer's side (their places, their managed agencies' places, agreements, break-glass; each query
# bounded), the policy applied as for the case page. Every condition of the request is then a list of case
# ids. A wider scope (a
# manager's agency) keeps the SQL form, whose cost follows the rows a list shows; so does a request that
# writes, which must see its own change. The property test holds both forms to the written policy.

SMALL_SCOPE = 250  # cases up to which a read-only request decides the viewer's scope from facts
WIDE_REMEMBERED = 300.0  # seconds a process remembers that a viewer's scope was wide (the SQL form then)
# User id → until when. Either form decides the same, so a stale entry costs time, never access.
_WIDE: dict[int, float] = {}


def decided_scope(viewer: Viewer, *, if_decided: bool = False) -> dict[int, frozenset[str]] | None:
    """Each case the viewer may see → the data categories they hold on it, when this request only reads
    and the viewer's cases are few; otherwise None (the gate's SQL form decides). `if_decided`: only what
    this request has already decided (for the header, which must not decide a scope the page did not need)."""
    if not reads_only():
        return None
    key = ("scope", viewer.user.pk, viewer.now)
    if if_decided:
        decided: dict[int, frozenset[str]] | None = peek(key)
        return decided
    return cached(key, lambda: _decide_scope(viewer))


def forget_wide_scopes() -> None:
    """Forget which viewers' scopes were found wide (each is then read again on its next page)."""
    _WIDE.clear()


def _decide_scope(viewer: Viewer) -> dict[int, frozenset[str]] | None:
    if _WIDE.get(viewer.user.pk, 0.0) > time.monotonic():
        return None
    scope = _held_from_facts(viewer)
    if scope is None:
        _WIDE[viewer.user.pk] = time.monotonic() + WIDE_REMEMBERED
    return scope


def _held_from_facts(viewer: Viewer, cases: list[int] | None = None) -> dict[int, frozenset[str]] | None:
    """Each case the viewer may see → the categories they hold on it, from the facts read from the viewer's
    side (`_read_facts`), or None: the scope is wide."""
    read = _read_facts(viewer, cases)
    if read is None:
        return None
    places, agreements, opened, restriction_rows, consent_rows = read
    glass = {case: BreakGlass(pk=pk, case_id=case, user=viewer.user) for case, _, pk in opened}
    places_on: dict[int, list[CaseTeamMember]] = {}
    for pk, _, place in places:
        places_on.setdefault(pk, []).append(place)
    agreements_on: dict[int, list[AgreementFact]] = {}
    for pk, _, fact in agreements:
        agreements_on.setdefault(pk, []).append(fact)
    restricted = _restricted_from(viewer, restriction_rows)
    consented = _consented_from(consent_rows)
    held: dict[int, frozenset[str]] = {}
    for pk, person in _people_of(places, agreements, opened).items():
        facts = CaseFacts(
            places=places_on.get(pk, []),
            agreements=agreements_on.get(pk, []),
            consented=consented.get(person, {}),
            break_glass=glass.get(pk),
            restricted=pk in restricted,
        )
        if (categories := _held_if_open(viewer, facts)) is not None:
            held[pk] = categories
    return held


Facts = tuple[
    list[tuple[int, int, CaseTeamMember]],
    list[tuple[int, int, "AgreementFact"]],
    list[by_hand.Row],
    list[by_hand.Row],
    list[by_hand.Row],
]


def _read_facts(viewer: Viewer, cases: list[int] | None) -> Facts | None:
    """The places, agreements, break-glass (case, person, id), restrictions and consents the policy reads:
    their places, their managed agencies' places, the agreements in force for their agencies, their
    break-glass; then the restrictions and consents of the cases found. `cases`: of these cases only, all
    read together; without, of the viewer's whole scope, each query bounded so that a wide scope costs no
    more than finding that it is wide (None), the restrictions and consents read once the cases are
    known."""
    today = timezone.localdate(viewer.now)
    agencies = list(viewer.agencies)
    first = (
        _places_read(viewer, cases),
        _agreements_read(viewer, cases),
        by_hand.break_glass(viewer.user.pk, viewer.now, cases),
    )
    if cases is not None:
        rest = (by_hand.restrictions(cases), by_hand.consents_on(cases, agencies, today))
        place_rows, agreement_rows, opened, restriction_rows, consent_rows = by_hand.read(*first, *rest)
        places, agreements = _places_from(place_rows), _agreements_from(viewer, agreement_rows)
        return places, agreements, opened, restriction_rows, consent_rows
    place_rows, agreement_rows, opened = by_hand.read(*first)
    if len(place_rows) > SMALL_SCOPE or len(agreement_rows) > AGREEMENTS_BOUND:
        return None
    places, agreements = _places_from(place_rows), _agreements_from(viewer, agreement_rows)
    person_of = _people_of(places, agreements, opened)
    if len(person_of) > SMALL_SCOPE:
        return None
    rest = (by_hand.restrictions(list(person_of)), by_hand.consents(set(person_of.values()), agencies, today))
    restriction_rows, consent_rows = by_hand.read(*rest)
    return places, agreements, opened, restriction_rows, consent_rows


def _people_of(
    places: list[tuple[int, int, CaseTeamMember]],
    agreements: list[tuple[int, int, AgreementFact]],
    opened: list[by_hand.Row],
) -> dict[int, int]:
    """Case id → its person's, for the cases the facts read are about."""
    person_of = {pk: person for pk, person, _ in places} | {pk: person for pk, person, _ in agreements}
    return person_of | {case: person for case, person, _ in opened}


# Rows of agreements' categories read for a scope before it is found wide.
AGREEMENTS_BOUND = SMALL_SCOPE * len(DataCategory.values)


def _places_read(viewer: Viewer, cases: list[int] | None) -> by_hand.Statement | None:
    """The places the policy reads for this viewer (of a scope: one more than a small scope holds)."""
    limit = None if cases is not None else SMALL_SCOPE + 1
    agencies, managed = list(viewer.agencies), list(viewer.managed)
    return by_hand.places(viewer.user.pk, agencies, managed, viewer.residual_since, cases, limit)


def _places_from(rows: list[by_hand.Row]) -> list[tuple[int, int, CaseTeamMember]]:
    """(case, person, place) for each place read."""
    return [
        (
            case,
            person,
            CaseTeamMember(case_id=case, user_id=user, agency_id=agency, ended_at=ended, responsibility=r),
        )
        for case, person, user, agency, ended, r in rows
    ]


def _agreements_read(viewer: Viewer, cases: list[int] | None) -> by_hand.Statement | None:
    """Each category of the agreements in force for the viewer's agencies (of a scope: one more than the
    bound)."""
    limit = None if cases is not None else AGREEMENTS_BOUND + 1
    return by_hand.agreements(viewer.user.pk, list(viewer.agencies), viewer.now, cases, limit)


def _agreements_from(viewer: Viewer, rows: list[by_hand.Row]) -> list[tuple[int, int, AgreementFact]]:
    """(case, person, fact) for each category of the agreements read."""
    return [(row[0], row[-1], _agreement_fact(viewer, *row[1:-1])) for row in rows]


def _restricted_from(viewer: Viewer, rows: list[by_hand.Row]) -> set[int]:
    """The cases whose restrictions (read) keep the viewer out."""
    restrictions: dict[int, list[tuple[int, str]]] = {}
    for case_id, user_id, kind in rows:
        restrictions.setdefault(case_id, []).append((user_id, kind))
    return {pk for pk, listed in restrictions.items() if _is_restricted(viewer, listed)}


def _holding(scope: dict[int, frozenset[str]], category: str | None = None) -> list[int]:
    """The cases of the scope (of which the viewer holds `category`, if given), in order."""
    return sorted(pk for pk, held in scope.items() if category is None or category in held)


def _rows_in_scope(scope: dict[int, frozenset[str]], model: type[CaseData]) -> Q:
    """`case_data_q` for a decided scope: the model's rows on the cases whose category the viewer holds."""

    def on(cases: list[int]) -> Q:
        return Q(**{f"{model.case_path}__in": cases})

    if model.category_by is not None:
        field = model.category_by[0]
        condition = NOTHING
        for category, values in model.values_by_category().items():
            condition |= Q(**{f"{field}__in": values}) & on(_holding(scope, category))
        return condition
    if model.category_field:
        alike: dict[frozenset[str], list[int]] = {}  # cases grouped by the categories held on them
        for pk in sorted(scope):
            alike.setdefault(scope[pk], []).append(pk)
        condition = NOTHING
        for categories, cases in alike.items():
            condition |= on(cases) & Q(**{f"{model.category_field}__in": sorted(categories)})
        return condition
    return on(_holding(scope, model.data_category))


# One case: the same policy, decided from a few small fact queries ------------------------------------
#
# Building the SQL conditions above costs more than running them, which matters on the case page,
# opened many times a day. For one case the gate reads the facts the policy depends on (the team, the
# agreements and consents, break-glass, restrictions: a handful of indexed queries) and applies the
# policy to them. The property test holds this and the SQL form to the same written policy.


@dataclass(frozen=True)
class AgreementFact:
    agency: Agency
    category: str
    needs_consent: bool
    purpose: str
    basis: str


@dataclass(frozen=True)
class CaseFacts:
    places: list[CaseTeamMember]  # every place on the case team, past and present
    agreements: list[AgreementFact]  # categories of agreements in force for the viewer's agencies
    consented: dict[int, set[str]]  # agency id → categories with consent in force
    break_glass: BreakGlass | None
    restricted: bool  # a restriction list keeps the viewer out


def load_facts(viewer: Viewer, case: Case) -> CaseFacts:
    return load_facts_of(viewer, [case])[case.pk]


def load_facts_of(viewer: Viewer, cases: Iterable[Case]) -> dict[int, CaseFacts]:
    """The facts of each case (its id → facts) in a constant number of queries, however many cases: the
    team places and restrictions; then, for the cases where the team gives less than every category, the
    agreements and consents (read together) and the break-glass that could add more."""
    person_of = {case.pk: case.person_id for case in cases}
    ids = list(person_of)
    places: dict[int, list[CaseTeamMember]] = {pk: [] for pk in ids}
    for place in CaseTeamMember.objects.filter(case_id__in=ids).select_related("user", "agency"):
        places[place.case_id].append(place)
    restricted = _restricted_from(viewer, by_hand.read(by_hand.restrictions(ids))[0])
    facts = {pk: CaseFacts(places[pk], [], {}, None, pk in restricted) for pk in ids}
    # Where the team gives every category, agreements, consent or break-glass could add nothing more.
    wanting = [pk for pk in ids if not _granted(viewer, facts[pk]) >= EVERYTHING_BUT_INTELLIGENCE]
    if not wanting:
        return facts
    people = {person_of[pk] for pk in wanting}
    today = timezone.localdate(viewer.now)
    agreement_rows, consent_rows = by_hand.read(
        _agreements_read(viewer, wanting), by_hand.consents(people, list(viewer.agencies), today)
    )
    agreements: dict[int, list[AgreementFact]] = {}
    for pk, _, fact in _agreements_from(viewer, agreement_rows):
        agreements.setdefault(pk, []).append(fact)
    consented = _consented_from(consent_rows)
    glass: dict[int, BreakGlass] = {}
    opened = BreakGlass.objects.filter(case_id__in=wanting, user=viewer.user, expires_at__gt=viewer.now)
    for access in opened.select_related("agency"):  # the latest opened first
        glass.setdefault(access.case_id, access)
    for pk in wanting:
        facts[pk] = CaseFacts(
            places=places[pk],
            agreements=agreements.get(pk, []),
            consented=consented.get(person_of[pk], {}),
            break_glass=glass.get(pk),
            restricted=facts[pk].restricted,
        )
    return facts


def _agreement_fact(
    viewer: Viewer, agency: int, category: str, basis: str, override: str, purpose: str
) -> AgreementFact:
    return AgreementFact(
        viewer.agency_objects[agency],
        category,
        basis == LegalBasis.CONSENT and not override,
        purpose,
        str(LegalBasis(basis).label),
    )


def _consented_from(rows: list[by_hand.Row]) -> dict[int, dict[int, set[str]]]:
    """Person id → agency id → the categories with consent in force (read)."""
    consented: dict[int, dict[int, set[str]]] = {}
    for person, agency, category in rows:
        consented.setdefault(person, {}).setdefault(agency, set()).add(category)
    return consented


def held_on(user: User, case_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The categories the user holds on each of these cases they may see (the others left out): from the
    request's decided scope if the page decided one (every case the user may see is in it), otherwise from
    these cases' facts read together. For a few cases named elsewhere (the notifications the header counts
    on every page), where building the gate's SQL would cost more than deciding."""
    viewer = viewer_for(user)
    wanted = set(case_ids)
    scope = decided_scope(viewer, if_decided=True)
    if scope is not None:
        return {pk: scope[pk] for pk in wanted if pk in scope}
    # Decided once a request: the notifications page lists what its header also counts.
    decided: dict[int, frozenset[str] | None] = cached(("held", user.pk, viewer.now), dict)
    missing = sorted(pk for pk in wanted if pk not in decided)
    if missing:
        found = _held_from_facts(viewer, missing) or {}
        decided.update({pk: found.get(pk) for pk in missing})
    return {pk: held for pk in wanted if (held := decided[pk]) is not None}


def decide(viewer: Viewer, facts: CaseFacts) -> Standing | None:
    """The viewer's standing on the case with the categories they may see, or None: not visible."""
    if facts.restricted:
        return None
    standing = _standing(viewer, facts)
    if standing is None:
        return None
    return Standing(
        standing.agency, standing.justification, standing.can_write, _held(viewer, facts), standing.relation
    )


def _held(viewer: Viewer, facts: CaseFacts) -> frozenset[str]:
    """The categories the viewer holds on a case they may open."""
    return frozenset(_granted(viewer, facts) | ({INTELLIGENCE} if viewer.cleared else set()))


def _held_if_open(viewer: Viewer, facts: CaseFacts) -> frozenset[str] | None:
    """`decide` without the standing's wording: the categories held, or None if the case is closed to the
    viewer (opened by the same relationships `_standing` tells apart)."""
    if facts.restricted:
        return None
    if facts.break_glass is None and not (
        _my_places(viewer, facts) or _managed_places(viewer, facts) or _usable_agreements(viewer, facts)
    ):
        return None
    return _held(viewer, facts)


def _is_restricted(viewer: Viewer, restrictions: list[tuple[int, str]]) -> bool:
    me = viewer.user.pk
    only = [user for user, kind in restrictions if kind == "only"]
    return (me, "never") in restrictions or (bool(only) and me not in only)


def _my_places(viewer: Viewer, facts: CaseFacts) -> list[CaseTeamMember]:
    return [
        p
        for p in facts.places
        if p.user_id == viewer.user.pk
        and p.agency_id in viewer.agencies
        and (p.ended_at is None or p.ended_at > viewer.residual_since)
    ]


def _managed_places(viewer: Viewer, facts: CaseFacts) -> list[CaseTeamMember]:
    return [p for p in facts.places if p.ended_at is None and p.agency_id in viewer.managed]


def _usable_agreements(viewer: Viewer, facts: CaseFacts) -> list[AgreementFact]:
    """Agreements that give the viewer access: free ones, or consent-based ones with some consent."""
    usable_agencies = {
        f.agency.pk
        for f in facts.agreements
        if not f.needs_consent or f.category in facts.consented.get(f.agency.pk, set())
    }
    return [f for f in facts.agreements if f.agency.pk in usable_agencies]


def _standing(viewer: Viewer, facts: CaseFacts) -> Standing | None:
    places = _my_places(viewer, facts)
    active = [p for p in places if p.ended_at is None]
    if active:
        place = min(active, key=lambda p: p.responsibility != CaseTeamMember.Responsibility.LEAD)
        agency = viewer.agency_objects[place.agency_id]
        relation = (
            Relation.LEAD if place.responsibility == CaseTeamMember.Responsibility.LEAD else Relation.TEAM
        )
        justification = f"case team: {place.get_responsibility_display().lower()}"
        return Standing(agency, justification, True, relation=relation)
    if places:
        former = max(places, key=lambda p: p.ended_at or viewer.now)
        assert former.ended_at is not None
        until = timezone.localtime(former.ended_at + timedelta(days=settings.RESIDUAL_ACCESS_DAYS))
        agency = viewer.agency_objects[former.agency_id]
        justification = f"former case team member (read access until {until:%d %b %Y})"
        return Standing(agency, justification, False, relation=Relation.FORMER)
    managed = _managed_places(viewer, facts)
    if managed:
        agency = viewer.agency_objects[managed[0].agency_id]
        return Standing(
            agency, f"manager of {agency.label} on the case team", False, relation=Relation.MANAGER
        )
    agreements = _usable_agreements(viewer, facts)
    if agreements:
        first = agreements[0]
        justification = f"sharing agreement: {first.purpose} ({first.basis.lower()})"
        return Standing(first.agency, justification, False, relation=Relation.AGREEMENT)
    if facts.break_glass is not None:
        justification = f"break-glass: {facts.break_glass.reason}"
        return Standing(facts.break_glass.agency, justification, False, relation=Relation.BREAK_GLASS)
    return None


def _granted(viewer: Viewer, facts: CaseFacts) -> set[str]:
    granted: set[str] = set()
    for place in _my_places(viewer, facts):
        kind = viewer.agencies[place.agency_id]
        consented = facts.consented.get(place.agency_id, set())
        granted |= set(viewer.categories(kind, "always")) | (
            set(viewer.categories(kind, "consent")) & consented
        )
    for place in _managed_places(viewer, facts):
        granted |= set(viewer.categories(viewer.managed[place.agency_id], "always"))
    for fact in facts.agreements:
        holdable = fact.category in viewer.holdable(viewer.agencies[fact.agency.pk])
        has_consent = fact.category in facts.consented.get(fact.agency.pk, set())
        if holdable and (not fact.needs_consent or has_consent):
            granted.add(fact.category)
    if facts.break_glass is not None:
        granted |= set(DataCategory.values) - {INTELLIGENCE}
    return granted


def categories_for(viewer: Viewer, case: Case) -> frozenset[str]:
    """The data categories of this case the viewer may see (empty if they may not see the case)."""
    standing = decide(viewer, load_facts(viewer, case))
    return standing.categories if standing else frozenset()


# Fetching ------------------------------------------------------------------------------------------


def get_case_for_user(user: User, case_id: int, *, category: str | None, write: bool = False) -> Case:
    """The one way to open a case, naming the data category the caller is about to read or write
    (None: the case record itself — reference, phase and team — that every standing sees).

    Not visible, or visible without that category, raises Http404, exactly like missing. `write`
    refuses (403) anyone who may read it but may not record it (see `require_writer`)."""
    viewer = viewer_for(user)
    case = Case.objects.select_related("person").filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    facts = load_facts(viewer, case)
    standing = decide(viewer, facts)
    if standing is None or not standing.holds(category):
        raise Http404("No case found")
    case._standing_cache = (user.pk, standing)  # type: ignore[attr-defined]
    case._team_cache = [p for p in facts.places if p.ended_at is None]  # type: ignore[attr-defined]
    if write:
        try:
            require_writer(user, case, category, doing="change this case")
        except ActionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
    return case


# Writing -------------------------------------------------------------------------------------------
#
# One rule decides who may record something on a case: an active place on its case team, for an agency
# the user still belongs to (restriction lists already keep out those they name), holding the data category
# of what is recorded. Intelligence is written only by cleared users. Every action calls it.


def require_writer(by: User, case: Case, category: str | None, *, doing: str = "record this") -> Standing:
    """The writer's standing (with the agency they act for), or ActionRefused saying who may do it.
    `category` None: the case record itself (its team, its sharing), which any team member may change."""
    standing = _standing_or_none(by, case)
    if standing is None:
        raise Http404("No case found")  # a case the user may not see does not exist for them
    if not standing.can_write or standing.agency is None:
        raise ActionRefused(gettext("Only members of the case team can %(doing)s.") % {"doing": doing})
    if category == INTELLIGENCE and not standing.sees_intelligence:
        raise ActionRefused(
            gettext("Only cleared officers on the case team can %(doing)s. Pass it to the police CT liaison.")
            % {"doing": doing}
        )
    if not standing.holds(category):
        label = DataCategory(category).label.lower() if category in DataCategory.values else str(category)
        raise ActionRefused(
            gettext("Only members of the case team who hold %(label)s information can %(doing)s.")
            % {"label": label, "doing": doing}
        )
    return standing


def writer_agency(by: User, case: Case, category: str | None, *, doing: str) -> Agency:
    """The agency the writer acts for, after `require_writer`."""
    agency = require_writer(by, case, category, doing=doing).agency
    assert agency is not None  # require_writer refuses a standing without one
    return agency


def _standing_or_none(user: User, case: Case) -> Standing | None:
    cached_standing = getattr(case, "_standing_cache", None)
    if cached_standing is not None and cached_standing[0] == user.pk:
        standing: Standing = cached_standing[1]
        return standing
    return case_standing_or_none(user, case)


# Disclosures outside the team's own standing (a conference briefing) -----------------------------------


def disclosure_gaps(case: Case, agency: Agency, categories: list[str]) -> list[str]:
    """The categories of `categories` that `agency` may not be given about this case: those its kind
    never holds, and those its kind holds only with the person's consent when no consent is in force."""
    return disclosure_gaps_of([(case, categories)], agency)[0]


def disclosure_gaps_of(asked: Sequence[tuple[Case, list[str]]], agency: Agency) -> list[list[str]]:
    """`disclosure_gaps` for each (case, categories) asked, read together (an agenda's briefings)."""
    modes = dict(
        SharingRule.objects.filter(agency_kind=agency.kind).values_list("category", "mode").iterator()
    )
    needing = {c for _, categories in asked for c in categories if modes.get(c) == "consent"}
    consented: dict[int, set[str]] = {}
    if needing:
        today = timezone.localdate()
        rows = ConsentCategory.objects.filter(
            Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today),
            consent__person_id__in={case.person_id for case, _ in asked},
            consent__recipient_agency=agency,
            consent__withdrawn_at__isnull=True,
            consent__given_on__lte=today,
            category__in=needing,
        ).values_list("consent__person_id", "category")
        for person, category in rows:
            consented.setdefault(person, set()).add(category)
    return [
        [
            c
            for c in categories
            if modes.get(c, "never") == "never"
            or (modes.get(c) == "consent" and c not in consented.get(case.person_id, set()))
        ]
        for case, categories in asked
    ]


# Capabilities: decisions that belong to a function, held as data --------------------------------------


WHO_MAY: dict[Capability, str] = {
    Capability.CHANGE_PHASE: "the case lead or a manager of the lead agency",
    Capability.MANAGE_SHARING: "the case lead or a manager of the lead agency",
    Capability.MANAGE_TEAM: "the case lead or a manager of the lead agency",
    Capability.CHAIR_CONFERENCES: "a panel chair or the lead of a case",
    Capability.DECIDE_REQUESTS: "a person with delegated authority (ask your manager)",
    Capability.OVERRIDE_CONSENT: "a manager with the consent-override permission",
    Capability.BREAK_GLASS: "a user with the break-glass permission",
    Capability.COMPUTE_STATISTICS: "an analyst",
    Capability.PUBLISH_STATISTICS: "a person with the permission to publish statistics",
    Capability.REVIEW_CASE: "a manager of an agency working on the case, or a panel chair",
    Capability.BUILD_TRAINING: "a trainer",
    Capability.REVIEW_TRAINING: "the data protection officer or a trainer",
}

_MEMBERSHIP_FLAGS: dict[Capability, str] = {
    Capability.CHAIR_CONFERENCES: "may_chair_conferences",
    Capability.DECIDE_REQUESTS: "may_decide_requests",
    Capability.OVERRIDE_CONSENT: "may_override_consent",
    Capability.BREAK_GLASS: "may_break_glass",
    Capability.PUBLISH_STATISTICS: "may_publish_statistics",
    Capability.BUILD_TRAINING: "may_train",
}
# The membership's flags the viewer is read with: clearance, and each capability's.
VIEWER_FLAGS = ("intelligence_cleared", *_MEMBERSHIP_FLAGS.values())


# Capabilities that follow from a membership's role (or one of several flags).
_MEMBERSHIP_CONDITIONS: dict[Capability, Q] = {
    Capability.COMPUTE_STATISTICS: Q(role=Role.ANALYST),
    Capability.REVIEW_TRAINING: Q(may_train=True) | Q(role=Role.AUDITOR),
}


def has_capability(user: User, capability: Capability, case: Case | None = None) -> bool:
    """Whether the user holds the capability (on `case`, for the capabilities that are about one)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if capability in (Capability.CHANGE_PHASE, Capability.MANAGE_SHARING, Capability.MANAGE_TEAM):
        return case is not None and _leads_or_manages_lead(user, case)
    if capability == Capability.REVIEW_CASE:
        return case is not None and _reviews_case(user, case)
    memberships = Membership.objects.filter(user=user, is_active=True)
    if capability in _MEMBERSHIP_CONDITIONS:
        return memberships.filter(_MEMBERSHIP_CONDITIONS[capability]).exists()
    flag = _MEMBERSHIP_FLAGS[capability]
    if capability == Capability.DECIDE_REQUESTS and case is not None:
        # delegated authority counts in an agency that works on the case
        held = memberships.filter(agency__in=case.team.active().values("agency"), **{flag: True}).exists()
    else:
        held = flag in viewer_for(user).flags
    if held:
        return True
    if capability == Capability.CHAIR_CONFERENCES:
        return _leads_a_case(user)
    return False


def require_capability(user: User, capability: Capability, *, doing: str, case: Case | None = None) -> None:
    if not has_capability(user, capability, case):
        raise ActionRefused(
            gettext("Only %(value)s can %(doing)s.") % {"value": WHO_MAY[capability], "doing": doing}
        )


def _leads_or_manages_lead(user: User, case: Case) -> bool:
    """The active lead of the case (for an agency they still belong to), or a manager of the lead's agency.
    Reuses what the gate read when it fetched the case (team, viewer) where it can."""
    viewer = viewer_for(user)
    lead = next(
        (p for p in active_team(case) if p.responsibility == CaseTeamMember.Responsibility.LEAD), None
    )
    if lead is None:
        return False
    if lead.user_id == user.pk:
        return lead.agency_id in viewer.agencies
    return lead.agency_id in viewer.managed


def _reviews_case(user: User, case: Case) -> bool:
    """A manager of an agency with a place on the case (a learning review may come after the team has
    left it), or a panel chair who may see the case."""
    viewer = viewer_for(user)
    if case.team.filter(agency_id__in=viewer.managed).exists():
        return True
    chairs = Membership.objects.filter(user=user, is_active=True, may_chair_conferences=True).exists()
    return chairs and case_standing_or_none(user, case) is not None


def _leads_a_case(user: User) -> bool:
    return (
        CaseTeamMember.objects.leads()
        .filter(user=user)
        .with_active_agency_membership()
        .exclude(case__phase="closed")
        .exists()
    )


def standing_on_case(user: User, case: Case) -> Standing:
    """Why the user may see this case, and what of it. The case was fetched through the gate."""
    # get_case_for_user leaves its decision on the instance it fetched for this request.
    cached = getattr(case, "_standing_cache", None)
    if cached is not None and cached[0] == user.pk:
        standing: Standing = cached[1]
        return standing
    decided = case_standing_or_none(user, case)
    if decided is None:
        raise Http404("No case found")
    return decided


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications that still reach them (`unread`: of those not read yet): those naming a
    case only while they hold its category. Decided from the facts of the cases they name, read together
    (`held_on`): building the gate's SQL for each category named cost more than the rest of the page,
    and the header counts them on every page."""
    mine = Notification.objects.filter(recipient=user)
    if unread:
        mine = mine.filter(read_at__isnull=True)
    named = {pk for pk in mine.order_by().values_list("case_id", flat=True).distinct() if pk is not None}
    if not named:
        return mine
    cases_reached: dict[frozenset[str], list[int]] = {}  # what reaches them → the cases where it does
    for case_id, categories in _reaching(user, named).items():
        cases_reached.setdefault(categories, []).append(case_id)
    reach = Q(case_id=None)
    for categories, cases in cases_reached.items():
        reach |= Q(case_id__in=sorted(cases), category__in=sorted(categories))
    return mine.filter(reach)


def _reaching(user: User, named: Iterable[int]) -> dict[int, frozenset[str]]:
    """Of these cases, those whose notifications still reach the user → the notifications' categories
    that do: about the case itself (""), or about a category of it they hold."""
    return {case_id: held | {""} for case_id, held in held_on(user, named).items()}


def unread_notification_count(user: User) -> int:
    """How many of the user's unread notifications still reach them: the header's count, on every page. The
    unread counted by case and category in one reading, then decided as `notifications_for` decides them
    (about no case; about a case, on it or on a category of it the user holds)."""
    (counted,) = by_hand.read(by_hand.unread_notifications(user.pk))
    reaching = _reaching(user, {case for case, _, _ in counted if case is not None})
    return sum(n for case, category, n in counted if case is None or category in reaching.get(case, ()))


def record_case_read(
    user: User,
    case: Case,
    object_type: str,
    ids: Iterable[int],
    *,
    channel: str,
    standing: Standing | None = None,
) -> None:
    """Log that rows of one case were shown, justified by the reader's standing (the case was fetched
    through the gate; or `standing`, the one a channel of the gate gave, e.g. the training review)."""
    standing = standing or standing_on_case(user, case)
    record_consultation(
        by=user,
        agency=standing.agency,
        object_type=object_type,
        shown={case.pk: list(ids)},
        justification=standing.justification,
        channel=channel,
    )


def restricted_cases_for(user: User) -> CaseQuerySet:
    """Cases the user works on but is kept out of by a restriction list: shown only as a message. Read
    from the restrictions that could keep them out (few), not by testing every case in the service."""
    viewer = viewer_for(user)
    policy = Policy(viewer, CASE_ROWS)
    message = _could_keep_out(user).filter(case=OuterRef("pk")).order_by("kind").values("message")[:1]
    return (
        _kept_out(policy)
        .filter(policy.on_team(viewer.agencies) | policy.managing())
        .annotate(restriction_message=Subquery(message))
        .order_by("reference")
    )


def _could_keep_out(user: User) -> QuerySet[Restriction]:
    """The restrictions in force that could keep the user out of their case: few in any service."""
    return Restriction.objects.filter(
        Q(user=user, kind=Restriction.Kind.NEVER) | Q(kind=Restriction.Kind.ONLY), removed_at__isnull=True
    )


def _kept_out(policy: Policy) -> CaseQuerySet:
    """The cases a restriction keeps the viewer out of, whether or not they could otherwise see them."""
    could = _could_keep_out(policy.v.user)
    return Case.objects.filter(pk__in=could.values("case_id")).exclude(policy.not_restricted())


def count_visible(viewer: Viewer, cap: int) -> int:
    """How many cases the viewer may open, counted up to `cap` + 1 (a list's count, capped). A decided
    scope is counted as it is. Otherwise from the candidates' case ids alone, less the cases a restriction
    keeps the viewer out of (from the few restrictions that could): every candidate is a case (a foreign
    key), so no case row is read — the gate's condition on the cases reads one for each candidate, most of
    a manager's list's cost."""
    scope = decided_scope(viewer)
    if scope is not None:
        return min(len(scope), cap + 1)
    policy = Policy(viewer, CASE_ROWS)
    kept_out = list(_kept_out(policy).values_list("pk", flat=True))
    sql, params = conditions.candidates(viewer, None)
    kept, kept_ids = among("u.case_id", kept_out)
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT u.case_id FROM ({sql}) u WHERE NOT ({kept}) "
            "GROUP BY u.case_id LIMIT %s) s",
            [*(adapted(cursor.db, value) for value in params), *kept_ids, cap + 1],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def active_team(case: Case) -> list[CaseTeamMember]:
    """The active case team, reusing what the gate read when it fetched the case."""
    cached_team: list[CaseTeamMember] | None = getattr(case, "_team_cache", None)
    if cached_team is not None:
        return sorted(cached_team, key=lambda p: (p.responsibility, p.started_at))
    return list(case.team.active().select_related("user", "agency"))


def team_lead(case: Case) -> User | None:
    """The case lead, from the active team (`active_team`)."""
    return next(
        (m.user for m in active_team(case) if m.responsibility == CaseTeamMember.Responsibility.LEAD), None
    )


def case_standing_or_none(user: User, case: Case) -> Standing | None:
    """The user's standing on a case, or None where the gate would answer 404 (for agenda items)."""
    viewer = viewer_for(user)
    return decide(viewer, load_facts(viewer, case))


def case_standings_or_none(user: User, cases: Iterable[Case]) -> dict[int, Standing | None]:
    """`case_standing_or_none` for each of several cases (its id → standing or None), their facts read
    together: for a page that shows many cases each as far as the reader's standing goes (an agenda), in
    a constant number of queries however many cases it shows."""
    viewer = viewer_for(user)
    return {pk: decide(viewer, facts) for pk, facts in load_facts_of(viewer, cases).items()}


# Statistics ----------------------------------------------------------------------------------------------

# What an analyst's computation may read, in aggregate only (the engine counts; no row is ever shown): when
# people were released and by which rules, their gender and age, their outcomes, the programmes they took.
# Never risk, intelligence, health or family.
STATISTICS_CATEGORIES = frozenset(
    {DataCategory.IDENTITY, DataCategory.LEGAL, DataCategory.GENERAL, DataCategory.INTERVENTIONS}
)


def statistics_q(user: User, model: type[CaseData] | None = None) -> Q:
    """Rows (or, with no model, cases) a counting computation may read: all of them in the statistics
    categories, for an analyst, and for a trainer checking how many cases share a training case's
    combination of traits; none for anyone else."""
    categories = STATISTICS_CATEGORIES if model is None else model.categories_declared()
    counts = has_capability(user, Capability.COMPUTE_STATISTICS) or has_capability(
        user, Capability.BUILD_TRAINING
    )
    if categories <= STATISTICS_CATEGORIES and counts:
        return Q()
    return Q(pk__in=[])


# Training: the pseudonymisation channel -----------------------------------------------------------------

# What a training case may ever be made of: never intelligence (nor, decided by the pipeline, what was
# withheld from the person in a subject access answer, nor anything erased).
TRAINING_CATEGORIES = frozenset(DataCategory.values) - {DataCategory.INTELLIGENCE}


def training_source_standing(user: User, case_id: int, *, building: bool) -> tuple[Case, Standing]:
    """The case a training case is made from (or reviewed against), and what of it the user may put in or
    see there. Building: a trainer, on a case the gate lets them open, in the categories they hold.
    Reviewing: a trainer the same way, or the data protection officer, whose review of what leaves the
    record is their function (every category a training case may hold). Intelligence never. Anyone else,
    or a case not visible: 404, like missing.

    The pipeline also reads, through `cases.facts`, every identifier known of the case (family members'
    too) — to replace them, never to show them."""
    capability = Capability.BUILD_TRAINING if building else Capability.REVIEW_TRAINING
    if not has_capability(user, capability):
        raise Http404("No case found")
    case = Case.objects.select_related("person").filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    standing = case_standing_or_none(user, case)
    if standing is None and not building and _is_data_protection_officer(user):
        agency = user.primary_agency()
        standing = Standing(
            agency,
            "data protection review of a training case",
            False,
            TRAINING_CATEGORIES,
            Relation.DATA_PROTECTION,
        )
    if standing is None:
        raise Http404("No case found")
    kept = standing.categories & TRAINING_CATEGORIES
    return case, Standing(standing.agency, standing.justification, False, kept, standing.relation)


def _is_data_protection_officer(user: User) -> bool:
    return Membership.objects.filter(user=user, is_active=True, role=Role.AUDITOR).exists()


class SqlGate:
    """This gate, as the cases layer sees it through `throughcare.cases.gateway.Gate`."""

    def cases_q(self, user: User, *, per_case: bool = False) -> Q:
        return visible_cases_q(viewer_for(user), per_case=per_case)

    def count_cases(self, user: User, cap: int) -> int:
        return count_visible(viewer_for(user), cap)

    def category_q(self, user: User, category: str) -> Q:
        return case_category_q(viewer_for(user), category)

    def identity_q(self, user: User, *, per_case: bool = False) -> Q:
        return identity_visible_q(viewer_for(user), per_case=per_case)

    def identity_held(self, user: User, case_ids: list[int]) -> set[int]:
        return {pk for pk, held in held_on(user, case_ids).items() if DataCategory.IDENTITY in held}

    def rows_q(self, user: User, model: type[CaseData]) -> Q:
        return case_data_q(viewer_for(user), model)

    def standing_on_case(self, user: User, case: Case) -> Standing:
        return standing_on_case(user, case)

    def require_writer(self, by: User, case: Case, category: str | None, *, doing: str) -> Standing:
        return require_writer(by, case, category, doing=doing)

    def require_capability(self, user: User, capability: Capability, *, doing: str, case: Case) -> None:
        require_capability(user, capability, doing=doing, case=case)

    def statistics_q(self, user: User, model: type[CaseData] | None = None) -> Q:
        return statistics_q(user, model)

    def is_cleared(self, user: User) -> bool:
        return viewer_for(user).cleared
