"""Property: in any small world, the gate shows a user exactly the cases the written policy allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.people.models import Person

ROLES = [Role.PRACTITIONER, Role.MANAGER, Role.AUDITOR, Role.ANALYST, Role.ADMIN]


@dataclass(frozen=True)
class Place:
    case: int
    user: int
    agency: int
    ended: bool


@dataclass(frozen=True)
class World:
    memberships: list[tuple[int, int, str, bool]]  # user, agency, role, active
    places: list[Place]


worlds = st.builds(
    World,
    memberships=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from(ROLES), st.booleans()),
        max_size=8,
        unique_by=lambda m: (m[0], m[1], m[2]),
    ),
    places=st.lists(
        st.builds(Place, st.integers(0, 2), st.integers(0, 3), st.integers(0, 2), st.booleans()),
        max_size=8,
        unique_by=lambda p: (p.case, p.user) if not p.ended else (p.case, p.user, p.agency, "ended"),
    ),
)


def allowed(world: World, user: int, case: int) -> bool:
    """The policy, written out plainly: on the active team with an active membership of the agency acted
    for, or an active manager of an agency that has an active place on the team."""
    active = {(u, a) for u, a, _, is_active in world.memberships if is_active}
    managed = {
        a for u, a, role, is_active in world.memberships if is_active and role == Role.MANAGER and u == user
    }
    team = [p for p in world.places if p.case == case and not p.ended]
    return any(p.user == user and (user, p.agency) in active for p in team) or any(
        p.agency in managed for p in team
    )


class GateProperties(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(worlds)
    def test_no_user_ever_sees_a_case_the_policy_does_not_allow(self, world: World) -> None:
        agencies = [
            Agency.objects.create(name=f"A{i}", kind="probation", region="R", country="XT") for i in range(3)
        ]
        users = [User.objects.create(username=f"u{i}") for i in range(4)]
        person = Person.objects.create(given_name="P", family_name="Q")
        cases = [Case.objects.create(reference=f"C{i}", person=person) for i in range(3)]
        for u, a, role, is_active in world.memberships:
            Membership.objects.create(user=users[u], agency=agencies[a], role=role, is_active=is_active)
        for p in world.places:
            CaseTeamMember.objects.create(
                case=cases[p.case],
                user=users[p.user],
                agency=agencies[p.agency],
                responsibility="supporting",
                ended_at=timezone.now() if p.ended else None,
            )
        for u, user in enumerate(users):
            seen = set(Case.objects.visible_to(user).values_list("pk", flat=True))
            expected = {case.pk for c, case in enumerate(cases) if allowed(world, u, c)}
            assert seen == expected, (u, world)
