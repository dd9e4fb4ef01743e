from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from pytest_django.fixtures import Settings

from throughcare.accounts.models import Role, User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, DataCategory, Nature, Phase
from throughcare.people.models import Alias, Identifier
from throughcare.test import Cast, join_team, make_user


@pytest.fixture(autouse=True)
def small_k(settings: Settings) -> None:
    """A test world holds a handful of cases: the rarity check's own tests set k themselves."""
    settings.TRAINING_K = 1


@pytest.fixture
def trainer(cast: Cast) -> User:
    user = make_user("senior.trainer", cast.probation, may_train=True)
    join_team(cast.case, user, cast.probation, "Practice supervisor")
    return user


@pytest.fixture
def trainee(cast: Cast) -> User:
    return make_user("new.officer", cast.probation)


@pytest.fixture
def reviewer(cast: Cast) -> User:
    """The data protection officer (the cast's auditor)."""
    return cast.auditor


@pytest.fixture
def manager(cast: Cast) -> User:
    return cast.manager


def at(day: int) -> datetime:
    """A moment `day` days after the story's start."""
    return datetime(2024, 1, 10, 10, tzinfo=UTC) + timedelta(days=day)


def tell_story(case: Case, lead: User, notes: list[str], *, release_on_day: int = 60) -> None:
    """A case in custody with notes over months, then released: one decision point (the release)."""
    for index, body in enumerate(notes):
        with time_machine.travel(at(10 + index * 3), tick=False):
            case_actions.add_note(case, by=lead, body=body, category=DataCategory.GENERAL, nature=Nature.FACT)
    with time_machine.travel(at(release_on_day), tick=False):
        case.refresh_from_db()
        case_actions.change_phase(
            case,
            by=lead,
            to_phase=Phase.RELEASE_PLANNING,
            expected_version=case.version,
            reason="Release in six months",
        )
    with time_machine.travel(at(release_on_day + 5), tick=False):
        case_actions.add_note(
            case,
            by=lead,
            body="First supervision appointment kept.",
            category=DataCategory.GENERAL,
            nature=Nature.FACT,
        )


@pytest.fixture
def custody_case(cast: Cast, trainer: User) -> Case:
    """Nourdin-like: a man in custody with aliases and identifiers, whose notes name him in many ways."""
    with time_machine.travel(at(0), tick=False):
        details = case_actions.NewPerson(
            given_name="Zoë",
            family_name="Janssens-Loor",
            date_of_birth=date(1994, 3, 2),
            gender="female",
            nationality="Belgian",
        )
        case = case_actions.open_case(
            details, by=cast.lead, agency=cast.probation, function="Offender manager"
        )
    Alias.objects.create(person=case.person, name="Umm Safiya", kind=Alias.Kind.KUNYA)
    Identifier.objects.create(person=case.person, kind=Identifier.Kind.PRISON_NUMBER, value="A1234BC")
    join_team(case, trainer, cast.probation, "Practice supervisor")
    tell_story(
        case,
        cast.lead,
        [
            "Met Zoë Janssens-Loor at the prison; she asked to be called Umm Safiya on the wing.",
            "JANSSENS-LOOR, Zoe: prison number A1234BC confirmed. Call her sister on 0470 12 34 56.",
            f"Lead Officer agreed with {cast.prison_manager.get_full_name()} that zoe janssens\nloor keeps "
            "her education place.",
        ],
    )
    return case


def make_manager(cast: Cast) -> User:
    return make_user("area.manager", cast.probation, Role.MANAGER)
