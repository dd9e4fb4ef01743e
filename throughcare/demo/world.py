"""A synthetic, deterministic demo world: one fictional region, its agencies, personas and ~64 cases.

Every name here is invented. The same seed gives the same world; dates are relative to the day the
world is loaded so that it always looks current, and everything in it happened on a day of its story, in
order (`demo.story`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

import time_machine
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.api import tokens
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import add_note
from throughcare.cases.models import (
    NEXT_PHASE,
    Case,
    CaseTeamMember,
    DataCategory,
    Nature,
    Phase,
    PhaseChange,
    TimelineEntry,
    case_reference,
)
from throughcare.custody import actions as custody
from throughcare.custody import conditions, handover, notification_requirements
from throughcare.custody.catalogue import ensure_catalogue
from throughcare.custody.checklists import ensure_checklists
from throughcare.custody.models import (
    ChecklistTemplateItem,
    ConditionTemplate,
    NotificationDue,
    Offence,
    Sentence,
)
from throughcare.demo.conference_world import ConferenceWriter, quorum_rules
from throughcare.demo.learning_world import LearningWriter
from throughcare.demo.outcomes_world import OutcomesWriter, reference_studies
from throughcare.demo.rehab_world import RehabWriter, programme_catalogue
from throughcare.demo.risk_world import RiskWriter, risk_instruments
from throughcare.demo.scale import COUNTRY, REGION, SEED
from throughcare.demo.story import Story, Thread, at_hour, fresh, phase_started, released_at
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.jurisdictions.shipped import ensure_default_profiles
from throughcare.lib.daily import daily_jobs
from throughcare.lib.dates import add_months
from throughcare.lib.wording import Wording, midsentence, worded
from throughcare.people.models import Alias, Gender, Identifier, Person
from throughcare.sharing import actions as share
from throughcare.sharing.defaults import ensure_default_matrix
from throughcare.sharing.models import Restriction, SharingRule
from throughcare.workspace import kept
from throughcare.workspace.duties import ask_clearance
from throughcare.workspace.signin import DEMO_DEVICE, needs_second_factor

AGENCIES: dict[str, tuple[str, str, str, bool]] = {
    # key: (name, short name, kind, government)
    "prison": ("Westmark Prison", "Westmark Prison", AgencyKind.PRISON, True),
    "womens_prison": ("Eastbridge Prison — Women's Unit", "Eastbridge Women's Unit", AgencyKind.PRISON, True),
    "probation": ("Westmark Probation Service", "Probation", AgencyKind.PROBATION, True),
    "police": ("Westmark Police Counter-Terrorism Unit", "Police CT", AgencyKind.POLICE_CT, True),
    "municipality": (
        "Westmark City Council — Prevention and Safeguarding",
        "City Council",
        AgencyKind.MUNICIPALITY,
        True,
    ),
    "exit_ngo": ("Turning Point Exit Programme", "Turning Point", AgencyKind.NGO, False),
    "womens_ngo": ("Harbour Women's Service", "Harbour Women's Service", AgencyKind.NGO, False),
    "mental_health": ("Westmark Community Mental Health Team", "Mental Health Team", AgencyKind.HEALTH, True),
    "employment": ("Bridge to Work", "Bridge to Work", AgencyKind.EDUCATION_EMPLOYMENT, False),
    "child_services": (
        "Westmark Children and Families Service",
        "Children and Families",
        AgencyKind.CHILD_SERVICES,
        True,
    ),
    "housing": ("Westmark Housing Partnership", "Housing Partnership", AgencyKind.HOUSING, False),
}


class Writer(Protocol):
    def write(self) -> None: ...


@dataclass(frozen=True)
class Staff:
    username: str
    first_name: str
    last_name: str
    agency: str
    role: str
    job_title: str


PERSONAS = [
    Staff("probation.officer", "Maren", "Holt", "probation", Role.PRACTITIONER, "Probation officer"),
    Staff("prison.manager", "Tomas", "Reyvaert", "prison", Role.PRACTITIONER, "Prison offender manager"),
    Staff("ct.police", "Ilse", "Brandvold", "police", Role.PRACTITIONER, "Counter-terrorism liaison officer"),
    Staff("ngo.mentor", "Yannick", "Deveraux", "exit_ngo", Role.PRACTITIONER, "Exit mentor"),
    Staff("womens.service", "Hanna", "Lindqvorst", "womens_ngo", Role.PRACTITIONER, "Women's support worker"),
    Staff("panel.chair", "Ruth", "Achterveld", "municipality", Role.PRACTITIONER, "Multi-agency panel chair"),
    Staff("probation.manager", "Dawit", "Marschall", "probation", Role.MANAGER, "Senior probation manager"),
    Staff("dpo", "Clara", "Fontenoy", "probation", Role.AUDITOR, "Data protection officer"),
    Staff("analyst", "Piet", "Janvier", "probation", Role.ANALYST, "Research analyst"),
    Staff("trainer", "Sigrun", "Okafor-Vell", "probation", Role.PRACTITIONER, "Practice trainer"),
    Staff("trainee", "Tobias", "Renwald", "probation", Role.PRACTITIONER, "Trainee probation officer"),
    Staff("admin", "Ada", "Systemsen", "probation", Role.ADMIN, "System administrator"),
    Staff("security.admin", "Noor", "Hakvoort", "probation", Role.ADMIN, "Security administrator"),
]

COLLEAGUES = [
    Staff("probation.officer2", "Jonas", "Feldkamp", "probation", Role.PRACTITIONER, "Probation officer"),
    Staff("probation.officer3", "Leila", "Moreau-Stein", "probation", Role.PRACTITIONER, "Probation officer"),
    Staff(
        "prison.manager2", "Greta", "Ostervald", "womens_prison", Role.PRACTITIONER, "Prison offender manager"
    ),
    Staff("prison.manager3", "Karel", "Vondrasek", "prison", Role.PRACTITIONER, "Prison offender manager"),
    Staff("ct.police2", "Mikkel", "Aarsby", "police", Role.PRACTITIONER, "Counter-terrorism liaison officer"),
    Staff("ngo.mentor2", "Samira", "El Fassaoui", "exit_ngo", Role.PRACTITIONER, "Faith mentor"),
    Staff(
        "council.coordinator",
        "Bram",
        "Tielemans",
        "municipality",
        Role.PRACTITIONER,
        "Reintegration coordinator",
    ),
    Staff("mh.worker", "Agnes", "Korhonenberg", "mental_health", Role.PRACTITIONER, "Forensic psychologist"),
    Staff("employment.worker", "Nils", "Haverkamp", "employment", Role.PRACTITIONER, "Employment adviser"),
    Staff("child.worker", "Odile", "Verstraeten", "child_services", Role.PRACTITIONER, "Social worker"),
    Staff("housing.worker", "Ivo", "Bakstad", "housing", Role.PRACTITIONER, "Housing officer"),
    Staff("prison.governor", "Helena", "Varga-Ruys", "prison", Role.MANAGER, "Head of offender management"),
]

MALE_NAMES = [
    "Adam",
    "Bilal",
    "Kerem",
    "Lucas",
    "Mehdi",
    "Jonas",
    "Tarik",
    "Elias",
    "Dario",
    "Ruben",
    "Idris",
    "Florin",
    "Karim",
    "Mats",
    "Samir",
    "Nourdin",
    "Teodor",
    "Anouar",
    "Viktor",
    "Hamza",
    "Jeroen",
    "Malik",
    "Stefan",
    "Youssef",
    "Arben",
    "Luca",
    "Emre",
    "Pieter",
]
FEMALE_NAMES = [
    "Amira",
    "Lena",
    "Nadia",
    "Sofie",
    "Yasmin",
    "Ines",
    "Marta",
    "Leonie",
    "Salma",
    "Elif",
    "Hira",
    "Julie",
    "Selma",
    "Zehra",
    "Naima",
    "Clara",
]
FAMILY_NAMES = [
    "Aydemir",
    "Benhaddou",
    "Castellaro",
    "Dervishaj",
    "El Amrani",
    "Fontaine",
    "Gashi",
    "Halvorsen",
    "Idrissi",
    "Jovanovski",
    "Kaddouri",
    "Lindahl",
    "Meersman",
    "Nowacki",
    "Ouali",
    "Petrescu",
    "Quaresma",
    "Rahimi",
    "Steenbergen",
    "Tahiri",
    "Urbanek",
    "Vermaelen",
    "Wojcik",
    "Yilmazer",
    "Zeqiri",
    "Achterberg",
    "Boukhari",
    "Claessens",
    "Draganov",
    "Erdogdu",
    "Falkenrath",
    "Ghazali",
    "Hendrikse",
    "Issaoui",
    "Janssens-Loor",
    "Kowalczyk",
]
NATIONALITIES = [
    "Westland",
    "Westland",
    "Westland",
    "Westland and Moroccan",
    "Belgian",
    "French",
    "Dutch",
    "Kosovar",
    "Turkish",
    "Bosnian",
    "German",
    "Westland and Tunisian",
    "Swedish",
]
LANGUAGES = [
    "Westlandic",
    "Westlandic, Arabic",
    "Westlandic, French",
    "Westlandic, Turkish",
    "Westlandic, Albanian",
    "French, Arabic",
    "Westlandic, Dutch",
    "Westlandic, Bosnian",
    "Westlandic, English",
]
OFFENCES = [
    ("4 years", "preparation of terrorist acts"),
    ("6 years", "membership of a terrorist organisation"),
    ("2 years", "dissemination of terrorist publications"),
    ("8 months", "encouragement of terrorism online"),
    ("3 years", "financing terrorism"),
    ("12 years", "preparation of terrorist acts"),
    ("Indeterminate (public protection)", "attempted murder with a terrorist connection"),
    ("5 years", "participation in a terrorist group abroad"),
    ("18 months", "possession of material useful for terrorism"),
    ("7 years", "violent extremist assault with a terrorist connection"),
]
RETURNEE_OFFENCES = [
    ("5 years", "participation in a terrorist group abroad"),
    ("3 years", "membership of a terrorist organisation (returned from a conflict zone)"),
]


@dataclass(frozen=True)
class CaseSpec:
    index: int
    phase: str
    female: bool
    returnee: bool


def plan_cases(rng: random.Random) -> list[CaseSpec]:
    """Spread the cases over all phases, with women and returnees with children among them."""
    phases = (
        [Phase.CUSTODY] * 18
        + [Phase.RELEASE_PLANNING] * 10
        + [Phase.COMMUNITY] * 18
        + [Phase.REINTEGRATION] * 10
        + [Phase.CLOSED] * 8
    )
    rng.shuffle(phases)
    specs = []
    for i, phase in enumerate(phases):
        female = i % 6 == 0 or i % 11 == 3
        returnee = i % 9 == 0 or (female and i % 4 == 1)
        specs.append(CaseSpec(i, phase, female, returnee))
    return specs


ORIGIN_DAYS = 3400  # the first case of the world opened less than this many days before its present


class WorldBuilder:
    """Builds the world in three acts: the reference data and the staff at the origin of its time; the
    people, their cases, teams and histories; then the story, told in order (`demo.story`), in which
    everything else is done through the actions users call, each at the moment it happened."""

    def __init__(self, password: str, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.password_hash = make_password(password)  # one password for all personas, hashed once
        self.now = now
        self.origin = now - timedelta(days=ORIGIN_DAYS)
        self.story = Story(present=now)
        self.agencies: dict[str, Agency] = {}
        self.users: dict[str, User] = {}
        self.profiles: dict[int, JurisdictionProfile | None] = {}  # by case id; None: the default profile
        self._showcase: Case | None = None

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def ago(self, days: int, hour: int, minute: int = 0) -> datetime:
        """A moment `days` before the world's present day, at this time of day."""
        return at_hour(self.today - timedelta(days=days), hour, minute)

    @property
    def showcase(self) -> Case:
        """The case each persona sees differently (chosen by the sharing showcase, the first writer)."""
        assert self._showcase is not None
        return self._showcase

    def build(self) -> None:
        with transaction.atomic():
            with time_machine.travel(self.origin, tick=False):
                self._reference_data()
            for spec in plan_cases(self.rng):
                CaseWriter(self, spec).write()
            for writer in WRITERS:
                writer(self).write()  # each chooses its cases now and adds the threads of its story
            self.story.add(nightly_runs(self.today - timedelta(days=NIGHTLY_RUN_DAYS), self.today))
            self.story.tell()
            _last_activity()

    def _reference_data(self) -> None:
        ensure_default_matrix(SharingRule)
        ensure_default_profiles(JurisdictionProfile)
        ensure_catalogue(ConditionTemplate)
        ensure_checklists(ChecklistTemplateItem)
        self._agencies()
        for staff in PERSONAS + COLLEAGUES:
            self._user(staff)
        self._second_factors()
        self._systems()
        self._clearance_asked()
        for reference in REFERENCE_DATA:
            reference(self)

    def _second_factors(self) -> None:
        """Whoever needs a second factor has the demo's authenticator key (README: DEMO_TOTP_KEY)."""
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name=DEMO_DEVICE, key=DEMO_TOTP_KEY.hex(), confirmed=True)
            for user in self.users.values()
            if needs_second_factor(user)
        )

    def _clearance_asked(self) -> None:
        """`admin` asked intelligence clearance for a probation officer; a second administrator approves."""
        asked = Membership.objects.get(user=self.users["probation.officer2"])
        ask_clearance(asked, by=self.users["admin"])

    def member(self, case: Case, *agencies: str) -> CaseTeamMember:
        """Who acts for these agencies on the case: a current worker of one of them, else the lead."""
        place = case.team.active().filter(agency__in=[self.agencies[a] for a in agencies]).first()
        lead = case.team.lead()
        assert place is not None or lead is not None, case
        return place or lead  # type: ignore[return-value]

    def _agencies(self) -> None:
        for key, (name, short, kind, government) in AGENCIES.items():
            self.agencies[key] = Agency.objects.create(
                name=name,
                short_name=short,
                kind=kind,
                region=REGION,
                country=COUNTRY,
                is_government=government,
            )

    def _systems(self) -> None:
        """An agency's system calling the API: Westmark Probation's case system reads what a probation
        manager reads (every case with probation on its team); it has no password."""
        system = tokens.create_service_account(
            SERVICE_ACCOUNT, name="Westmark Probation case system", agency=self.agencies["probation"], by=None
        )
        Membership.objects.filter(user=system).update(role=Role.MANAGER)
        self.users[SERVICE_ACCOUNT] = system

    def _user(self, staff: Staff) -> None:
        user = User(
            username=staff.username,
            first_name=staff.first_name,
            last_name=staff.last_name,
            job_title=staff.job_title,
            email=f"{staff.username}@example.org",
            is_staff=staff.role == Role.ADMIN,
            is_superuser=staff.role == Role.ADMIN,
        )
        user.password = self.password_hash
        user.save()
        Membership.objects.create(
            user=user,
            agency=self.agencies[staff.agency],
            role=staff.role,
            **CAPABILITIES.get(staff.username, {}),
        )
        self.users[staff.username] = user


