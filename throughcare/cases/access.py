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

Everything is decided in SQL (`Case.objects.visible_to`, `TimelineEntry.objects.visible_to`). A case
the user may not see raises Http404, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.cases.models import Case, CaseTeamMember, DataCategory

if TYPE_CHECKING:
    from throughcare.sharing.models import AgreementCategory, ConsentCategory

INTELLIGENCE = DataCategory.INTELLIGENCE
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

    @property
    def residual_since(self) -> datetime:
        return self.now - timedelta(days=settings.RESIDUAL_ACCESS_DAYS)

    def categories(self, kind: str, mode: str) -> list[str]:
        return [c for c, m in self.rules.get(kind, {}).items() if m == mode and c != INTELLIGENCE]

    def holdable(self, kind: str) -> list[str]:
        return [c for c, m in self.rules.get(kind, {}).items() if m != "never" and c != INTELLIGENCE]


def viewer_for(user: User, now: datetime | None = None) -> Viewer:
    from throughcare.sharing.models import SharingRule

    if not user.is_authenticated or not user.is_active:
        return Viewer(user, {}, {}, False, {}, now or timezone.now())
    memberships = list(
        Membership.objects.filter(
            user=user, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
        ).values_list("agency_id", "agency__kind", "role", "intelligence_cleared")
    )
    rules: dict[str, dict[str, str]] = {}
    for kind, category, mode in SharingRule.objects.values_list("agency_kind", "category", "mode"):
        rules.setdefault(kind, {})[category] = mode
    return Viewer(
        user=user,
        agencies={agency: kind for agency, kind, _, _ in memberships},
        managed={agency: kind for agency, kind, role, _ in memberships if role == Role.MANAGER},
        cleared=any(kind == AgencyKind.POLICE_CT or cleared for _, kind, _, cleared in memberships),
        rules=rules,
        now=now or timezone.now(),
    )


@dataclass(frozen=True)
class Refs:
    """Where the gate finds the case, its person and (for entries) the category in the outer query."""

    case: str
    person: str
    category: str | None  # None: the category is given as a literal


CASE_ROWS = Refs(case="pk", person="person_id", category=None)
ENTRY_ROWS = Refs(case="case_id", person="case__person_id", category="category")


