"""The facts read by hand (`sharing/facts.py`) are the rows the ORM queries they replace return, in every
state a fact can be in: places current, ended lately and long ago, of the viewer and of agencies they
manage; agreements in force, expired, not yet in force, revoked, for an agency and for someone by name;
consents in force, withdrawn, expired and not yet given; restrictions in force and removed; break-glass
open and expired. On SQLite
and PostgreSQL alike (times and days are compared as each stores them)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.people.models import Person
from throughcare.sharing import facts
from throughcare.sharing.access import VIEWER_FLAGS, Viewer, _read_viewer
from throughcare.sharing.models import (
    AgreementCategory,
    BreakGlass,
    Consent,
    ConsentCategory,
    LegalBasis,
    Restriction,
    SharingAgreement,
    SharingRule,
)
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> Cast:
    now = timezone.now()
    # People without a case, so that no case's id is its person's (a case id read as a person's fails).
    Person.objects.bulk_create([Person(given_name="No", family_name="Case") for _ in range(3)])
    second = open_test_case(cast.lead, cast.probation, given="Second")
    third = open_test_case(cast.manager, cast.probation, given="Third")
    CaseTeamMember.objects.create(
        case=third, user=cast.lead, agency=cast.probation, ended_at=now - timedelta(days=10)
    )
    CaseTeamMember.objects.create(
        case=second, user=cast.mentor, agency=cast.ngo, ended_at=now - timedelta(days=400)
    )
    states = {
        "in force": {},
        "expired": {"valid_until": now - timedelta(days=1)},
        "not yet": {"valid_from": now + timedelta(days=1)},
        "revoked": {"revoked_at": now - timedelta(hours=1)},
    }
    for case in (cast.case, second, third):
        for agency, by_name in ((cast.police, None), (cast.ngo, cast.mentor), (cast.ngo, cast.lead)):
            for state in states.values():
                agreement = SharingAgreement.objects.create(
                    case=case,
                    recipient_agency=agency,
                    recipient_user=by_name,
                    purpose="Public protection",
                    legal_basis=LegalBasis.CONSENT,
                    granted_by=cast.lead,
                    **state,
                )
                AgreementCategory.objects.create(agreement=agreement, category="risk")
                AgreementCategory.objects.create(agreement=agreement, category="health")
        today = timezone.localdate()
        for agency in (cast.ngo, cast.police):
            for category, given, more in (  # a category each, so that each consent's row is its own
                ("interventions", today, {}),
                ("risk", today - timedelta(days=5), {"withdrawn_at": now}),
                ("health", today - timedelta(days=5), {"expires_on": today - timedelta(days=1)}),
                ("family", today + timedelta(days=2), {}),
                ("general", today - timedelta(days=5), {"expires_on": today}),
            ):
                consent = Consent.objects.create(
                    person=case.person,
                    recipient_agency=agency,
                    purpose="Mentoring",
                    given_on=given,
                    recorded_by=cast.lead,
                    **more,
                )
                ConsentCategory.objects.create(consent=consent, category=category)
    Restriction.objects.create(case=second, user=cast.mentor, kind="never", reason="r", created_by=cast.lead)
    for case, user, expires in ((second, cast.lead, 1), (third, cast.lead, -1), (cast.case, cast.mentor, 2)):
        BreakGlass.objects.create(
            case=case,
            user=user,
            agency=cast.probation,
            reason="Imminent risk",
            expires_at=now + timedelta(hours=expires),
        )
    Restriction.objects.create(
        case=third, user=cast.police_liaison, kind="only", reason="r", created_by=cast.lead, removed_at=now
    )
    return cast


def places_by_orm(v: Viewer, cases: list[int] | None) -> set[tuple[object, ...]]:
    mine = Q(user=v.user, agency_id__in=list(v.agencies)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gt=v.residual_since)
    )
    found = CaseTeamMember.objects.filter(mine | Q(agency_id__in=list(v.managed), ended_at__isnull=True))
    if cases is not None:
        found = found.filter(case_id__in=cases)
    fields = ("case_id", "case__person_id", "user_id", "agency_id", "ended_at", "responsibility")
    return set(found.values_list(*fields))


def agreements_by_orm(v: Viewer, cases: list[int] | None) -> list[tuple[object, ...]]:
    found = AgreementCategory.objects.filter(
        Q(agreement__valid_until__isnull=True) | Q(agreement__valid_until__gt=v.now),
        Q(agreement__recipient_user__isnull=True) | Q(agreement__recipient_user=v.user),
        agreement__recipient_agency_id__in=list(v.agencies),
        agreement__revoked_at__isnull=True,
        agreement__valid_from__lte=v.now,
    ).order_by("pk")
    if cases is not None:
        found = found.filter(agreement__case_id__in=cases)
    fields = ("agreement__case_id", "agreement__recipient_agency_id", "category", "agreement__legal_basis")
    more = ("agreement__consent_override_reason", "agreement__purpose", "agreement__case__person_id")
    return list(found.values_list(*fields, *more))


def consents_by_orm(people: set[int], v: Viewer) -> set[tuple[object, ...]]:
    today = timezone.localdate(v.now)
    return set(
        ConsentCategory.objects.filter(
            Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today),
            consent__person_id__in=people,
            consent__recipient_agency_id__in=list(v.agencies),
            consent__withdrawn_at__isnull=True,
            consent__given_on__lte=today,
        ).values_list("consent__person_id", "consent__recipient_agency_id", "category")
    )


def test_each_fact_read_by_hand_is_the_row_the_orm_reads(world: Cast) -> None:
    """Each reader alone, and all of a decision's readers sent together (one round trip on PostgreSQL):
    the rows of each are the ORM's, in the order asked."""
    cases = sorted(set(CaseTeamMember.objects.values_list("case_id", flat=True)))
    people = set(Case.objects.values_list("person_id", flat=True))
    assert len(cases) == 3
    seen = {"places": 0, "agreements": 0, "consents": 0, "break-glass": 0, "restrictions": 0}
    now = timezone.now()
    for user in User.objects.all():
        v = _read_viewer(user, now)
        today = timezone.localdate(v.now)
        for among in (None, cases, cases[1:], []):
            statements = (
                facts.places(user.pk, list(v.agencies), list(v.managed), v.residual_since, among, None),
                facts.agreements(user.pk, list(v.agencies), v.now, among, None),
                facts.break_glass(user.pk, now, among),
                facts.restrictions(cases if among is None else among),
                facts.consents_on(cases if among is None else among, list(v.agencies), today),
            )
            places, agreements, opened, restrictions, consented = facts.read(*statements)
            assert [facts.read(statement)[0] for statement in statements] == [
                places,
                agreements,
                opened,
                restrictions,
                consented,
            ]
            assert set(places) == places_by_orm(v, among)
            assert agreements == agreements_by_orm(v, among)
            assert set(opened) == break_glass_by_orm(user, now, among)
            restricted = Restriction.objects.filter(case_id__in=cases if among is None else among)
            expected = restricted.filter(removed_at__isnull=True).values_list("case_id", "user_id", "kind")
            assert set(restrictions) == set(expected)
            of_cases = Case.objects.filter(pk__in=cases if among is None else among).values("person_id")
            assert set(consented) == consents_by_orm(set(of_cases.values_list("person_id", flat=True)), v)
            for name, rows in zip(seen, (places, agreements, consented, opened, restrictions), strict=True):
                seen[name] += len(rows)
        assert set(facts.read(facts.consents(people, list(v.agencies), today))[0]) == consents_by_orm(
            people, v
        )
    assert all(seen.values()), seen  # the world holds facts of each kind that reach someone


