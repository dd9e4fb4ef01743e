"""Property: in any small random world, no user ever receives an entry the written policy does not allow.

The policy is written out again below, plainly and independently of the SQL in `cases/access.py`,
and compared on every channel the gate feeds: visible cases, visible entries across cases, and the
categories shown on one case's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.cases.models import Case, CaseTeamMember, DataCategory, TimelineEntry
from throughcare.lib.request_cache import request_scope
from throughcare.notifications.models import Notification
from throughcare.people.models import Person
from throughcare.sharing.access import (
    categories_for,
    decide,
    decided_scope,
    held_on,
    load_facts,
    notifications_for,
    restricted_cases_for,
    unread_notification_count,
    viewer_for,
)
from throughcare.sharing.defaults import DEFAULT_MATRIX
from throughcare.sharing.models import (
    AgreementCategory,
    BreakGlass,
    Consent,
    ConsentCategory,
    Restriction,
    SharingAgreement,
)

KINDS = ["probation", "police_ct", "ngo"]  # agency i has kind KINDS[i]
USERS, CASES = 4, 2
CATEGORIES = list(DataCategory.values)
INT = "intelligence"
ROLES = [Role.PRACTITIONER, Role.MANAGER, Role.AUDITOR, Role.ANALYST]
RESIDUAL = 90


@dataclass(frozen=True)
class M:  # membership
    user: int
    agency: int
    role: str
    active: bool
    cleared: bool


@dataclass(frozen=True)
class P:  # place on a case team; ended: None, or days ago
    case: int
    user: int
    agency: int
    ended: int | None


@dataclass(frozen=True)
class A:  # agreement
    case: int
    agency: int
    user: int | None
    categories: frozenset[str]
    consent_basis: bool
    overridden: bool
    state: str  # in_force, expired, future, revoked


@dataclass(frozen=True)
class C:  # consent
    case: int  # the case's person
    agency: int
    categories: frozenset[str]
    state: str  # in_force, withdrawn, expired


@dataclass(frozen=True)
class R:  # restriction
    case: int
    user: int
    kind: str


@dataclass(frozen=True)
class B:  # break-glass
    case: int
    user: int
    open: bool


@dataclass(frozen=True)
class World:
    members: list[M]
    places: list[P]
    agreements: list[A]
    consents: list[C]
    restrictions: list[R]
    breaks: list[B]


users, agencies, cases = st.integers(0, USERS - 1), st.integers(0, len(KINDS) - 1), st.integers(0, CASES - 1)
cats = st.frozensets(st.sampled_from(CATEGORIES), min_size=1, max_size=4)
worlds = st.builds(
    World,
    members=st.lists(
        st.builds(M, users, agencies, st.sampled_from(ROLES), st.booleans(), st.booleans()),
        max_size=7,
        unique_by=lambda m: (m.user, m.agency, m.role),
    ),
    places=st.lists(
        st.builds(P, cases, users, agencies, st.sampled_from([None, None, 10, 200])),
        max_size=6,
        unique_by=lambda p: (p.case, p.user) if p.ended is None else (p.case, p.user, p.agency, p.ended),
    ),
    agreements=st.lists(
        st.builds(
            A,
            cases,
            agencies,
            st.one_of(st.none(), users),
            cats,
            st.booleans(),
            st.booleans(),
            st.sampled_from(["in_force", "in_force", "expired", "future", "revoked"]),
        ),
        max_size=3,
    ),
    consents=st.lists(
        st.builds(C, cases, agencies, cats, st.sampled_from(["in_force", "withdrawn", "expired"])), max_size=3
    ),
    restrictions=st.lists(
        st.builds(R, cases, users, st.sampled_from(["only", "never"])),
        max_size=2,
        unique_by=lambda r: (r.case, r.user),
    ),
    breaks=st.lists(st.builds(B, cases, users, st.booleans()), max_size=2),
)


class Policy:
    """The written policy, evaluated in Python over the world's plain data."""

    def __init__(self, w: World) -> None:
        self.w = w

    def works_at(self, u: int) -> dict[int, str]:
        return {
            m.agency: KINDS[m.agency]
            for m in self.w.members
            if m.user == u and m.active and m.role in (Role.PRACTITIONER, Role.MANAGER)
        }

    def manages(self, u: int) -> set[int]:
        return {m.agency for m in self.w.members if m.user == u and m.active and m.role == Role.MANAGER}

    def cleared(self, u: int) -> bool:
        return any(KINDS[a] == "police_ct" for a in self.works_at(u)) or any(
            m.cleared
            for m in self.w.members
            if m.user == u and m.active and m.role in (Role.PRACTITIONER, Role.MANAGER)
        )

    def restricted(self, u: int, c: int) -> bool:
        mine = [r for r in self.w.restrictions if r.case == c]
        never = any(r.kind == "never" and r.user == u for r in mine)
        only = [r.user for r in mine if r.kind == "only"]
        return never or (bool(only) and u not in only)

    def on_team(self, u: int, c: int, a: int) -> bool:
        return any(
            p.case == c and p.user == u and p.agency == a and (p.ended is None or p.ended < RESIDUAL)
            for p in self.w.places
        )

    def consent(self, c: int, a: int, cat: str) -> bool:
        return any(
            k.case == c and k.agency == a and cat in k.categories and k.state == "in_force"
            for k in self.w.consents
        )

    def agreements(self, u: int, c: int, a: int) -> list[A]:
        return [
            g
            for g in self.w.agreements
            if g.case == c and g.agency == a and g.state == "in_force" and g.user in (None, u)
        ]

    def free(self, g: A) -> bool:
        return not g.consent_basis or g.overridden

    def glass(self, u: int, c: int) -> bool:
        return any(b.case == c and b.user == u and b.open for b in self.w.breaks)

    def managing(self, u: int, c: int, a: int) -> bool:
        return a in self.manages(u) and any(
            p.case == c and p.agency == a and p.ended is None for p in self.w.places
        )

    def case_visible(self, u: int, c: int) -> bool:
        if self.restricted(u, c):
            return False
        mine = self.works_at(u)
        return (
            any(self.on_team(u, c, a) for a in mine)
            or any(self.managing(u, c, a) for a in mine)
            or any(
                self.free(g) or any(self.consent(c, a, x) for x in g.categories)
                for a in mine
                for g in self.agreements(u, c, a)
            )
            or self.glass(u, c)
        )

    def entry_visible(self, u: int, c: int, cat: str) -> bool:
        if self.restricted(u, c):
            return False
        if cat == INT:
            return self.cleared(u) and self.case_visible(u, c)
        return any(self.by_agency(u, c, a, cat) for a in self.works_at(u)) or self.glass(u, c)

    def by_agency(self, u: int, c: int, a: int, cat: str) -> bool:
        mode = DEFAULT_MATRIX[KINDS[a]].get(cat, "never")
        team = self.on_team(u, c, a) and (mode == "always" or (mode == "consent" and self.consent(c, a, cat)))
        managed = self.managing(u, c, a) and mode == "always"
        agreed = mode != "never" and any(
            cat in g.categories and (self.free(g) or self.consent(c, a, cat))
            for g in self.agreements(u, c, a)
        )
        return team or managed or agreed