SERVICE_ACCOUNT = "probation.system"
# The authenticator key of every demo persona who needs a second factor (base32, as an authenticator app
# takes it: KRUHE33VM5UGGYLSMUQGIZLNN4QGWZLZ). A demo convenience: real keys are made per person.
DEMO_TOTP_KEY = b"Throughcare demo key"
NIGHTLY_RUN_DAYS = 7  # the daily run of the last week is part of the story


def nightly_runs(first: date, last: date) -> Thread:
    """The daily run, at midnight (the last one: the night before the world's present day begins)."""
    day = first
    while day <= last:
        yield at_hour(day, 0)
        for job in daily_jobs():
            job.run(day)
        day += timedelta(days=1)


def _last_activity() -> None:
    """A case's last activity is its latest timeline entry (the story wrote its cases' entries out of
    the order in which it touched the cases)."""
    latest = (
        TimelineEntry.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    )
    Case.objects.update(last_activity_at=Subquery(latest))


# Capabilities beyond the role (police CT workers are cleared for intelligence by their agency).
CAPABILITIES: dict[str, dict[str, bool]] = {
    "probation.manager": {
        "may_override_consent": True,
        "may_break_glass": True,
        "may_chair_conferences": True,
    },
    "prison.governor": {"may_break_glass": True},
    "panel.chair": {"intelligence_cleared": True, "may_chair_conferences": True},
    "dpo": {"may_publish_statistics": True},
    "trainer": {"may_train": True},
}


