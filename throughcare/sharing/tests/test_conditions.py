"""The gate's case conditions written by hand (`sharing/conditions.py`) select the cases the ORM form they
replaced selects, for every person of a world where each rule opens some case and fails on another:
places current, ended lately and long ago; a manager's agency's places current and ended; agreements in
force, expired, not yet in force, revoked, for someone else by name, needing consent with it given,
withdrawn or overridden; break-glass open and expired; restriction lists "never", "only" and removed.
Both forms — the candidates read once, and probed case by case — and the count of a list of all cases.
On SQLite and PostgreSQL alike (times and days are compared as each stores them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseTeamMember, DataCategory, TimelineEntry
from throughcare.sharing.access import (
    CASE_ROWS,
    NOTHING,
    Policy,
    Refs,
    Viewer,
    _read_viewer,
    count_visible,
)
from throughcare.sharing.models import (
    AgreementCategory,
    BreakGlass,
    Consent,
    ConsentCategory,
    LegalBasis,
    Restriction,
    SharingAgreement,
)
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> Cast:
    now, today = timezone.now(), timezone.localdate()
    cases = [cast.case] + [open_test_case(cast.lead, cast.probation, given=f"Case{i}") for i in range(9)]
    lately, long_ago = now - timedelta(days=10), now - timedelta(days=400)
    CaseTeamMember.objects.create(case=cases[1], user=cast.mentor, agency=cast.ngo, ended_at=lately)
    CaseTeamMember.objects.create(case=cases[2], user=cast.mentor, agency=cast.ngo, ended_at=long_ago)
    CaseTeamMember.objects.create(case=cases[3], user=cast.mentor, agency=cast.ngo)
    CaseTeamMember.objects.filter(case=cases[4]).update(ended_at=lately)  # the manager's agency left it

    def agreement(case: Case, basis: str = LegalBasis.STATUTORY_DUTY, **more: Any) -> SharingAgreement:
        made = SharingAgreement.objects.create(
            case=case,
            recipient_agency=more.pop("agency", cast.police),
            purpose="Public protection",
            legal_basis=basis,
            granted_by=cast.lead,
            **more,
        )
        AgreementCategory.objects.create(agreement=made, category="risk")
        return made

    agreement(cases[5])
    agreement(cases[6], valid_until=now - timedelta(days=1))
    agreement(cases[6], valid_from=now + timedelta(days=1))
    agreement(cases[6], revoked_at=now - timedelta(hours=1))
    agreement(cases[6], recipient_user=cast.police_outsider)
    agreement(cases[7], recipient_user=cast.police_liaison)
    for case, state in ((cases[8], {}), (cases[9], {"withdrawn_at": now})):
        agreement(case, LegalBasis.CONSENT, agency=cast.ngo)
        consent = Consent.objects.create(
            person=case.person,
            recipient_agency=cast.ngo,
            purpose="Mentoring",
            given_on=today - timedelta(days=3),
            recorded_by=cast.lead,
            **state,
        )
        ConsentCategory.objects.create(consent=consent, category="risk")
    agreement(cases[9], LegalBasis.CONSENT, agency=cast.police, consent_override_reason="Imminent risk")
    # The mentor's team places need consent for some categories: given for two, one of them expired.
    for person, category, expires in ((cases[0].person, "health", None), (cases[1].person, "family", today)):
        consent = Consent.objects.create(
            person=person,
            recipient_agency=cast.ngo,
            purpose="Mentoring",
            given_on=today - timedelta(days=30),
            expires_on=expires,
            recorded_by=cast.lead,
        )
        ConsentCategory.objects.create(consent=consent, category=category)
    expired = Consent.objects.create(
        person=cases[0].person,
        recipient_agency=cast.ngo,
        purpose="Mentoring",
        given_on=today - timedelta(days=30),
        expires_on=today - timedelta(days=1),
        recorded_by=cast.lead,
    )
    ConsentCategory.objects.create(consent=expired, category="legal")
    for case, user, hours in ((cases[6], cast.stranger, 1), (cases[7], cast.stranger, -1)):
        BreakGlass.objects.create(
            case=case,
            user=user,
            agency=cast.probation,
            reason="Imminent risk",
            expires_at=now + timedelta(hours=hours),
        )
    for case, user, kind, removed in (
        (cases[3], cast.mentor, "never", None),
        (cases[5], cast.police_outsider, "only", None),
        (cases[8], cast.mentor, "only", now),
        (cases[0], cast.manager, "never", None),
    ):
        Restriction.objects.create(
            case=case, user=user, kind=kind, reason="r", created_by=cast.lead, removed_at=removed
        )
    return cast


def candidates_by_orm(v: Viewer, outer: str | None) -> QuerySet[Any]:
    """The ORM form the hand-written candidates replaced (the specification)."""
    case = {"case": OuterRef(outer)} if outer else {}
    parts: list[QuerySet[Any]] = []
    if v.agencies:
        places = CaseTeamMember.objects.filter(user=v.user, agency_id__in=list(v.agencies), **case)
        parts.append(places.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=v.residual_since)))
    if v.managed:
        parts.append(CaseTeamMember.objects.filter(agency_id__in=list(v.managed), ended_at=None, **case))
    for agency in v.agencies:
        in_force = (
            Q(recipient_agency_id=agency, revoked_at=None, valid_from__lte=v.now)
            & (Q(valid_until=None) | Q(valid_until__gt=v.now))
            & (Q(recipient_user=None) | Q(recipient_user=v.user))
        )
        agreements = SharingAgreement.objects.filter(in_force, **case)
        parts.append(agreements.exclude(legal_basis="consent", consent_override_reason=""))
        today = timezone.localdate(v.now)
        consented = ConsentCategory.objects.filter(
            Q(consent__expires_on=None) | Q(consent__expires_on__gte=today),
            consent__person=OuterRef("agreement__case__person_id"),
            consent__recipient_agency_id=agency,
            consent__withdrawn_at=None,
            consent__given_on__lte=today,
        ).values("category")
        with_consent = AgreementCategory.objects.filter(
            agreement__in=SharingAgreement.objects.filter(in_force),
            agreement__legal_basis="consent",
            agreement__consent_override_reason="",
            category__in=consented,
            **{f"agreement__{name}": ref for name, ref in case.items()},
        )
        parts.append(with_consent.annotate(case_id=F("agreement__case_id")))
    parts.append(BreakGlass.objects.filter(user=v.user, expires_at__gt=v.now, **case))
    first, *rest = [part.order_by().values("case_id") for part in parts]
    return first.union(*rest, all=True) if rest else first


def not_restricted_by_orm(v: Viewer, outer: str) -> Q:
    active = Restriction.objects.filter(case=OuterRef(outer), removed_at=None)
    excluded = Exists(active.filter(kind="never", user=v.user))
    return ~Q(excluded) & (
        ~Q(Exists(active.filter(kind="only"))) | Q(Exists(active.filter(kind="only", user=v.user)))
    )


class OrmGrants(Policy):
    """The ORM form of the category grants that `conditions.granted` replaced (the specification)."""

    def granted_q(self, category: str | None) -> Q:
        self.literal = category
        granted = NOTHING
        for agency, kind in self.v.agencies.items():
            team = self.on_team({agency: kind})
            granted |= team & self._in(self.v.categories(kind, "always"))
            granted |= (
                team & self._in(self.v.categories(kind, "consent")) & Q(Exists(self._consented(agency)))
            )
            free, needing = (
                self._agreement_categories(agency, consent_basis=basis) for basis in (False, True)
            )
            granted |= self._in(self.v.holdable(kind)) & (
                Q(Exists(free)) | (Q(Exists(needing)) & Q(Exists(self._consented(agency))))
            )
        for agency, kind in self.v.managed.items():
            granted |= self.managing({agency: kind}) & self._in(self.v.categories(kind, "always"))
        on_case = BreakGlass.objects.filter(
            case=OuterRef(self.refs.case), user=self.v.user, expires_at__gt=self.v.now
        )
        return granted | Q(Exists(on_case))

    def _agreement_categories(self, agency: int, *, consent_basis: bool) -> QuerySet[AgreementCategory]:
        in_force = Q(
            agreement__case=OuterRef(self.refs.case),
            agreement__recipient_agency_id=agency,
            agreement__revoked_at=None,
            agreement__valid_from__lte=self.v.now,
        ) & (Q(agreement__valid_until=None) | Q(agreement__valid_until__gt=self.v.now))
        by_name = Q(agreement__recipient_user=None) | Q(agreement__recipient_user=self.v.user)
        rows = AgreementCategory.objects.filter(in_force, by_name, **self._category_match())
        needs_consent = Q(agreement__legal_basis="consent", agreement__consent_override_reason="")
        return rows.filter(needs_consent) if consent_basis else rows.exclude(needs_consent)

    def _consented(self, agency: int) -> QuerySet[ConsentCategory]:
        today = timezone.localdate(self.v.now)
        return ConsentCategory.objects.filter(
            Q(consent__expires_on=None) | Q(consent__expires_on__gte=today),
            consent__person=OuterRef(self.refs.person),
            consent__recipient_agency_id=agency,
            consent__withdrawn_at=None,
            consent__given_on__lte=today,
            **self._category_match(),
        )

    def _category_match(self) -> dict[str, object]:
        if self.refs.category is None:
            return {"category": self.literal}
        return {"category": OuterRef(self.refs.category)}

    def _in(self, categories: list[str]) -> Q:
        if self.refs.category is None:
            return Q() if self.literal in categories else NOTHING
        return Q(**{f"{self.refs.category}__in": categories}) if categories else NOTHING


def ids(rows: QuerySet[Any]) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def test_the_conditions_written_by_hand_select_what_the_orm_form_selects(world: Cast) -> None:
    seen = {"candidates": 0, "kept out": 0}
    for user in User.objects.all():
        v = _read_viewer(user, timezone.now())
        policy = Policy(v, CASE_ROWS)
        expected = ids(Case.objects.filter(pk__in=candidates_by_orm(v, None)))
        assert ids(Case.objects.filter(policy.among_candidates())) == expected, user
        assert ids(Case.objects.filter(policy.each_case())) == expected, user
        assert ids(Case.objects.filter(Exists(candidates_by_orm(v, "pk")))) == expected, user
        allowed = ids(Case.objects.filter(not_restricted_by_orm(v, "pk")))
        assert ids(Case.objects.filter(policy.not_restricted())) == allowed, user
        assert count_visible(v, 100) == len(expected & allowed), user
        seen["candidates"] += len(expected)
        seen["kept out"] += Case.objects.count() - len(allowed)
        # On a case's rows (the case one join away), the same cases.
        rows = Policy(v, Refs(case="case", person="case__person", category=None))
        entries = TimelineEntry.objects.filter(rows.case_q()).values_list("case_id", flat=True)
        assert set(entries) <= expected & allowed
    assert all(seen.values()), seen


def test_each_rule_opens_the_case_it_should(world: Cast) -> None:
    """The world exercises every arm: who sees which of its cases (read through the hand-written form)."""
    cases = list(Case.objects.order_by("pk").values_list("pk", flat=True))

    def sees(user: User) -> set[int]:
        policy = Policy(_read_viewer(user, timezone.now()), CASE_ROWS)
        return {cases.index(pk) for pk in ids(Case.objects.filter(policy.case_q()))}

    assert sees(world.mentor) == {0, 1, 8}  # on the team; ended lately; consent in force (not withdrawn)
    assert sees(world.police_liaison) == {0, 7, 9}  # by name for them; consent overridden; not 5 (only)
    assert sees(world.police_outsider) == {5, 6, 9}  # on the "only" list; by name for them
    assert sees(world.stranger) == {6}  # break-glass open, not the expired one
    assert sees(world.manager) == {1, 2, 3, 6, 7, 8, 9}  # the agency's current places, not 0 (never), 5
    assert sees(world.lead) == {0, 1, 2, 3, 4, 6, 7, 8, 9}  # 4: ended lately (residual)


def test_the_grants_written_by_hand_give_what_the_orm_form_gives(world: Cast) -> None:
    """Each category asked of the cases (a literal), and each entry's own category (a column)."""
    categories = [c for c in DataCategory.values if c != DataCategory.INTELLIGENCE]
    for case in Case.objects.all():
        for category in DataCategory.values:
            TimelineEntry.objects.create(
                case=case,
                author=world.lead,
                category=category,
                body=f"{category} note",
                nature="fact",
                occurred_at=timezone.now(),
            )
    held = 0
    for user in User.objects.all():
        v = _read_viewer(user, timezone.now())
        for category in categories:
            expected = ids(Case.objects.filter(OrmGrants(v, CASE_ROWS).granted_q(category)))
            got = ids(Case.objects.filter(Policy(v, CASE_ROWS).category_q(category, per_case=True)))
            restricted_out = ids(Case.objects.exclude(Policy(v, CASE_ROWS).not_restricted()))
            assert got == expected - restricted_out, (user, category)
            held += len(got)
        entries = Refs(case="case", person="case__person", category="category")
        expected_rows = ids(TimelineEntry.objects.filter(OrmGrants(v, entries).granted_q(None)))
        got_rows = ids(TimelineEntry.objects.filter(Policy(v, entries).category_q(per_case=True)))
        restricted_rows = ids(TimelineEntry.objects.exclude(Policy(v, entries).not_restricted()))
        intelligence = ids(TimelineEntry.objects.filter(category=DataCategory.INTELLIGENCE))
        assert got_rows == expected_rows - restricted_rows - intelligence, user
    assert held