class Policy:
    """Builds the SQL conditions of the gate for one viewer."""

    def __init__(self, viewer: Viewer, refs: Refs) -> None:
        self.v = viewer
        self.refs = refs
        self.literal: str | None = None

    # Which cases ---------------------------------------------------------------------------------

    def case_q(self) -> Q:
        return self.not_restricted() & (
            self.on_team(self.v.agencies) | self.managing() | self.agreement_any() | self.break_glass()
        )

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

    def _agreement_in_force(self, agency: int, prefix: str = "") -> Q:
        def f(name: str) -> str:
            return prefix + name

        now = self.v.now
        return (
            Q(
                **{
                    f("case"): OuterRef(self.refs.case),
                    f("recipient_agency_id"): agency,
                    f("revoked_at__isnull"): True,
                    f("valid_from__lte"): now,
                }
            )
            & (Q(**{f("valid_until__isnull"): True}) | Q(**{f("valid_until__gt"): now}))
            & (Q(**{f("recipient_user__isnull"): True}) | Q(**{f("recipient_user"): self.v.user}))
        )

    def _consent_in_force(self, agency: int, person: OuterRef) -> Q:
        today = timezone.localdate(self.v.now)
        return Q(
            consent__person=person,
            consent__recipient_agency_id=agency,
            consent__withdrawn_at__isnull=True,
            consent__given_on__lte=today,
        ) & (Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today))

    def agreement_any(self) -> Q:
        """Some agreement in force gives the user at least one category of the case."""
        from throughcare.sharing.models import AgreementCategory, ConsentCategory, SharingAgreement

        condition = NOTHING
        for agency in self.v.agencies:
            without_consent = SharingAgreement.objects.filter(self._agreement_in_force(agency)).exclude(
                legal_basis="consent", consent_override_reason=""
            )
            consented = ConsentCategory.objects.filter(
                self._consent_in_force(agency, OuterRef(OuterRef(self.refs.person)))
            ).values("category")
            with_consent = AgreementCategory.objects.filter(
                self._agreement_in_force(agency, "agreement__"),
                agreement__legal_basis="consent",
                agreement__consent_override_reason="",
                category__in=Subquery(consented),
            )
            condition |= Q(Exists(without_consent)) | Q(Exists(with_consent))
        return condition

    def break_glass(self) -> Q:
        from throughcare.sharing.models import BreakGlass

        return Q(
            Exists(
                BreakGlass.objects.filter(
                    case=OuterRef(self.refs.case), user=self.v.user, expires_at__gt=self.v.now
                )
            )
        )

    def not_restricted(self) -> Q:
        from throughcare.sharing.models import Restriction

        active = Restriction.objects.filter(case=OuterRef(self.refs.case), removed_at__isnull=True)
        excluded = Exists(active.filter(kind=Restriction.Kind.NEVER, user=self.v.user))
        listed_only = Exists(active.filter(kind=Restriction.Kind.ONLY))
        listed_me = Exists(active.filter(kind=Restriction.Kind.ONLY, user=self.v.user))
        return ~Q(excluded) & (~Q(listed_only) | Q(listed_me))

    # Which categories ----------------------------------------------------------------------------

    def category_q(self, category: str | None = None) -> Q:
        """The entry's category (or the literal `category`) is allowed, given case access."""
        self.literal = category
        if self._is(INTELLIGENCE):
            return self.case_q() if self.v.cleared else NOTHING
        granted = NOTHING
        for agency, kind in self.v.agencies.items():
            granted |= self._team_grant(agency, kind) | self._agreement_grant(agency, kind)
        granted |= self._manager_grant() | self._break_glass_grant()
        return self.not_restricted() & granted & self._not_intelligence()

    def _team_grant(self, agency: int, kind: str) -> Q:
        team = self.on_team({agency: kind})
        always = team & self._in(self.v.categories(kind, "always"))
        with_consent = (
            team & self._in(self.v.categories(kind, "consent")) & Q(Exists(self._consented(agency)))
        )
        return always | with_consent

    def _manager_grant(self) -> Q:
        granted = NOTHING
        for agency, kind in self.v.managed.items():
            granted |= self.managing({agency: kind}) & self._in(self.v.categories(kind, "always"))
        return granted

    def _agreement_grant(self, agency: int, kind: str) -> Q:
        holdable = self._in(self.v.holdable(kind))
        free = self._agreement_categories(agency, consent_basis=False)
        needing_consent = self._agreement_categories(agency, consent_basis=True)
        return holdable & (
            Q(Exists(free)) | (Q(Exists(needing_consent)) & Q(Exists(self._consented(agency))))
        )

    def _break_glass_grant(self) -> Q:
        return self.break_glass()

    def _agreement_categories(self, agency: int, *, consent_basis: bool) -> QuerySet[AgreementCategory]:
        from throughcare.sharing.models import AgreementCategory

        rows = AgreementCategory.objects.filter(
            self._agreement_in_force(agency, "agreement__"), **self._category_match()
        )
        needs_consent = Q(agreement__legal_basis="consent", agreement__consent_override_reason="")
        return rows.filter(needs_consent) if consent_basis else rows.exclude(needs_consent)

    def _consented(self, agency: int) -> QuerySet[ConsentCategory]:
        from throughcare.sharing.models import ConsentCategory

        return ConsentCategory.objects.filter(
            self._consent_in_force(agency, OuterRef(self.refs.person)), **self._category_match()
        )

    # Helpers for literal categories (one case) and entry rows (many) -------------------------------

    def _category_match(self) -> dict[str, object]:
        if self.refs.category is None:
            return {"category": self.literal}
        return {"category": OuterRef(self.refs.category)}

    def _in(self, categories: list[str]) -> Q:
        if self.refs.category is None:
            return Q() if self.literal in categories else NOTHING
        return Q(**{f"{self.refs.category}__in": categories}) if categories else NOTHING

    def _is(self, category: str) -> bool:
        return self.refs.category is None and self.literal == category

    def _not_intelligence(self) -> Q:
        if self.refs.category is None:
            return Q()
        return ~Q(**{self.refs.category: INTELLIGENCE})


def visible_cases_q(viewer: Viewer) -> Q:
    return Policy(viewer, CASE_ROWS).case_q()


def identity_visible_q(viewer: Viewer) -> Q:
    """Cases whose person's identity (names, aliases, date of birth) the viewer may see."""
    return Policy(viewer, CASE_ROWS).category_q(DataCategory.IDENTITY)


def visible_entries_q(viewer: Viewer) -> Q:
    policy = Policy(viewer, ENTRY_ROWS)
    intelligence = Q(category=INTELLIGENCE) & policy.case_q() if viewer.cleared else NOTHING
    return policy.category_q() | intelligence