class CaseWriter:
    """Writes one case: person, phase history, team and a believable timeline."""

    def __init__(self, world: WorldBuilder, spec: CaseSpec) -> None:
        self.world = world
        self.spec = spec
        # A sequence of its own: how many entries an earlier case drew (which depends on the calendar of
        # the day the world is loaded) never changes who this person is.
        self.rng = random.Random(SEED * 1000 + spec.index)
        self.entries: list[TimelineEntry] = []

    def write(self) -> Case:
        person = self._person()
        self.sentence, self.offence = self.rng.choice(RETURNEE_OFFENCES if self.spec.returnee else OFFENCES)
        history = self._phase_dates()
        case = Case.objects.create(
            reference=case_reference(self.spec.index + 1, history[0][1]),
            person=person,
            sentence_summary=f"{self.sentence}, {self.offence}",
            phase=self.spec.phase,  # the writers choose their cases by it; the story moves it from custody
            opened_at=history[0][1],
            last_activity_at=history[-1][1],
        )
        self.case = case
        self.team = self._team(history)
        self._history(history)
        TimelineEntry.objects.bulk_create(self.entries)
        self.world.story.add(self._phases(history))
        return case

    def _phases(self, history: list[tuple[str, datetime]]) -> Thread:
        """The case is in the phase it was in at each moment of the story, so that what the actions
        compute from it (responsibility, say) is what they computed then."""
        case = self.case
        yield history[0][1]
        Case.objects.filter(pk=case.pk).update(phase=history[0][0])
        opener = self._member("prison", "womens_prison")
        record(
            Operation.COLLECTION,
            case,
            by=opener.user,
            agency=opener.agency,
            case_id=case.pk,
            justification="case opened",
            details={"entries": len(self.entries)},
        )
        for phase, at in history[1:]:
            yield at
            Case.objects.filter(pk=case.pk).update(phase=phase)

    def _person(self) -> Person:
        rng, spec = self.rng, self.spec
        given = rng.choice(FEMALE_NAMES if spec.female else MALE_NAMES)
        family = rng.choice(FAMILY_NAMES)
        age_years = rng.randint(19, 52)
        dob = self.world.now.date() - timedelta(days=age_years * 365 + rng.randint(0, 364))
        person = Person.objects.create(
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            gender=Gender.FEMALE if spec.female else Gender.MALE,
            nationality=rng.choice(NATIONALITIES),
            languages=rng.choice(LANGUAGES),
            is_returnee=spec.returnee,
        )
        if rng.random() < 0.45:
            Alias.objects.create(
                person=person,
                name=f"Abu {rng.choice(MALE_NAMES)}" if not spec.female else f"Umm {rng.choice(MALE_NAMES)}",
                kind=Alias.Kind.KUNYA,
            )
        if rng.random() < 0.3:
            Alias.objects.create(
                person=person, name=f"{given} {rng.choice(FAMILY_NAMES)}", kind=Alias.Kind.BIRTH_NAME
            )
        Identifier.objects.create(
            person=person,
            kind=Identifier.Kind.PRISON_NUMBER,
            value=f"WM{spec.index + 1:03d}{rng.randint(100, 999)}",
        )
        if spec.phase not in (Phase.CUSTODY,):
            Identifier.objects.create(
                person=person,
                kind=Identifier.Kind.PROBATION_REF,
                value=f"PRB-{rng.randint(10000, 99999)}-{spec.index:02d}",
            )
        person.refresh_search_text()
        person.save(update_fields=["search_text"])
        return person

    def _phase_dates(self) -> list[tuple[str, datetime]]:
        """Phases from custody to the current one, with dates ending in the recent past."""
        journey: list[str] = [Phase.CUSTODY]
        while journey[-1] != self.spec.phase:
            journey.append(NEXT_PHASE[journey[-1]])
        spans: dict[str, tuple[int, int]] = {
            Phase.CUSTODY: (200, 1500),
            Phase.RELEASE_PLANNING: (60, 240),
            Phase.COMMUNITY: (180, 900),
            Phase.REINTEGRATION: (120, 600),
        }
        # Walk backwards from "now minus a little" so the current phase started recently enough.
        at = self.world.now - timedelta(days=self.rng.randint(5, 120), hours=-10)  # at ten in the morning
        dates = [at]
        for phase in reversed(journey[:-1]):
            low, high = spans[phase]
            at = at - timedelta(days=self.rng.randint(low, high))
            dates.append(at)
        dates.reverse()
        return list(zip(journey, dates, strict=True))

    def _team(self, history: list[tuple[str, datetime]]) -> list[CaseTeamMember]:
        """The current team, and ended places for earlier phases' workers (their notes stay theirs)."""
        workers = _workers(self.spec, self.rng)
        current = team_for(self.spec, workers)
        starts = dict(history)
        members = [self._place(place, _joined(place[0], history, workers)) for place in current]
        active_users = {place[0] for place in current}
        for phase, _ in history[:-1]:
            for key in CORE_TEAMS[phase]:
                place = workers[key]
                if place[0] not in active_users:
                    ended = _next_start(history, phase)
                    members.append(self._place(place, starts[phase], ended_at=ended))
                    active_users.add(place[0])
        return members

    def _place(self, place: Place, start: datetime, ended_at: datetime | None = None) -> CaseTeamMember:
        username, agency, responsibility, function = place
        return CaseTeamMember.objects.create(
            case=self.case,
            user=self.world.users[username],
            agency=self.world.agencies[agency],
            responsibility=responsibility if ended_at is None else SUPPORTING,
            function=function,
            started_at=start,
            ended_at=ended_at,
        )

    def _member(self, *agencies: str) -> CaseTeamMember:
        """Who writes an entry for these agencies: a current worker if there is one, else a past one."""
        wanted = [self.world.agencies[a] for a in agencies]
        for member in sorted(self.team, key=lambda m: m.ended_at is not None):
            if member.agency in wanted:
                return member
        return self.team[0]

    def _history(self, history: list[tuple[str, datetime]]) -> None:
        previous = ""
        ends = [at for _, at in history[1:]] + [self.world.now]
        for (phase, at), until in zip(history, ends, strict=True):
            author = (
                self._member("prison", "womens_prison")
                if phase in (Phase.CUSTODY, Phase.RELEASE_PLANNING)
                else self._member("probation", "municipality")
            )
            PhaseChange.objects.create(
                case=self.case, from_phase=previous, to_phase=phase, changed_at=at, changed_by=author.user
            )
            text = (  # as the actions word them (cases.actions), read in the reader's language
                worded("Case opened in phase %(phase)s.", phase=midsentence(Phase(phase).label))
                if not previous
                else worded(
                    "Phase changed from %(old)s to %(new)s.",
                    old=midsentence(Phase(previous).label),
                    new=midsentence(Phase(phase).label),
                )
            )
            kind = TimelineEntry.Kind.CASE_OPENED if not previous else TimelineEntry.Kind.PHASE_CHANGE
            self._entry(at, author, DataCategory.GENERAL, Nature.FACT, text, kind=kind)
            self._phase_story(phase, at, until)
            previous = phase

    def _phase_story(self, phase: str, start: datetime, until: datetime) -> None:
        for days, agencies, category, nature, text in STORIES[phase](self.spec, self.offence):
            at = start + timedelta(days=days, hours=self.rng.randint(8, 16) - start.hour)
            if start < at < until:
                self._entry(at, self._member(*agencies), category, nature, text)

    def _entry(
        self,
        at: datetime,
        member: CaseTeamMember,
        category: str,
        nature: str,
        text: Wording | str,
        kind: str = TimelineEntry.Kind.NOTE,
    ) -> None:
        recorded = at + timedelta(hours=self.rng.choice([0, 0, 1, 5, 26]))
        self.entries.append(
            TimelineEntry(
                case=self.case,
                kind=kind,
                category=category,
                nature=nature,
                body=text,
                occurred_at=at,
                recorded_at=min(recorded, self.world.now),
                author=member.user,
                author_agency=member.agency,
            )
        )


