"""A national-size synthetic world for benchmarks: `manage.py load_scale_world --cases N`.

Deterministic (one seed), bulk-written (PostgreSQL's COPY), and shaped like a national service: regions of
about 25,000 cases, each with two prisons, a probation service, police counter-terrorism, a municipality and
a mentoring NGO; officers with caseloads of about forty; cases in every phase with their sentence, team,
timeline across categories, reviews due, referrals, conferences, agreements, a few restrictions, the leads'
notifications (read and unread), and audit
events chained as the application chains them (each case's page, and one in fifty the lead's caseload, a
list indexed under each case it names). Names are invented from syllables: no real people.

The benchmark personas live in the first region: `scale.officer` (a probation officer with a caseload),
`scale.manager` (the region's probation manager), `scale.police`, `scale.mentor` (NGO, receives referrals),
`scale.chair` (chairs the region's conferences) and `scale.dpo` (the data-protection officer).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.audit import partitions
from throughcare.audit.chain import mac_of, seal_hash
from throughcare.audit.models import GENESIS_HASH, AuditEvent, ChainHead, ConsultedCase, canonical, content_of
from throughcare.cases.models import Case, CaseTeamMember, DataCategory, Phase, TimelineEntry
from throughcare.conferences.models import AgendaItem, Conference, ConferenceKind
from throughcare.custody.models import Offence, Sentence
from throughcare.demo.bulk import Table, quiet_triggers, reset_sequences, write
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.text import fold
from throughcare.notifications.models import Notification
from throughcare.people.models import Alias, Identifier, Person
from throughcare.rehab.models import Programme, Referral
from throughcare.rights.models import SubjectAccessRequest
from throughcare.risk.models import ReviewDue
from throughcare.sharing.models import Restriction, SharingAgreement

SEED = 20261204
REGION_CASES = 25_000
# One consultation in LIST_EVERY is of the lead's caseload: a list naming up to LIST_CASES of their cases.
LIST_EVERY = 50
LIST_CASES = 40
CASELOAD = 40
ACCESS_REQUESTS = 0.01  # of the people, the share who asked for their data in the last two years
PASSWORD = "scale-bench"  # noqa: S105 — a benchmark world's shared password, never a real one
REGIONS = [
    "Northmere",
    "Eastvale",
    "Southholm",
    "Westreach",
    "Highcombe",
    "Lowfield",
    "Ashgrove",
    "Brackwater",
    "Coldharbour",
    "Dunmore",
    "Elmstead",
    "Farrowby",
]
SYLLABLES = [
    "ka",
    "lo",
    "mer",
    "dan",
    "vi",
    "sor",
    "tel",
    "ba",
    "rin",
    "os",
    "ul",
    "zen",
    "ha",
    "mi",
    "to",
    "rek",
    "si",
    "van",
    "dor",
    "el",
    "qu",
    "ir",
    "na",
    "bo",
    "fen",
    "ja",
    "ly",
    "pa",
    "gor",
    "ae",
]
PHASES = [Phase.CUSTODY, Phase.RELEASE_PLANNING, Phase.COMMUNITY, Phase.REINTEGRATION, Phase.CLOSED]
PHASE_WEIGHTS = [35, 10, 35, 10, 10]
CATEGORIES = [
    DataCategory.GENERAL,
    DataCategory.RISK,
    DataCategory.INTERVENTIONS,
    DataCategory.LEGAL,
    DataCategory.HEALTH,
    DataCategory.FAMILY,
    DataCategory.IDENTITY,
    DataCategory.INTELLIGENCE,
]
CATEGORY_WEIGHTS = [30, 15, 15, 10, 8, 7, 5, 10]
OPEN = {Phase.CUSTODY, Phase.RELEASE_PLANNING, Phase.COMMUNITY, Phase.REINTEGRATION}
IN_CUSTODY = {Phase.CUSTODY, Phase.RELEASE_PLANNING}


@dataclass
class Region:
    name: str
    agencies: dict[str, int]  # role in the region (prison_a, probation, …) → agency id
    staff: dict[str, list[int]] = field(default_factory=dict)  # kind of worker → user ids
    next_of: dict[str, int] = field(default_factory=dict)  # round-robin position per kind

    def take(self, kind: str) -> int:
        """The next worker of a kind, in turn: caseloads fill evenly."""
        position = self.next_of.get(kind, 0)
        self.next_of[kind] = position + 1
        people = self.staff[kind]
        return people[(position // CASELOAD) % len(people)]


@dataclass
class Built:
    cases: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, count: int) -> None:
        self.rows[label] = self.rows.get(label, 0) + count


@dataclass(frozen=True)
class Shape:
    cases: int
    entries: int = 100  # timeline entries per case
    audit: int = 100  # audit events per case
    seed: int = SEED


class World:
    """Builds the world into an empty database (the reference data of the migrations present)."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.rng = random.Random(shape.seed)
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.password = make_password(PASSWORD)
        self.built = Built()
        self.ids = {model: Table(model).next_id() for model in _MODELS}
        self.leads: list[int] = []  # the lead's user id, by case index
        self.people: list[int] = []  # the person's id, by case index
        self.busiest: int | None = None
        self.dpo = 0  # the national data protection officer's user id (scale.dpo), once made

    def build(self, report: Any = None) -> Built:
        """All or nothing: one transaction (COPY into tables created in it is cheap on PostgreSQL)."""
        with transaction.atomic():
            quiet_triggers()
            return self._build(report)

    def _build(self, report: Any) -> Built:
        if Case.objects.exists():
            raise ValueError("The scale world is built into an empty database (no cases yet).")
        regions = [self._region(i) for i in range((self.shape.cases + REGION_CASES - 1) // REGION_CASES)]
        self._personas(regions[0])
        self.busiest = regions[0].staff["probation"][
            0
        ]  # scale.officer: one case of theirs holds ten times more
        first = self.ids[Case]
        for number, region in enumerate(regions):
            start = number * REGION_CASES
            count = min(REGION_CASES, self.shape.cases - start)
            self._cases(region, start, count)
            if report:
                report(f"{region.name}: {count} cases")
        self._audit(first)
        reset_sequences(_MODELS)
        self.built.cases = self.shape.cases
        return self.built

    # People who work ------------------------------------------------------------------------------

    def _region(self, number: int) -> Region:
        name = REGIONS[number % len(REGIONS)] + (
            "" if number < len(REGIONS) else f" {number // len(REGIONS)}"
        )
        kinds = {
            "prison_a": (f"{name} Prison A", AgencyKind.PRISON),
            "prison_b": (f"{name} Prison B", AgencyKind.PRISON),
            "probation": (f"{name} Probation Service", AgencyKind.PROBATION),
            "police": (f"{name} Police Counter-Terrorism", AgencyKind.POLICE_CT),
            "municipality": (f"{name} City Council", AgencyKind.MUNICIPALITY),
            "ngo": (f"{name} Mentoring Network", AgencyKind.NGO),
        }
        agencies = {}
        rows = []
        for role, (title, kind) in kinds.items():
            agencies[role] = self._id(Agency)
            rows.append(
                {
                    "id": agencies[role],
                    "name": title,
                    "short_name": title[:40],
                    "kind": kind,
                    "region": name,
                    "country": "XS",
                    "is_government": kind != AgencyKind.NGO,
                }
            )
        self.built.add("agencies", write(Agency, rows))
        region = Region(name, agencies)
        size = min(REGION_CASES, self.shape.cases - number * REGION_CASES)
        staff = {
            "prison": ("prison_a", max(2, size * 45 // 100 // CASELOAD)),
            "probation": ("probation", max(2, size * 65 // 100 // CASELOAD)),
            "police": ("police", max(1, size // 400)),
            "mentor": ("ngo", max(1, size // 200)),
        }
        users: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        slug = fold(name).replace(" ", "")
        for worker, (role, count) in staff.items():
            region.staff[worker] = []
            for i in range(count):
                agency = agencies["prison_b"] if worker == "prison" and i % 2 else agencies[role]
                uid = self._user(users, f"{slug}.{worker}{i}", worker.title(), f"{i}")
                memberships.append(self._membership(uid, agency, Role.PRACTITIONER))
                region.staff[worker].append(uid)
        for role in ("prison_a", "prison_b", "probation", "police", "ngo"):
            uid = self._user(users, f"{slug}.{role}.manager", "Manager", name)
            memberships.append(self._membership(uid, agencies[role], Role.MANAGER))
            region.staff[f"{role}.manager"] = [uid]
        self.built.add("users", write(User, users))
        self.built.add("memberships", write(Membership, memberships))
        return region

    def _user(self, rows: list[dict[str, Any]], username: str, first: str, last: str) -> int:
        uid = self._id(User)
        rows.append(
            {
                "id": uid,
                "username": username,
                "password": self.password,
                "first_name": first,
                "last_name": last,
                "is_active": True,
                "date_joined": self.now,
            }
        )
        return uid

    def _membership(self, user: int, agency: int, role: str, **flags: bool) -> dict[str, Any]:
        return {
            "id": self._id(Membership),
            "user_id": user,
            "agency_id": agency,
            "role": role,
            "created_at": self.now,
            **flags,
        }

    def _personas(self, region: Region) -> None:
        """The benchmark's named users, in the first region: the officer and manager are the region's
        first probation officer and its manager, renamed; the others are new."""
        renames = {
            region.staff["probation"][0]: ("scale.officer", "Orla", "Vintner"),
            region.staff["probation.manager"][0]: ("scale.manager", "Mads", "Quillon"),
            region.staff["police"][0]: ("scale.police", "Petra", "Osgood"),
            region.staff["mentor"][0]: ("scale.mentor", "Milo", "Tarrant"),
        }
        for uid, (username, first, last) in renames.items():
            User.objects.filter(pk=uid).update(username=username, first_name=first, last_name=last)
        users: list[dict[str, Any]] = []
        chair = self._user(users, "scale.chair", "Chiara", "Dunlevy")
        dpo = self._user(users, "scale.dpo", "Dara", "Pellow")
        write(User, users)
        write(
            Membership,
            [
                self._membership(
                    chair, region.agencies["probation"], Role.PRACTITIONER, may_chair_conferences=True
                ),
                self._membership(dpo, region.agencies["probation"], Role.AUDITOR),
            ],
        )
        region.staff["chair"] = [chair]
        self.dpo = dpo

    # Cases ----------------------------------------------------------------------------------------

    def _cases(self, region: Region, start: int, count: int) -> None:
        rng, shape = self.rng, self.shape
        profile = JurisdictionProfile.objects.get(is_default=True).pk
        Rows = list[dict[str, Any]]
        people: Rows = []
        aliases: Rows = []
        identifiers: Rows = []
        cases: Rows = []
        team: Rows = []
        entries: Rows = []
        sentences: Rows = []
        offences: Rows = []
        reviews: Rows = []
        referrals: Rows = []
        agreements: Rows = []
        restrictions: Rows = []
        notifications: Rows = []
        programmes = self._programmes(region)
        case_ids = []
        for index in range(start, start + count):
            phase = rng.choices(PHASES, PHASE_WEIGHTS)[0]
            opened = self.now - timedelta(days=rng.randint(30, 3000))
            last = opened + (self.now - opened) * rng.random()
            person, case = self._id(Person), self._id(Case)
            case_ids.append(case)
            given, family = self._name(), self._name() + self._name()
            people.append(
                {
                    "id": person,
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                    "gender": rng.choice(["male", "male", "male", "female"]),
                    "nationality": "Synthetic",
                    "search_text": fold(f"{given} | {family}"),
                }
            )
            if rng.random() < 0.1:
                alias = self._name() + " " + self._name()
                aliases.append({"id": self._id(Alias), "person_id": person, "name": alias.title()})
                people[-1]["search_text"] += " | " + fold(alias)
            identifiers.append(
                {
                    "id": self._id(Identifier),
                    "person_id": person,
                    "kind": "prison_number",
                    "value": f"SX{index:07d}",
                }
            )
            cases.append(
                {
                    "id": case,
                    "reference": f"{settings.CASE_REFERENCE_PREFIX}-S-{index + 1:07d}",
                    "person_id": person,
                    "sentence_summary": "Synthetic sentence",
                    "phase": phase,
                    "is_terrorism_case": rng.random() < 0.8,
                    "opened_at": opened,
                    "last_activity_at": last,
                }
            )
            members = self._team(region, case, phase, opened, team)
            self.leads.append(members[0][0])
            self.people.append(person)
            many = members[0][0] == self.busiest
            if many:
                self.busiest = None
            entries.extend(self._entries(case, members, opened, last, shape.entries * (10 if many else 1)))
            sentences.append(self._sentence(case, profile, phase, opened))
            offences.append(
                {
                    "id": self._id(Offence),
                    "case_id": case,
                    "description": "Synthetic offence",
                    "terrorism_offence": cases[-1]["is_terrorism_case"],
                }
            )
            if phase in OPEN:
                reviews.append(
                    {
                        "id": self._id(ReviewDue),
                        "case_id": case,
                        "kind": rng.choice(["assessment", "plan"]),
                        "due_on": self.today + timedelta(days=rng.randint(-40, 200)),
                        "reason": "scheduled",
                        "requested_at": self.now,
                    }
                )
            if phase in OPEN and rng.random() < 0.25:
                referrals.append(self._referral(case, members[0], rng.choice(programmes), last))
            if phase in OPEN:
                notifications.extend(self._notifications(case, members[0][0], last))
            self._sharing(region, case, members[0][0], opened, agreements, restrictions)
            if len(entries) > 200_000:
                self.built.add("timeline entries", write(TimelineEntry, entries))
                entries = []
        self.built.add("people", write(Person, people))
        write(Alias, aliases)
        write(Identifier, identifiers)
        self.built.add("cases", write(Case, cases))
        self.built.add("team places", write(CaseTeamMember, team))
        self.built.add("timeline entries", write(TimelineEntry, entries))
        write(Sentence, sentences)
        write(Offence, offences)
        self.built.add("reviews due", write(ReviewDue, reviews))
        self.built.add("referrals", write(Referral, referrals))
        self.built.add("agreements", write(SharingAgreement, agreements))
        self.built.add("restrictions", write(Restriction, restrictions))
        self.built.add("notifications", write(Notification, notifications))
        asked = [self._access_request(p["id"]) for p in people if rng.random() < ACCESS_REQUESTS]
        self.built.add("subject access requests", write(SubjectAccessRequest, asked))
        self._conferences(region, case_ids)

    def _access_request(self, person: int) -> dict[str, Any]:
        """A person's request for their data, received in the last two years, opened by the DPO; answered
        unless received in the last month (the DPO's queue holds those)."""
        received = self.today - timedelta(days=self.rng.randint(0, 730))
        opened = datetime.combine(received, time(11), tzinfo=self.now.tzinfo)
        answered = opened + timedelta(days=20) if received < self.today - timedelta(days=30) else None
        return {
            "id": self._id(SubjectAccessRequest),
            "person_id": person,
            "received_on": received,
            "how_received": "Letter to the probation office",
            "opened_by_id": self.dpo,
            "opened_at": opened,
            "answered_at": answered,
        }

    def _notifications(self, case: int, lead: int, last: datetime) -> list[dict[str, Any]]:
        """What the lead was told about the case: one read notice in two, one unread in four, each naming
        the case and the kind of data it is about (the header counts the unread ones on every page)."""
        rows = []
        for unread, share in ((False, 0.5), (True, 0.25)):
            if self.rng.random() < share:
                rows.append(
                    {
                        "id": self._id(Notification),
                        "recipient_id": lead,
                        "subject": "Plan review required",
                        "url": f"/cases/{case}/",
                        "case_id": case,
                        "category": self.rng.choice(["", "risk", "general", "legal"]),
                        "created_at": last,
                        "read_at": None if unread else last + timedelta(hours=2),
                    }
                )
        return rows

    def _sharing(
        self,
        region: Region,
        case: int,
        lead: int,
        opened: datetime,
        agreements: list[dict[str, Any]],
        restrictions: list[dict[str, Any]],
    ) -> None:
        """A few cases shared with the municipality by agreement; fewer kept from one officer."""
        if self.rng.random() < 0.03:
            agreements.append(
                {
                    "id": self._id(SharingAgreement),
                    "case_id": case,
                    "recipient_agency_id": region.agencies["municipality"],
                    "purpose": "Housing support",
                    "legal_basis": "statutory_duty",
                    "valid_from": opened,
                    "granted_by_id": lead,
                    "granted_at": opened,
                }
            )
        if self.rng.random() < 0.003:
            restrictions.append(
                {
                    "id": self._id(Restriction),
                    "case_id": case,
                    "user_id": region.take("probation"),
                    "kind": "never",
                    "message": "Not for this officer",
                    "reason": "Conflict of interest",
                    "created_by_id": lead,
                    "created_at": opened,
                }
            )

    def _name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()

    def _team(
        self, region: Region, case: int, phase: str, opened: datetime, rows: list[dict[str, Any]]
    ) -> list[tuple[int, int]]:
        """The case's team (lead first) as (user, agency) pairs, written into `rows`."""
        rng = self.rng
        agencies = region.agencies
        prison = agencies["prison_a"] if rng.random() < 0.5 else agencies["prison_b"]
        if phase in IN_CUSTODY:
            members = [(region.take("prison"), prison, "lead", "Prison offender manager")]
            if phase == Phase.RELEASE_PLANNING or rng.random() < 0.4:
                members.append(
                    (
                        region.take("probation"),
                        agencies["probation"],
                        "supporting",
                        "Community offender manager",
                    )
                )
        else:
            members = [
                (region.take("probation"), agencies["probation"], "lead", "Community offender manager")
            ]
            if rng.random() < 0.3:
                members.append((region.take("mentor"), agencies["ngo"], "supporting", "Mentor"))
        if rng.random() < 0.6:
            members.append((region.take("police"), agencies["police"], "supporting", "CT liaison"))
        members = list({m[0]: m for m in members}.values())  # one active place per worker
        for user, agency, responsibility, function in members:
            rows.append(
                {
                    "id": self._id(CaseTeamMember),
                    "case_id": case,
                    "user_id": user,
                    "agency_id": agency,
                    "responsibility": responsibility,
                    "function": function,
                    "started_at": opened,
                }
            )
        if rng.random() < 0.15:
            ended = opened + timedelta(days=rng.randint(1, 60))
            rows.append(
                {
                    "id": self._id(CaseTeamMember),
                    "case_id": case,
                    "user_id": region.take("probation"),
                    "agency_id": agencies["probation"],
                    "responsibility": "supporting",
                    "function": "Previous offender manager",
                    "started_at": opened,
                    "ended_at": ended,
                }
            )
        return [(m[0], m[1]) for m in members]

    def _entries(
        self, case: int, members: list[tuple[int, int]], opened: datetime, last: datetime, count: int
    ) -> Iterator[dict[str, Any]]:
        rng = self.rng
        span = (last - opened).total_seconds()
        for i in range(count):
            author, agency = members[i % len(members)]
            at = opened + timedelta(seconds=span * (i + 1) / count)
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            yield {
                "id": self._id(TimelineEntry),
                "case_id": case,
                "kind": "note",
                "category": category,
                "nature": "fact" if i % 3 else "assessment",
                "body": f"Supervision contact {i + 1}: attended as agreed; discussed work, family and plans.",
                "occurred_at": at,
                "recorded_at": at,
                "author_id": author,
                "author_agency_id": agency,
            }

    def _sentence(self, case: int, profile: int, phase: str, opened: datetime) -> dict[str, Any]:
        rng, today = self.rng, self.today
        release: date = {
            Phase.CUSTODY: today + timedelta(days=rng.randint(1, 1500)),
            Phase.RELEASE_PLANNING: today + timedelta(days=rng.randint(1, 120)),
            Phase.COMMUNITY: today - timedelta(days=rng.randint(1, 1000)),
            Phase.REINTEGRATION: today - timedelta(days=rng.randint(1000, 2000)),
            Phase.CLOSED: today - timedelta(days=rng.randint(2000, 3000)),
        }[Phase(phase)]
        start = min(opened.date(), release - timedelta(days=365))
        end = release + timedelta(days=365 * rng.randint(2, 6))
        return {
            "id": self._id(Sentence),
            "case_id": case,
            "profile_id": profile,
            "sentence_type": "determinate",
            "sentence_start": start,
            "sentence_end": end,
            "conditional_release": release,
            "licence_end": end,
        }

    def _programmes(self, region: Region) -> list[int]:
        rows: list[dict[str, Any]] = [
            {
                "id": self._id(Programme),
                "name": f"{region.name} {title}",
                "description": "Synthetic programme",
                "provider_id": region.agencies["ngo"],
                "setting": "both",
                "audience": audience,
                "capacity": 500,
            }
            for title, audience in (
                ("Mentoring", "extremism"),
                ("Family support", "family"),
                ("Employment", "general"),
            )
        ]
        write(Programme, rows)
        return [row["id"] for row in rows]

    def _referral(self, case: int, lead: tuple[int, int], programme: int, when: datetime) -> dict[str, Any]:
        status = self.rng.choices(
            ["submitted", "awaiting_assessment", "suitable", "on_programme", "complete", "withdrawn"],
            [15, 10, 10, 40, 20, 5],
        )[0]
        return {
            "id": self._id(Referral),
            "case_id": case,
            "programme_id": programme,
            "status": status,
            "reason": "Synthetic referral",
            "referred_by_id": lead[0],
            "referring_agency_id": lead[1],
            "created_at": when,
            "submitted_at": when,
        }

    def _conferences(self, region: Region, case_ids: list[int]) -> None:
        """Weekly case conferences: a year of them held, four weeks ahead scheduled, 15 cases each."""
        chair = region.staff.get("chair", region.staff["probation.manager"])[0]
        conferences, items = [], []
        for week in range(-52, 5):
            conference = self._id(Conference)
            held = self.today + timedelta(weeks=week)
            conferences.append(
                {
                    "id": conference,
                    "kind": ConferenceKind.CASE,
                    "held_on": held,
                    "starts_at": time(10),
                    "status": "approved" if week < -1 else ("held" if week < 1 else "scheduled"),
                    "chair_id": chair,
                    "created_by_id": chair,
                    "created_at": self.now,
                }
            )
            for order, case in enumerate(self.rng.sample(case_ids, min(15, len(case_ids)))):
                items.append(
                    {"id": self._id(AgendaItem), "conference_id": conference, "case_id": case, "order": order}
                )
        self.built.add("conferences", write(Conference, conferences))
        self.built.add("agenda items", write(AgendaItem, items))

    # The audit log ---------------------------------------------------------------------------------

    def _audit(self, first_case: int) -> None:
        """Consultations by each case's lead, spread over the last three years in time order, chained:
        mostly of one case's page, and one in LIST_EVERY of the lead's whole caseload (a list, indexed
        under each case it names with its month and actor, as the sealer leaves it)."""
        total = self.shape.audit * self.shape.cases
        if not total:
            return
        head = ChainHead.objects.select_for_update().get_or_create(pk=1)[0]
        state = {"seq": head.seq, "hash": head.hash or GENESIS_HASH}
        month = partitions.month_of(self.now - timedelta(days=3 * 365))
        while month <= partitions.month_of(self.now):
            partitions.ensure([month])
            month = partitions.following(month)
        caseloads: dict[int, list[int]] = {}
        for index, lead in enumerate(self.leads):
            caseloads.setdefault(lead, []).append(index)
        first_event = self.ids[AuditEvent]
        events = self._events(first_case, total, state, caseloads)
        self.built.add("audit events", write(AuditEvent, events))
        lists = self._lists(first_case, first_event, total, caseloads)
        self.built.add("cases named by lists", write(ConsultedCase, lists))
        ChainHead.objects.filter(pk=1).update(
            seq=state["seq"], hash=state["hash"], month=partitions.month_of(self.now)
        )

    def _event_at(
        self, j: int, total: int, caseloads: dict[int, list[int]]
    ) -> tuple[datetime, int, list[int]]:
        """The `j`th event's time, actor and the case indexes it is about (several: a list)."""
        start = self.now - timedelta(days=3 * 365)
        cases = self.shape.cases
        stride = 7919 if cases % 7919 else 7907  # a prime: every case in turn, scattered
        index = (j * stride) % cases
        lead = self.leads[index]
        about = caseloads[lead][:LIST_CASES] if j % LIST_EVERY == LIST_EVERY - 1 else [index]
        return start + (self.now - start) / total * j, lead, about

    def _events(
        self, first_case: int, total: int, state: dict[str, Any], caseloads: dict[int, list[int]]
    ) -> Iterator[dict[str, Any]]:
        for j in range(total):
            at, lead, about = self._event_at(j, total, caseloads)
            seq = state["seq"] + 1
            if len(about) == 1:
                case_id, object_type, why = first_case + about[0], "cases.timelineentry", "case page: lead"
                details: dict[str, Any] = {
                    "channel": "case page", "shown": [j % 1000 + 1, j % 1000 + 2], "shown_count": 2
                }  # fmt: skip
            else:
                case_id, object_type, why = None, "people.person", "caseload: lead"
                shown = {str(first_case + i): {"ids": [self.people[i]], "count": 1} for i in about}
                details = {"channel": "caseload", "shown": shown}
            body = canonical(
                content_of(at, "consultation", lead, None, case_id, object_type, "", why, [], details)
            )
            digest = seal_hash(state["hash"], seq, body)
            yield {
                "id": self._id(AuditEvent),
                "seq": seq,
                "occurred_at": at,
                "month": partitions.month_of(at),
                "operation": "consultation",
                "actor_id": lead,
                "case_id": case_id,
                "object_type": object_type,
                "justification": why,
                "prev_hash": state["hash"],
                "hash": digest,
                "body": body,
                "mac": mac_of(body),
            }
            state["seq"], state["hash"] = seq, digest

    def _lists(
        self, first_case: int, first_event: int, total: int, caseloads: dict[int, list[int]]
    ) -> Iterator[dict[str, Any]]:
        """The cases each list names (the events again, only their times and cases: not kept in memory)."""
        for j in range(LIST_EVERY - 1, total, LIST_EVERY):
            at, lead, about = self._event_at(j, total, caseloads)
            if len(about) > 1:
                month = partitions.month_of(at)
                for i in about:
                    yield {
                        "id": self._id(ConsultedCase),
                        "event_id": first_event + j,
                        "case_id": first_case + i,
                        "month": month,
                        "actor_id": lead,
                    }

    def _id(self, model: type[Any]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value


_MODELS: list[type[Any]] = [
    Agency,
    User,
    Membership,
    Person,
    Alias,
    Identifier,
    Case,
    CaseTeamMember,
    TimelineEntry,
    Sentence,
    Offence,
    ReviewDue,
    Programme,
    Referral,
    SharingAgreement,
    Restriction,
    Notification,
    SubjectAccessRequest,
    Conference,
    AgendaItem,
    AuditEvent,
    ConsultedCase,
]