class GateProperties(TestCase):
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds)
    # Worlds worth checking every time, whatever the random search finds:
    @example(
        World(  # an agreement naming a category the recipient can never hold (police: health)
            members=[M(0, 1, Role.PRACTITIONER, True, False)],
            places=[],
            agreements=[A(0, 1, None, frozenset({"health", "risk"}), False, False, "in_force")],
            consents=[],
            restrictions=[],
            breaks=[],
        )
    )
    @example(
        World(  # consent-based agreement, consent for one category only, and an only-list
            members=[M(0, 2, Role.PRACTITIONER, True, False), M(1, 0, Role.MANAGER, True, True)],
            places=[P(0, 1, 0, None), P(1, 0, 2, 10)],
            agreements=[A(0, 2, 0, frozenset({"risk", "family"}), True, False, "in_force")],
            consents=[C(0, 2, frozenset({"risk"}), "in_force")],
            restrictions=[R(1, 1, "only")],
            breaks=[B(0, 3, True)],
        )
    )
    def test_no_user_ever_receives_an_entry_the_policy_does_not_allow(self, world: World) -> None:
        built = Builder(world)
        policy = Policy(world)
        for u, user in enumerate(built.users):
            Notification.objects.bulk_create(
                [Notification(recipient=user, subject="Not about a case")]
                + [
                    Notification(recipient=user, subject="About a case", case_id=case.pk, category=cat)
                    for case in built.cases
                    for cat in ["", *CATEGORIES]
                ]
            )
            # Every channel in the gate's SQL form (a request that writes, or outside a request), then in
            # a request that only reads, where the viewer's small scope is decided once from its facts.
            check_channels(built, policy, u, user, world)
            with request_scope(method="GET"):
                assert decided_scope(viewer_for(user)) is not None, ("scope not decided", u, world)
                check_channels(built, policy, u, user, world)
                assert decided_scope(viewer_for(user), if_decided=True) is not None
            viewer = viewer_for(user)
            for c, case in enumerate(built.cases):
                # One case (the case page, its partials and export): visibility and categories.
                standing = decide(viewer, load_facts(viewer, case))
                assert (standing is not None) == policy.case_visible(u, c), ("one case", u, c, world)
                expected_here = {cat for cat in CATEGORIES if policy.entry_visible(u, c, cat)}
                assert categories_for(viewer, case) == (expected_here if standing else set()), (
                    "page",
                    u,
                    c,
                    world,
                )