Place = tuple[str, str, str, str]  # username, agency key, responsibility, function
LEAD, SUPPORTING = CaseTeamMember.Responsibility.LEAD, CaseTeamMember.Responsibility.SUPPORTING


def _joined(username: str, history: list[tuple[str, datetime]], workers: dict[str, Place]) -> datetime:
    """When a worker joined the case: the start of the first phase whose core team has them, else (a
    worker the current phase brought in) the start of the current phase."""
    for phase, start in history:
        if any(workers[key][0] == username for key in CORE_TEAMS[phase]):
            return start
    return history[-1][1]


def _next_start(history: list[tuple[str, datetime]], phase: str) -> datetime:
    phases = [p for p, _ in history]
    return history[phases.index(phase) + 1][1]


def team_for(spec: CaseSpec, workers: dict[str, Place]) -> list[Place]:
    """Who works the case in its current phase; the first place is the lead."""
    return _unique_users(_core_team(spec, workers) + _extra_places(spec))


def _workers(spec: CaseSpec, rng: random.Random) -> dict[str, Place]:
    if spec.female:
        prison: tuple[str, str] = ("prison.manager2", "womens_prison")
        mentor: Place = ("womens.service", "womens_ngo", SUPPORTING, "Women's support worker")
    else:
        prison = ("prison.manager", "prison") if spec.index % 3 else ("prison.manager3", "prison")
        mentor = (
            ("ngo.mentor", "exit_ngo", SUPPORTING, "Exit mentor")
            if spec.index % 2
            else ("ngo.mentor2", "exit_ngo", SUPPORTING, "Faith mentor")
        )
    probation = (
        "probation.officer"
        if spec.index % 3 != 2
        else rng.choice(["probation.officer2", "probation.officer3"])
    )
    return {
        "pom": (*prison, LEAD, "Prison offender manager"),
        "pom_supporting": (*prison, SUPPORTING, "Prison offender manager (supporting)"),
        "com": (probation, "probation", LEAD, "Community offender manager"),
        "com_allocated": (probation, "probation", SUPPORTING, "Community offender manager (allocated)"),
        "com_former": (probation, "probation", SUPPORTING, "Former community offender manager"),
        "police": ("ct.police" if spec.index % 4 else "ct.police2", "police", SUPPORTING, "CT liaison"),
        "mentor": mentor,
        "coordinator": ("council.coordinator", "municipality", LEAD, "Reintegration coordinator"),
    }


