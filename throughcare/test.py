"""The fixed cast of personas used by every test, created in one place.

A case ("the case") for Ada Example in community supervision, and around it:
lead probation officer, a prison offender manager and a police CT liaison on the team, an NGO mentor
on the team without the person's consent, a probation manager (not on the team; may override consent
and break glass), an auditor (the data protection officer), an analyst, a police CT officer who is
not on the team (for agreements), and a stranger — a probation officer of the same agency who is not
on the team.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.cases import actions
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.custody import actions as custody
from throughcare.custody.models import Offence

PASSWORD = "correct-horse-battery"


@dataclass
class Cast:
    probation: Agency
    prison: Agency
    police: Agency
    ngo: Agency
    lead: User
    prison_manager: User
    police_liaison: User
    mentor: User
    manager: User
    auditor: User
    analyst: User
    stranger: User
    police_outsider: User
    case: Case

    def client_for(self, user: User) -> Client:
        client = Client()
        sign_in(client, user)
        return client


def sign_in(client: Client, user: User) -> None:
    """Sign the client in as the user, having given their second factor if they have one (as after the
    code page): every page is then open to them as to a person fully signed in."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def make_agency(name: str, kind: str, *, government: bool = True) -> Agency:
    return Agency.objects.create(
        name=name, short_name=name, kind=kind, region="Testshire", country="XT", is_government=government
    )


def make_user(username: str, agency: Agency, role: str = Role.PRACTITIONER, **capabilities: bool) -> User:
    first, _, last = username.partition(".")
    user = User.objects.create_user(
        username, password=PASSWORD, first_name=first.title(), last_name=last.title()
    )
    Membership.objects.create(user=user, agency=agency, role=role, **capabilities)
    return user


def join_team(case: Case, user: User, agency: Agency, function: str = "") -> CaseTeamMember:
    return CaseTeamMember.objects.create(
        case=case,
        user=user,
        agency=agency,
        responsibility=CaseTeamMember.Responsibility.SUPPORTING,
        function=function,
    )


def open_test_case(
    lead: User, agency: Agency, given: str = "Ada", family: str = "Example", phase: str = Phase.COMMUNITY
) -> Case:
    details = actions.NewPerson(
        given_name=given,
        family_name=family,
        date_of_birth=date(1990, 5, 17),
        gender="female",
        nationality="Testland",
        languages="Testish",
    )
    return actions.open_case(
        details, by=lead, agency=agency, function="Community offender manager", phase=phase
    )


def build_cast() -> Cast:
    probation = make_agency("Probation", AgencyKind.PROBATION)
    prison = make_agency("Prison", AgencyKind.PRISON)
    police = make_agency("Police CT", AgencyKind.POLICE_CT)
    ngo = make_agency("Exit NGO", AgencyKind.NGO, government=False)
    lead = make_user("lead.officer", probation)
    prison_manager = make_user("prison.manager", prison)
    police_liaison = make_user("police.liaison", police)
    mentor = make_user("ngo.mentor", ngo)
    case = open_test_case(lead, probation)
    join_team(case, prison_manager, prison, "Prison offender manager")
    join_team(case, police_liaison, police, "CT liaison")
    join_team(case, mentor, ngo, "Exit mentor")
    return Cast(
        probation=probation,
        prison=prison,
        police=police,
        ngo=ngo,
        lead=lead,
        prison_manager=prison_manager,
        police_liaison=police_liaison,
        mentor=mentor,
        manager=make_user(
            "probation.manager", probation, Role.MANAGER, may_override_consent=True, may_break_glass=True
        ),
        auditor=make_user("data.protection", probation, Role.AUDITOR),
        analyst=make_user("research.analyst", probation, Role.ANALYST),
        stranger=make_user("other.officer", probation),
        police_outsider=make_user("police.outsider", police),
        case=case,
    )


def record_terrorism_sentence(cast: Cast, offence: str = "Preparation of terrorist acts") -> None:
    """A determinate sentence (2023–2031) for the cast's case, released today, for one terrorism offence."""
    custody.record_sentence(
        cast.case,
        custody.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2031, 1, 1),
            earliest_release=timezone.localdate(),
        ),
        [Offence(description=offence, terrorism_offence=True)],
        by=cast.lead,
    )


def shows_word(html: str, word: str) -> bool:
    """Whether a page shows `word` as a word: a random CSRF token may hold it as letters ("…CAdaq…")."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", html) is not None


def restore_reference_data() -> None:
    """The reference rows the data migrations write (sharing matrix, jurisdiction profiles, checklists,
    conditions catalogue, criteria, quorum rules). A test that commits (`transaction=True`) and runs after
    another such test finds the tables emptied; this puts them back."""
    from throughcare.conferences.meetings import ensure_default_quorum
    from throughcare.custody.catalogue import ensure_catalogue
    from throughcare.custody.checklists import ensure_checklists
    from throughcare.custody.models import ChecklistTemplateItem, ConditionTemplate
    from throughcare.jurisdictions.models import JurisdictionProfile
    from throughcare.jurisdictions.shipped import ensure_default_profiles
    from throughcare.rehab.defaults import ensure_default_criteria
    from throughcare.rehab.models import CriteriaSet, Criterion
    from throughcare.sharing.defaults import ensure_default_matrix
    from throughcare.sharing.models import SharingRule

    if JurisdictionProfile.objects.filter(is_default=True).exists():
        return  # the usual case: the migrations' rows are there
    ensure_default_matrix(SharingRule)
    ensure_default_profiles(JurisdictionProfile)
    ensure_checklists(ChecklistTemplateItem)
    ensure_catalogue(ConditionTemplate)
    ensure_default_criteria(CriteriaSet, Criterion)
    ensure_default_quorum()


@contextmanager
def held_elsewhere(hold: Callable[[], AbstractContextManager[object]]) -> Iterator[None]:
    """While the block runs, another connection (a thread: another process or machine) holds what
    `hold()` takes — a row lock, an advisory lock. Needs `django_db(transaction=True)`."""
    held, release = threading.Event(), threading.Event()

    def other() -> None:
        try:
            with hold():
                held.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    try:
        assert held.wait(10), "the other connection did not get hold in time"
        yield
    finally:
        release.set()
        thread.join()


def texts(rows: Iterable[Any], field: str = "body") -> list[str]:
    """What each row's text reads, as its reader sees it: system text is stored as its wording
    (`lib.wording`) and read in the active language (English in tests)."""
    return [str(getattr(row, field)) for row in rows]