def check_channels(built: Builder, policy: Policy, u: int, user: User, world: World) -> None:
    """The cases, the names on a page, the entries, cases decided together and the notifications that
    reach the user: each as the written policy says."""
    seen_cases = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    expected_cases = {built.cases[c].pk for c in range(CASES) if policy.case_visible(u, c)}
    assert seen_cases == expected_cases, ("cases", u, world)
    # Counted as a list of all of them counts them (from the candidates, less the cases kept out), capped.
    assert Case.objects.count_visible_to(user, 1000) == len(expected_cases), ("counted", u, world)
    assert Case.objects.count_visible_to(user, 1) == min(len(expected_cases), 2), (
        "counted, capped",
        u,
        world,
    )
    # The same cases probed case by case (a list walking the activity index), and the names
    # shown on such a page: the grants alone, probed for each case already shown.
    walked = set(Case.objects.visible_to(user, per_case=True).values_list("pk", flat=True))
    assert walked == expected_cases, ("cases, walked", u, world)
    flagged = Case.objects.flag_identity(user, list(Case.objects.filter(pk__in=seen_cases)))
    named = {case.pk for case in flagged if case.shows_identity}  # type: ignore[attr-defined]
    expected_named = {built.cases[c].pk for c in range(CASES) if policy.entry_visible(u, c, "identity")}
    assert named == expected_named, ("names on a walked page", u, world)
    # The cases they work on but are kept out of, named by a message where the case would be.
    works = policy.works_at(u)
    kept_out = {
        built.cases[c].pk
        for c in range(CASES)
        if policy.restricted(u, c) and any(policy.on_team(u, c, a) or policy.managing(u, c, a) for a in works)
    }
    assert set(restricted_cases_for(user).values_list("pk", flat=True)) == kept_out, ("kept out", u, world)
    # The names of a few cases a list names, each case probed (`attention.names_shown`).
    probed = set(Case.objects.identity_visible_to(user, per_case=True).values_list("pk", flat=True))
    assert probed == expected_named, ("names probed", u, world)
    some = {built.cases[c].pk for c in range(0, CASES, 2)}
    among = Case.objects.identity_visible_to(user, per_case=True, among=some).values_list("pk", flat=True)
    assert set(among) == expected_named & some, ("names of some cases", u, world)
    seen = set(TimelineEntry.objects.visible_to(user).values_list("case_id", "category"))
    expected = {
        (built.cases[c].pk, cat)
        for c in range(CASES)
        for cat in CATEGORIES
        if policy.entry_visible(u, c, cat)
    }
    assert seen == expected, ("entries", u, world)
    # Several cases decided together (the notifications the header counts): the same as each alone.
    together = held_on(user, [case.pk for case in built.cases])
    assert together == {
        built.cases[c].pk: frozenset(cat for cat in CATEGORIES if policy.entry_visible(u, c, cat))
        for c in range(CASES)
        if policy.case_visible(u, c)
    }, ("cases together", u, world)
    # A notification naming a case reaches them while they hold its category: the header's count
    # (decided from facts) and the notifications page's rows (the gate's SQL) agree with the policy.
    reaching = 1 + sum(
        policy.case_visible(u, c) and (not cat or policy.entry_visible(u, c, cat))
        for c in range(CASES)
        for cat in ["", *CATEGORIES]
    )
    assert unread_notification_count(user) == reaching, ("notifications counted", u, world)
    assert notifications_for(user, unread=True).count() == reaching, ("notifications", u, world)