def categories_for(viewer: Viewer, case: Case) -> frozenset[str]:
    """The data categories of this case the viewer may see, in one query."""
    flags = {
        category: ExpressionWrapper(
            Policy(viewer, CASE_ROWS).category_q(category), output_field=BooleanField()
        )
        for category in DataCategory.values
    }
    row = Case.objects.filter(pk=case.pk).values(**flags).first() or {}
    return frozenset(category for category, allowed in row.items() if allowed)


# Fetching and standing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """The user's relationship to a case: what justifies their access, and whether they may write."""

    agency: Agency | None
    justification: str
    can_write: bool
    categories: frozenset[str] = frozenset()

    @property
    def sees_intelligence(self) -> bool:
        return INTELLIGENCE in self.categories


def get_case_for_user(user: User, case_id: int, *, write: bool = False) -> Case:
    try:
        case = Case.objects.visible_to(user).select_related("person").get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("No case found") from None
    if write and not standing_on_case(user, case).can_write:
        raise PermissionDenied("Only members of the case team can change this case.")
    return case


def standing_on_case(user: User, case: Case, *, with_categories: bool = False) -> Standing:
    """Why the user may see this case. The caller has already fetched the case through the gate."""
    viewer = viewer_for(user)
    standing = (
        _team_standing(viewer, case)
        or _manager_standing(viewer, case)
        or _agreement_standing(viewer, case)
        or _break_glass_standing(viewer, case)
    )
    if standing is None:
        raise Http404("No case found")
    if with_categories:
        return Standing(
            standing.agency, standing.justification, standing.can_write, categories_for(viewer, case)
        )
    return standing


def _team_standing(viewer: Viewer, case: Case) -> Standing | None:
    places = CaseTeamMember.objects.filter(case=case, user=viewer.user, agency_id__in=list(viewer.agencies))
    place = places.filter(ended_at__isnull=True).select_related("agency").first()
    if place is not None:
        return Standing(place.agency, f"case team: {place.get_responsibility_display().lower()}", True)
    former = (
        places.filter(ended_at__gt=viewer.residual_since)
        .select_related("agency")
        .order_by("-ended_at")
        .first()
    )
    if former is not None and former.ended_at is not None:
        until = timezone.localtime(former.ended_at + timedelta(days=settings.RESIDUAL_ACCESS_DAYS))
        return Standing(former.agency, f"former case team member (read access until {until:%d %b %Y})", False)
    return None


def _manager_standing(viewer: Viewer, case: Case) -> Standing | None:
    place = case.team.active().filter(agency_id__in=list(viewer.managed)).select_related("agency").first()
    if place is None:
        return None
    return Standing(place.agency, f"manager of {place.agency.label} on the case team", False)


def _agreement_standing(viewer: Viewer, case: Case) -> Standing | None:
    from throughcare.sharing.models import SharingAgreement

    agreement = (
        SharingAgreement.objects.in_force(viewer.now)
        .filter(
            Q(recipient_user__isnull=True) | Q(recipient_user=viewer.user),
            case=case,
            recipient_agency_id__in=list(viewer.agencies),
        )
        .select_related("recipient_agency")
        .first()
    )
    if agreement is None:
        return None
    basis = agreement.get_legal_basis_display().lower()
    return Standing(agreement.recipient_agency, f"sharing agreement: {agreement.purpose} ({basis})", False)


def _break_glass_standing(viewer: Viewer, case: Case) -> Standing | None:
    from throughcare.sharing.models import BreakGlass

    access = (
        BreakGlass.objects.filter(case=case, user=viewer.user, expires_at__gt=viewer.now)
        .select_related("agency")
        .first()
    )
    if access is None:
        return None
    return Standing(access.agency, f"break-glass: {access.reason}", False)


def restricted_cases_for(user: User) -> QuerySet[Case]:
    """Cases the user works on but is kept out of by a restriction list: shown only as a message."""
    from throughcare.sharing.models import Restriction

    viewer = viewer_for(user)
    policy = Policy(viewer, CASE_ROWS)
    active = Restriction.objects.filter(case=OuterRef("pk"), removed_at__isnull=True)
    return (
        Case.objects.filter(policy.on_team(viewer.agencies) | policy.managing())
        .exclude(policy.not_restricted())
        .annotate(
            restriction_message=Subquery(
                active.filter(Q(user=user, kind="never") | Q(kind="only"))
                .order_by("kind")
                .values("message")[:1]
            )
        )
        .order_by("reference")
    )