def break_glass_by_orm(user: User, now: datetime, among: list[int] | None) -> set[tuple[object, ...]]:
    opened = BreakGlass.objects.filter(user=user, expires_at__gt=now)
    opened = opened if among is None else opened.filter(case_id__in=among)
    return set(opened.values_list("case_id", "case__person_id", "id"))


def viewer_by_orm(user: User, now: datetime) -> Viewer:
    """The viewer as the ORM read it before it was read by hand (the specification)."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).select_related("agency").order_by("pk")
    )
    working = [m for m in memberships if m.role in (Role.PRACTITIONER, Role.MANAGER)]
    rules: dict[str, dict[str, str]] = {}
    for kind, category, mode in SharingRule.objects.values_list("agency_kind", "category", "mode"):
        rules.setdefault(kind, {})[category] = mode
    return Viewer(
        user=user,
        agencies={m.agency_id: m.agency.kind for m in working},
        managed={m.agency_id: m.agency.kind for m in working if m.role == Role.MANAGER},
        cleared=any(m.agency.kind == AgencyKind.POLICE_CT or m.intelligence_cleared for m in working),
        rules=rules,
        now=now,
        agency_objects={m.agency_id: m.agency for m in working},
        roles=frozenset(m.role for m in memberships),
        may_break_glass=any(m.may_break_glass for m in memberships),
        flags=frozenset(flag for flag in VIEWER_FLAGS[1:] for m in memberships if getattr(m, flag)),
        primary_agency=memberships[0].agency if memberships else None,
    )


def test_the_viewer_read_by_hand_is_the_viewer_the_orm_reads(cast: Cast) -> None:
    """Every user's viewer — agencies, managed agencies, clearance, rules, roles, each capability's flag,
    the agencies themselves field by field — in a world of several memberships each, some ended, with
    every flag set somewhere."""
    cast.lead.memberships.create(
        agency=cast.ngo, role=Role.MANAGER, may_train=True, may_chair_conferences=True
    )
    cast.lead.memberships.create(
        agency=cast.police, role=Role.PRACTITIONER, is_active=False, may_break_glass=True
    )
    cast.mentor.memberships.update(intelligence_cleared=True, may_decide_requests=True)
    cast.analyst.memberships.create(agency=cast.prison, role=Role.AUDITOR, may_publish_statistics=True)
    now = timezone.now()
    flags: set[str] = set()
    for user in User.objects.all():
        by_hand, by_orm = _read_viewer(user, now), viewer_by_orm(user, now)
        assert by_hand == by_orm, user
        agencies = [*by_hand.agency_objects.values(), by_hand.primary_agency]
        expected = [*by_orm.agency_objects.values(), by_orm.primary_agency]
        assert [fields_of(a) for a in agencies] == [fields_of(a) for a in expected], user
        flags |= by_hand.flags | ({"intelligence_cleared"} if by_hand.cleared else set())
    assert flags == set(VIEWER_FLAGS)  # each flag is read somewhere (clearance through the police too)
    assert {field.get_internal_type() for field in Agency._meta.concrete_fields} <= facts.READ_AS_IS


def fields_of(agency: Agency | None) -> list[object]:
    if agency is None:
        return []
    return [
        (f.attname, type(v), v) for f in Agency._meta.concrete_fields if (v := getattr(agency, f.attname))
    ]