CORE_TEAMS: dict[str, list[str]] = {
    Phase.CUSTODY: ["pom", "police"],
    Phase.RELEASE_PLANNING: ["pom", "com_allocated", "police", "mentor"],
    Phase.COMMUNITY: ["com", "police", "mentor", "pom_supporting"],
    Phase.REINTEGRATION: ["coordinator", "com_former", "mentor"],
    Phase.CLOSED: ["coordinator", "com_former", "mentor"],
}


def _core_team(spec: CaseSpec, workers: dict[str, Place]) -> list[Place]:
    return [workers[key] for key in CORE_TEAMS[spec.phase]]


def _extra_places(spec: CaseSpec) -> list[Place]:
    active = spec.phase in (Phase.RELEASE_PLANNING, Phase.COMMUNITY)
    conditions: list[tuple[bool, Place]] = [
        (
            spec.phase == Phase.COMMUNITY and spec.index % 3 == 0,
            ("mh.worker", "mental_health", SUPPORTING, "Forensic psychologist"),
        ),
        (
            spec.phase == Phase.COMMUNITY and spec.index % 4 == 1,
            ("employment.worker", "employment", SUPPORTING, "Employment adviser"),
        ),
        (spec.returnee, ("child.worker", "child_services", SUPPORTING, "Social worker (children)")),
        (
            active and spec.index % 7 in (0, 3),
            ("panel.chair", "municipality", SUPPORTING, "Multi-agency panel chair (level 2)"),
        ),
        (
            spec.phase in (Phase.COMMUNITY, Phase.REINTEGRATION) and spec.index % 5 == 2,
            ("housing.worker", "housing", SUPPORTING, "Housing officer"),
        ),
    ]
    return [place for condition, place in conditions if condition]


def _unique_users(team: list[Place]) -> list[Place]:
    seen: set[str] = set()
    result = []
    for place in team:
        if place[0] not in seen:
            seen.add(place[0])
            result.append(place)
    return result


Narrative = list[tuple[int, tuple[str, ...], str, str, str]]
PRISON = ("prison", "womens_prison")
G, L, R, H, INT, FAM, ID_ = (
    DataCategory.GENERAL,
    DataCategory.LEGAL,
    DataCategory.RISK,
    DataCategory.HEALTH,
    DataCategory.INTERVENTIONS,
    DataCategory.FAMILY,
    DataCategory.IDENTITY,
)
F, A = Nature.FACT, Nature.ASSESSMENT


def custody_story(spec: CaseSpec, offence: str) -> Narrative:
    story: Narrative = [
        (1, PRISON, L, F, f"Received into custody. Sentence recorded: {offence}."),
        (3, PRISON, ID_, F, "Identity and nationality checked against court documents."),
        (
            14,
            PRISON,
            R,
            A,
            "Initial custody assessment: keeps to himself on the wing, polite to staff, "
            "declines to discuss the offence."
            if not spec.female
            else "Initial custody assessment: settled on the women's unit, anxious about her children.",
        ),
        (40, PRISON, INT, F, "Started education: literacy and numeracy, level 2. Attendance good."),
        (
            75,
            ("police",),
            R,
            A,
            "CT liaison visit. Associations on the wing reviewed; no contact with "
            "known recruiters observed this quarter.",
        ),
        (120, PRISON, G, F, "Adjudication: refused to return to cell after association. Warning given."),
        (
            160,
            PRISON,
            INT,
            F,
            "Referred to the disengagement programme; assessed suitable, waiting for a place.",
        ),
        (
            210,
            PRISON,
            R,
            A,
            "Behaviour report: completes every task but engagement seems instrumental. Possible "
            "false compliance — discuss at next review.",
        ),
        (300, PRISON, INT, F, "Attended 8 of 10 sessions of the disengagement programme."),
    ]
    if spec.female:
        story.append(
            (
                20,
                PRISON,
                FAM,
                F,
                "Weekly video calls with her children arranged through the family liaison officer.",
            )
        )
    if spec.returnee:
        story.append(
            (
                10,
                PRISON,
                FAM,
                F,
                "Returned from a conflict zone. Two children (aged 4 and 7) placed with "
                "their grandmother; child services informed.",
            )
        )
        story.append(
            (
                60,
                PRISON,
                H,
                A,
                "Signs of trauma reported by staff; referred to the in-reach mental health team.",
            )
        )
    return story


def release_planning_story(spec: CaseSpec, offence: str) -> Narrative:
    return [
        (2, PRISON, L, F, "Handover to community probation started; community offender manager allocated."),
        (10, ("probation",), G, F, "First joint meeting with the prison offender manager and the person."),
        (
            21,
            ("probation",),
            L,
            A,
            "Licence conditions recommended: no contact with people convicted of "
            "extremist offences without approval; restriction on internet devices.",
        ),
        (
            30,
            ("exit_ngo", "womens_ngo"),
            INT,
            F,
            "Mentor introduced in a prison visit; agreed to monthly sessions.",
        ),
        (
            45,
            ("police",),
            R,
            A,
            "Police view for release planning: no current intelligence of concern shared with the team.",
        ),
        (55, PRISON, G, F, "Accommodation: approved premises place requested for the release date."),
    ]