class Builder:
    """Writes the world into the database."""

    def __init__(self, w: World) -> None:
        now = timezone.now()
        self.agencies = [
            Agency.objects.create(name=f"A{i}", kind=k, region="R", country="XT") for i, k in enumerate(KINDS)
        ]
        self.users = [User.objects.create(username=f"u{i}") for i in range(USERS)]
        self.cases = [
            Case.objects.create(
                reference=f"C{i}", person=Person.objects.create(given_name="P", family_name=str(i))
            )
            for i in range(CASES)
        ]
        for m in w.members:
            Membership.objects.create(
                user=self.users[m.user],
                agency=self.agencies[m.agency],
                role=m.role,
                is_active=m.active,
                intelligence_cleared=m.cleared,
            )
        for p in w.places:
            CaseTeamMember.objects.create(
                case=self.cases[p.case],
                user=self.users[p.user],
                agency=self.agencies[p.agency],
                responsibility="supporting",
                ended_at=None if p.ended is None else now - timedelta(days=p.ended),
            )
        for g in w.agreements:
            self.agreement(g, now)
        for k in w.consents:
            self.consent(k, now)
        for r in w.restrictions:
            Restriction.objects.create(
                case=self.cases[r.case],
                user=self.users[r.user],
                kind=r.kind,
                message="m",
                reason="r",
                created_by=self.users[0],
            )
        for b in w.breaks:
            BreakGlass.objects.create(
                case=self.cases[b.case],
                user=self.users[b.user],
                agency=self.agencies[0],
                reason="r",
                expires_at=now + timedelta(hours=1 if b.open else -1),
            )
        for case in self.cases:
            TimelineEntry.objects.bulk_create(
                TimelineEntry(
                    case=case, category=cat, nature="fact", body=cat, occurred_at=now, author=self.users[0]
                )
                for cat in CATEGORIES
            )

    def agreement(self, g: A, now: datetime) -> None:
        day = timedelta(days=1)
        valid_from = now + day if g.state == "future" else now - day
        agreement = SharingAgreement.objects.create(
            case=self.cases[g.case],
            recipient_agency=self.agencies[g.agency],
            recipient_user=None if g.user is None else self.users[g.user],
            purpose="p",
            legal_basis="consent" if g.consent_basis else "statutory_duty",
            valid_from=valid_from,
            valid_until=now - timedelta(hours=1) if g.state == "expired" else None,
            granted_by=self.users[0],
            consent_override_reason="urgent" if g.overridden else "",
            revoked_at=now - timedelta(hours=1) if g.state == "revoked" else None,
        )
        AgreementCategory.objects.bulk_create(
            AgreementCategory(agreement=agreement, category=c) for c in g.categories
        )

    def consent(self, k: C, now: datetime) -> None:
        today = timezone.localdate(now)
        consent = Consent.objects.create(
            person=self.cases[k.case].person,
            recipient_agency=self.agencies[k.agency],
            purpose="p",
            evidence="e",
            given_on=today - timedelta(days=30),
            recorded_by=self.users[0],
            expires_on=today - timedelta(days=1) if k.state == "expired" else None,
            withdrawn_at=now if k.state == "withdrawn" else None,
        )
        ConsentCategory.objects.bulk_create(
            ConsentCategory(consent=consent, category=c) for c in k.categories
        )