def community_story(spec: CaseSpec, offence: str) -> Narrative:
    story: Narrative = [
        (0, ("probation",), L, F, "Released on licence. Reported to probation on the day of release."),
        (
            1,
            ("probation",),
            G,
            F,
            "First community appointment kept. Licence conditions explained and signed.",
        ),
        (7, ("police",), L, F, "Initial notification completed at the police station within three days."),
        (
            14,
            ("exit_ngo", "womens_ngo"),
            INT,
            F,
            "Mentoring session: talked about family and plans for work.",
        ),
        (
            28,
            ("probation",),
            R,
            A,
            "Risk review: stable; motivated by contact with family. Keep current plan.",
        ),
        (
            45,
            ("probation",),
            G,
            F,
            "Missed appointment; rang the next day with a reason (medical). Rebooked.",
        ),
        (60, ("employment",), INT, F, "Started a work placement in a warehouse, three days a week."),
        (
            90,
            ("mental_health",),
            H,
            A,
            "Psychological assessment completed; low mood, no indication of acute risk. Follow-up monthly.",
        ),
        (120, ("probation",), INT, F, "Completed the community module of the disengagement programme."),
        (180, ("police",), R, A, "Police review: no new information of concern."),
    ]
    if spec.returnee:
        story.append(
            (
                20,
                ("child_services",),
                FAM,
                F,
                "Supervised contact with the children started at the family centre.",
            )
        )
    return story


def reintegration_story(spec: CaseSpec, offence: str) -> Narrative:
    return [
        (
            0,
            ("municipality",),
            L,
            F,
            "Licence period ended. Voluntary support continues with the council reintegration coordinator.",
        ),
        (30, ("exit_ngo", "womens_ngo"), INT, F, "Mentoring continues monthly at the person's request."),
        (
            90,
            ("municipality",),
            G,
            A,
            "Settled in own tenancy; volunteering at a sports club. Pro-social network growing.",
        ),
        (180, ("municipality",), G, F, "Six-month check-in held; no concerns raised by any agency."),
    ]


def closed_story(spec: CaseSpec, offence: str) -> Narrative:
    return [
        (
            1,
            ("municipality",),
            G,
            F,
            "Case closed: no further support required. Exit criteria reviewed with the person and agencies.",
        )
    ]


STORIES: dict[str, Callable[[CaseSpec, str], Narrative]] = {
    Phase.CUSTODY: custody_story,
    Phase.RELEASE_PLANNING: release_planning_story,
    Phase.COMMUNITY: community_story,
    Phase.REINTEGRATION: reintegration_story,
    Phase.CLOSED: closed_story,
}


def is_loaded() -> bool:
    return User.objects.filter(username="probation.officer").exists()


def load(password: str, now: datetime | None = None) -> bool:
    """Load the world unless it is already there. Returns whether anything was written."""
    if is_loaded():
        return False
    # Anchored to the start of the day, so that loading at 9:00 or 17:00 gives the same world.
    anchor = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    WorldBuilder(password, anchor).build()
    kept.rebuild(anchor.date())  # Needs attention kept for today, as the daily run keeps it
    return True


def describe() -> list[tuple[str, str, str]]:
    return [
        (s.username, f"{s.first_name} {s.last_name}", f"{s.job_title}, {AGENCIES[s.agency][1]}")
        for s in PERSONAS
    ]


class SharingShowcase:
    """Need-to-know in the demo: one case that each persona sees differently, and the other tools.

    Written through the same actions users call, so every step is on the timeline and in the audit log.
    """

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users
        self.a = world.agencies

    def write(self) -> None:
        story, ago = self.world.story, self.world.ago
        showcase = self._case_with("probation.officer", "ngo.mentor", "ct.police")
        self.world._showcase = showcase
        restricted = self._case_with("probation.officer", "ngo.mentor", exclude=showcase)
        story.add(self._intelligence(showcase))
        story.add(self._consents(showcase))
        story.at(ago(58, 11), lambda: self._agreement(showcase))  # before the conference
        mentor_joined = restricted.team.get(user=self.u["ngo.mentor"]).started_at
        story.at(mentor_joined + timedelta(days=3), lambda: self._restrict(restricted))
        for case in self._womens_cases():
            story.at(ago(20, 15), lambda case=case: self._womens_consent(case))  # type: ignore[misc]
        story.at(ago(1, 22, 40), self._break_glass)

    def _case_with(self, lead: str, *others: str, exclude: Case | None = None) -> Case:
        cases = Case.objects.filter(
            phase=Phase.COMMUNITY,
            team__user=self.u[lead],
            team__responsibility="lead",
            team__ended_at__isnull=True,
        )
        for username in others:
            cases = cases.filter(
                pk__in=CaseTeamMember.objects.active().filter(user=self.u[username]).values("case")
            )
        if exclude is not None:
            cases = cases.exclude(pk=exclude.pk)
        case = cases.order_by("reference").first()
        assert case is not None, (lead, others)
        return case

    def _intelligence(self, case: Case) -> Thread:
        police = self.u["ct.police"]
        yield self.world.ago(10, 15, 20)
        add_note(
            fresh(case),
            by=police,
            category=DataCategory.INTELLIGENCE,
            nature=Nature.ASSESSMENT,
            body="A partner service reports he tried to buy ammunition across the border last month "
            "(graded B2). Not yet corroborated.",
            occurred_at=self.world.ago(12, 9),
        )
        share.flag_intelligence(
            fresh(case),
            by=police,
            owner=police,
            contact_note="Call the CT liaison desk before any decision on travel or events.",
        )

    def _consents(self, case: Case) -> Thread:
        lead, today = self.u["probation.officer"], self.world.today
        yield self.world.ago(90, 14)
        consent = share.record_consent(
            fresh(case),
            share.ConsentRequest(
                recipient_agency=self.a["employment"],
                categories=["general", "interventions"],
                purpose="job placement",
                evidence="consent given in a supervision session, noted",
                given_on=today - timedelta(days=90),
                expires_on=None,
            ),
            by=lead,
        )
        yield self.world.ago(60, 11)
        share.record_consent(
            fresh(case),
            share.ConsentRequest(
                recipient_agency=self.a["exit_ngo"],
                categories=["risk", "family"],
                purpose="exit mentoring and family reconnection",
                evidence="signed consent form, kept on the paper file",
                given_on=today - timedelta(days=60),
                expires_on=today + timedelta(days=300),
            ),
            by=lead,
        )
        yield self.world.ago(15, 16)
        share.withdraw_consent(
            consent, fresh(case), by=lead, note="He no longer wants the employer to be told."
        )

    def _agreement(self, case: Case) -> None:
        share.grant_agreement(
            fresh(case),
            share.AgreementRequest(
                recipient_agency=self.a["municipality"],
                recipient_user=None,
                categories=["identity", "legal", "risk", "family"],
                purpose="local prevention and safeguarding coordination",
                legal_basis="statutory_duty",
                valid_from=timezone.now(),
                valid_until=timezone.now() + timedelta(days=365),
            ),
            by=self.u["probation.officer"],
        )

    def _restrict(self, case: Case) -> None:
        share.add_restriction(
            fresh(case),
            by=self.u["probation.officer"],
            user=self.u["ngo.mentor"],
            kind=Restriction.Kind.NEVER,
            message="Restricted case: contact Maren Holt, the case lead.",
            reason="The mentor is related to a co-defendant (conflict of interest).",
        )

    def _womens_cases(self) -> list[Case]:
        return list(
            Case.objects.filter(
                team__user=self.u["womens.service"],
                team__ended_at__isnull=True,
                phase__in=[Phase.COMMUNITY, Phase.RELEASE_PLANNING],
            ).order_by("reference")[:4]
        )

    def _womens_consent(self, case: Case) -> None:
        recorder = case.team.lead()
        assert recorder is not None
        share.record_consent(
            fresh(case),
            share.ConsentRequest(
                recipient_agency=self.a["womens_ngo"],
                categories=["family", "health"],
                purpose="trauma-informed support and contact with her children",
                evidence="signed consent form",
                given_on=self.world.today - timedelta(days=20),
                expires_on=None,
            ),
            by=recorder.user,
        )

    def _break_glass(self) -> None:
        prison_cases = CaseTeamMember.objects.active().filter(agency=self.a["prison"]).values("case")
        case = (
            Case.objects.filter(phase=Phase.REINTEGRATION)
            .exclude(pk__in=prison_cases)
            .order_by("reference")
            .first()
        )
        assert case is not None
        share.open_break_glass(
            case,
            by=self.u["prison.governor"],
            reason="Reports of threats against a prison officer by the person's associate; "
            "the case lead could not be reached out of hours.",
        )


class SentenceWriter:
    """A sentence for every case, recorded by the prison the day after it opened, consistent with its
    phases: the release date ahead while in custody, the actual one once released. Responsibility is
    recomputed when the handover window opens and on release, as the daily run did then. A few cases
    follow the release-conference profile."""

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.rng = random.Random(SEED + 1)  # its own sequence, so the rest of the world does not change

    def write(self) -> None:
        other = JurisdictionProfile.objects.get(code="release-conference-model")
        cases = list(Case.objects.order_by("reference").select_related("person"))
        self.twins = self._twins([case for n, case in enumerate(cases) if n % 9 != 4])
        for n, case in enumerate(cases):
            profile = other if n % 9 == 4 else self.twins.get(case.pk, (None, case))[0]
            self.world.profiles[case.pk] = profile
            self.world.story.add(self._sentence(case, profile))

    def _twins(self, cases: list[Case]) -> dict[int, tuple[JurisdictionProfile, Case]]:
        """Two people in custody with the same sentence — same length, same start — one under Austria's
        rules and one under Germany's: conditional release after half of it in one, two thirds in the
        other, so their release, handover and licence dates differ. The first such pair of the world with
        someone on both teams."""
        austria = JurisdictionProfile.objects.get(code="austria")
        germany = JurisdictionProfile.objects.get(code="germany")
        names = Counter(case.person.full_name for case in cases)
        custody = [  # people a reader can find by name: no one else in the world is called the same
            case for case in cases if case.phase == Phase.CUSTODY and names[case.person.full_name] == 1
        ]
        length = {case.pk: _months(case.sentence_summary.partition(", ")[0]) for case in custody}
        team = {case.pk: _team(case) for case in custody}
        for first in custody:
            months = length[first.pk]
            start = timezone.localdate(first.opened_at)
            if months is None or months < 36 or add_months(start, months // 2) < self.world.today:
                continue
            second = next(
                (
                    case
                    for case in custody
                    if case != first
                    and length[case.pk] == months
                    and team[case.pk] & team[first.pk]  # someone who works under both jurisdictions
                ),
                None,
            )
            if second is not None:
                return {first.pk: (austria, first), second.pk: (germany, first)}
        return {}

    def _sentence(self, case: Case, profile: JurisdictionProfile | None) -> Thread:
        length, _, offence = case.sentence_summary.partition(", ")
        months = _months(length)
        start = timezone.localdate(case.opened_at)
        release = self._release(case, start, months)
        end = None if months is None else max(add_months(start, months), release + timedelta(days=90))
        twin = self.twins.get(case.pk)
        if twin is not None and months is not None:  # the twin's sentence, under this case's rules
            start = timezone.localdate(twin[1].opened_at)
            end = add_months(start, months)
            release = twin[0].conditional_release_from(start, end) or release
        details = custody.SentenceDetails(
            sentence_type="indeterminate" if months is None else "determinate",
            sentence_start=start,
            sentence_end=end,
            earliest_release=release,
            licence_end=end,
            parole_eligibility=release if months is None else None,
            conditional_release=release if profile is not None else None,  # those profiles' way
            panel_level=3 if case.pk % 11 == 0 else (2 if case.pk % 3 == 0 else 1),
            high_profile=case.pk % 17 == 0,
        )
        connection = "connection" in offence
        recorder = self.world.member(case, "prison", "womens_prison").user
        released = released_at(case)
        recorded = case.opened_at + timedelta(days=1, hours=2)
        yield recorded
        sentence = custody.record_sentence(
            fresh(case),
            details,
            [
                Offence(
                    description=offence,
                    terrorism_offence=not connection,
                    terrorist_connection=connection,
                    convicted_on=start,
                )
            ],
            by=recorder,
            profile=profile,
        )
        window = sentence.handover_starts_on
        opens = at_hour(window, 0, 5) if window is not None else None
        if opens is not None and recorded < opens < min(released or self.world.now, self.world.now):
            yield opens
            custody.recompute(Sentence.objects.get(pk=sentence.pk), timezone.localdate(opens))
        if released is not None:
            yield released + timedelta(minutes=1)
            custody.recompute(Sentence.objects.get(pk=sentence.pk), timezone.localdate(released))

    def _release(self, case: Case, start: date, months: int | None) -> date:
        released = released_at(case)
        if released is not None:
            return timezone.localdate(released)
        ahead = (20, 200) if case.phase == Phase.RELEASE_PLANNING else (240, 1400)
        return max(self.world.today + timedelta(days=self.rng.randint(*ahead)), start + timedelta(days=30))


def _team(case: Case) -> set[int]:
    return set(case.team.active().values_list("user", flat=True))


def _months(length: str) -> int | None:
    number, _, unit = length.partition(" ")
    if not number.isdigit():
        return None  # indeterminate
    return int(number) * (12 if unit.startswith("year") else 1)


class HandoverWriter:
    """Handovers on release-planning cases, started two days into release planning: some waiting for
    probation to accept, some accepted with items done on time; the daily run escalates what is overdue."""

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world

    def write(self) -> None:
        for n, case in enumerate(Case.objects.filter(phase=Phase.RELEASE_PLANNING).order_by("reference")):
            self.world.story.add(self._handover(case, n))

    def _handover(self, case: Case, n: int) -> Thread:
        lead = case.team.active().get(responsibility="lead").user
        probation = case.team.active().filter(agency__kind="probation").first()
        assert probation is not None
        begun = phase_started(case, Phase.RELEASE_PLANNING) + timedelta(days=2, hours=6)
        yield begun
        started = handover.start_handover(fresh(case), by=lead)
        if n % 3 == 0:
            return  # waiting for probation to accept
        accepted = min(begun + timedelta(days=4), self.world.now)
        yield accepted
        handover.accept_handover(started, by=probation.user)
        for item in started.items.filter(due_on__lt=self.world.today).order_by("due_on")[: n % 3]:
            yield max(at_hour(item.due_on - timedelta(days=1), 15), accepted)
            handover.complete_item(item, by=probation.user, note="Done, and filed with the release papers.")


class ConditionsWriter:
    """Licence conditions on community cases: recommended by probation three weeks into release planning,
    ordered by the court a week before release, the first appointment kept the day after. The Vienna lesson
    on the showcase case: a contact ban recommended by probation and not ordered; a breach there awaits a
    decision."""

    STANDARD = [
        ("SUP-01", {}),
        ("RES-01", {"address": "Approved premises, 14 Harbour Road, Westmark"}),
        ("EXT-01", {}),
        ("CND-01", {"number": "1"}),
    ]

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world

    def write(self) -> None:
        showcase = self.world.showcase
        for case in Case.objects.filter(phase=Phase.COMMUNITY).order_by("reference"):
            self.world.story.add(self._licence(case, showcase=case == showcase))

    def _licence(self, case: Case, *, showcase: bool) -> Thread:
        lead = case.team.active().get(responsibility="lead").user
        released = released_at(case)
        assert released is not None
        yield phase_started(case, Phase.RELEASE_PLANNING) + timedelta(days=21, hours=6)
        recommended = [
            conditions.recommend(fresh(case), _template(code), values, by=lead)
            for code, values in self.STANDARD
        ]
        ban = (
            conditions.recommend(
                fresh(case), _template("CON-01"), {"person": "his former co-defendant"}, by=lead
            )
            if showcase
            else None
        )
        ordered = released - timedelta(days=7)
        yield ordered
        for condition in recommended:
            conditions.order(
                condition,
                by=lead,
                authority="Westmark Regional Court",
                ordered_on=timezone.localdate(ordered),
            )
        if ban is not None:
            conditions.not_ordered(
                ban, by=lead, reason="The court considered the contact ban disproportionate"
            )
        first = released + timedelta(days=1, hours=8)
        if first < self.world.now:
            yield first
            self._kept(case, lead, timezone.localdate(first))
        if showcase:
            yield self.world.ago(2, 9, 30)
            conditions.record_compliance(
                fresh(case),
                conditions.EventInput(
                    kind="breach",
                    occurred_on=self.world.today - timedelta(days=3),
                    note="Seen at a gathering in the exclusion zone; he says it was a family wedding.",
                ),
                by=lead,
            )

    def _kept(self, case: Case, lead: User, day: date) -> None:
        conditions.record_compliance(
            fresh(case),
            conditions.EventInput(
                kind="kept", occurred_on=day, note="First appointment, the day after release."
            ),
            by=lead,
        )


def _template(code: str) -> ConditionTemplate:
    return ConditionTemplate.objects.get(code=code, is_current=True)


class NotificationsWriter:
    """Notification requirements of released terrorist offenders, started on release and made within
    the three days — except the latest release whose time is up on a case of `ct.police`: not recorded."""

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world

    def write(self) -> None:
        released = [
            (case, released_at(case))
            for case in Case.objects.filter(phase=Phase.COMMUNITY).order_by("reference")
            if self.world.profiles.get(case.pk) is None  # the default profile requires notification
        ]
        police = self.world.users["ct.police"]
        overdue = [
            case
            for case, at in released
            if at
            and at + timedelta(days=4) < self.world.now
            and case.team.active().filter(user=police).exists()
        ]
        late = max(overdue, key=lambda case: released_at(case) or self.world.now, default=None)
        for case, at in released:
            assert at is not None
            self.world.story.add(self._requirement(case, at, made=case != late))

    def _requirement(self, case: Case, released: datetime, *, made: bool) -> Thread:
        police = self.world.users["ct.police"]
        yield released + timedelta(minutes=2)
        requirement = notification_requirements.start_requirement(
            fresh(case), timezone.localdate(released), by=police
        )
        notified = released + timedelta(days=2, hours=5)
        if requirement is None or not made or notified >= self.world.now:
            return
        yield notified
        initial = NotificationDue.objects.get(requirement=requirement, kind="initial")
        notification_requirements.record_notification(
            initial, by=police, notified_on=timezone.localdate(notified)
        )


WRITERS: list[Callable[[WorldBuilder], Writer]] = [
    SharingShowcase,
    SentenceWriter,
    HandoverWriter,
    ConditionsWriter,
    NotificationsWriter,
    RehabWriter,
    ConferenceWriter,
    RiskWriter,
    OutcomesWriter,
    LearningWriter,
]
REFERENCE_DATA: list[Callable[[WorldBuilder], None]] = [
    programme_catalogue,
    quorum_rules,
    risk_instruments,
    reference_studies,
]
