"""The demo world's rehabilitation: a catalogue of programmes (government and partner, custody and
community, gender-responsive ones among them), resettlement needs on the open cases, children and
gender-responsive needs for the women and returnees, referrals in every state of their life, and one
woman in custody, about to be released, whom `prison.manager` can refer to the women's service.

Written through the same actions users call.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import (
    Case,
    Phase,
    case_reference,
)
from throughcare.conferences.actions import DecisionInput, ReleaseConferenceInput, record_release_conference
from throughcare.custody import actions as custody
from throughcare.custody.models import Offence
from throughcare.demo.scale import CASE_COUNT, SEED
from throughcare.demo.story import Thread, fresh, phase_started
from throughcare.people.models import Gender, Person
from throughcare.rehab import referrals, support
from throughcare.rehab.access import get_referral_for_user
from throughcare.rehab.defaults import ensure_default_criteria
from throughcare.rehab.models import CriteriaSet, Criterion, Programme, Referral
from throughcare.sharing import actions as share

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder

# (name, provider, setting, audience, gender, women-only, trauma-informed, languages, capacity, text)
PROGRAMMES = [
    (
        "Identity and Belonging",
        "prison",
        "custody",
        "extremism",
        "any",
        False,
        False,
        "English, French",
        8,
        "Twelve one-to-one sessions in custody on identity, grievance and belonging; for people convicted of "
        "extremist offences. Written for the demo.",
    ),
    (
        "Turning Point disengagement mentoring",
        "exit_ngo",
        "both",
        "extremism",
        "any",
        False,
        True,
        "English, Arabic, Somali",
        20,
        "A mentor who has left a violent group themselves meets the person weekly, before and after release.",
    ),
    (
        "Women's resettlement support",
        "womens_ngo",
        "community",
        "general",
        "women",
        True,
        True,
        "English, French, Arabic",
        12,
        "One-to-one support for women leaving custody: housing, children, safety, money. Arranged from "
        "custody, delivered after release by a woman worker in a women-only centre.",
    ),
    (
        "Mothers and children reconnection",
        "child_services",
        "both",
        "family",
        "women",
        True,
        True,
        "English, French, Dutch",
        10,
        "Supported contact and parenting work for mothers, including women returning from conflict zones "
        "with their children.",
    ),
    (
        "Trauma recovery group for women",
        "mental_health",
        "community",
        "general",
        "women",
        True,
        True,
        "English",
        8,
        "A ten-week group led by a psychologist, for women with experience of violence.",
    ),
    (
        "Bridge to Work",
        "employment",
        "community",
        "general",
        "any",
        False,
        False,
        "English, Turkish",
        30,
        "Employment advice, training places and an employer network willing to hire people with convictions.",
    ),
    (
        "Housing first on release",
        "housing",
        "community",
        "general",
        "any",
        False,
        False,
        "English",
        15,
        "A tenancy ready on the day of release, with a support worker for the first six months.",
    ),
    (
        "Thinking skills",
        "prison",
        "custody",
        "violence",
        "any",
        False,
        False,
        "English",
        12,
        "A group programme on problem solving and self-control for people convicted of violent offences.",
    ),
]
CONSENT_BASED = {"exit_ngo", "womens_ngo", "employment", "housing"}

NEEDS = [
    ("accommodation", "A settled address near family", "probation", "housing"),
    ("education_work", "A training place or a job with a willing employer", "partner", "employment"),
    ("finance_id", "Identity documents and a bank account before release", "prison", "prison"),
    ("attitudes", "Work on grievance and belonging", "prison", "prison"),
    ("family", "Contact with the children, safely arranged", "probation", "child_services"),
]


def programme_catalogue(world: WorldBuilder) -> None:
    """Reference data: the programmes on offer, and the default criteria of success and exit."""
    ensure_default_criteria(CriteriaSet, Criterion)
    for name, provider, setting, audience, gender, women, trauma, languages, capacity, text in PROGRAMMES:
        Programme.objects.create(
            name=name,
            description=text,
            provider=world.agencies[provider],
            setting=setting,
            audience=audience,
            eligible_gender=gender,
            women_only_delivery=women,
            trauma_informed=trauma,
            languages=languages,
            capacity=capacity,
            requires_consent=provider in CONSENT_BASED,
        )


class RehabWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users
        self.a = world.agencies
        self.rng = random.Random(SEED + 2)  # its own sequence: the rest of the world does not depend on it
        self.today = world.today

    def write(self) -> None:
        story = self.world.story
        open_cases = Case.objects.exclude(phase=Phase.CLOSED).select_related("person").order_by("reference")
        for n, case in enumerate(open_cases):
            if case.phase != Phase.CUSTODY and n % 3 != 2:
                story.add(self._needs(case))
            if case.person.gender == Gender.FEMALE or case.person.is_returnee:
                story.add(self._family(case))
        for n, case in enumerate(Case.objects.filter(phase=Phase.CUSTODY).order_by("reference")[:6]):
            story.add(self._referral(case, n))
        story.add(self._woman_about_to_be_released())

    def _share_of(self, case: Case, fraction: float) -> datetime:
        """A moment this far into the case's life so far (0: opened, 1: the present)."""
        return case.opened_at + (self.world.now - case.opened_at) * fraction

    def _needs(self, case: Case) -> Thread:
        lead = case.team.lead()
        if lead is None:
            return
        chosen = [
            (need, self.rng.choice(["identified", "in_progress", "in_progress", "met"]))
            for need in self.rng.sample(NEEDS, 2)
        ]
        planning = phase_started(case, Phase.RELEASE_PLANNING)
        later = min(planning + timedelta(days=55), self.world.now - timedelta(hours=2))
        yield min(planning + timedelta(days=10, hours=5), later)
        made = [
            support.add_need(
                fresh(case),
                by=lead.user,
                pathway=pathway,
                need=need,
                owner_kind=owner_kind,
                owner_agency=self.a[agency],
            )
            for (pathway, need, owner_kind, agency), _ in chosen
        ]
        yield later
        for need, (_, state) in zip(made, chosen, strict=True):
            if state != "identified":
                support.update_need(need, by=lead.user, state=state, expected_version=1)

    def _family(self, case: Case) -> Thread:
        lead = case.team.lead()
        if lead is None:
            return
        count = self.rng.randint(1, 3) if case.person.is_returnee else self.rng.randint(0, 2)
        children = [
            (
                self.rng.choice(["Yara", "Sami", "Ilyas", "Maya", "Adam", "Noor", "Zaid"]),
                365 * (2 + 3 * n) + self.rng.randint(0, 300),
                self.rng.choice(
                    ["With their grandmother", "In foster care", "With an aunt", "With their father"]
                ),
            )
            for n in range(count)
        ]
        kind = self.rng.choice(["trauma", "childcare", "domestic_abuse"])
        yield min(case.opened_at + timedelta(days=10, hours=3), self._share_of(case, 0.3))
        for given_name, age_days, care in children:
            support.add_dependant(
                fresh(case),
                by=lead.user,
                given_name=given_name,
                family_name=case.person.family_name,
                date_of_birth=timezone.localdate() - timedelta(days=age_days),  # their age when recorded
                relation="child",
                lives_with=False,
                care_arrangement=care,
            )
        if case.person.gender == Gender.FEMALE:
            yield min(case.opened_at + timedelta(days=14, hours=3), self._share_of(case, 0.4))
            support.add_support_need(
                fresh(case),
                by=lead.user,
                kind=kind,
                detail="Identified at the women's unit's reception screening",
                safety_plan="Agreed with the women's service: safe contact number, no disclosure of address",
            )

    def _referral(self, case: Case, n: int) -> Thread:
        """A referral on a custody case, moved as far as its place in the list says."""
        lead = case.team.lead()
        if lead is None:
            return
        programme = Programme.objects.get(name="Identity and Belonging" if n % 2 == 0 else "Thinking skills")
        path = [
            ["submitted"],
            ["submitted", "awaiting_assessment"],
            ["submitted", "awaiting_assessment", "suitable", "on_programme"],
        ][n % 3]
        yield self._share_of(case, 0.4)
        referral = referrals.make_referral(
            fresh(case),
            programme,
            by=lead.user,
            reason="Assessed need: identity and grievance work",
            sections=["about"],
        )
        for k, step in enumerate(path):
            yield self._share_of(case, 0.45 + 0.1 * k)
            self._move(referral, step, lead.user)

    def _move(self, referral: Referral, step: str, team_user: User) -> None:
        """Team steps as the referrer; provider steps as a worker of the provider."""
        if step == "submitted":
            standing = get_referral_for_user(team_user, referral.pk)[1]
            referrals.move(referral, step, by=team_user, standing=standing)
            return
        worker = self.u["prison.manager3"] if referral.programme.provider == self.a["prison"] else team_user
        standing = get_referral_for_user(worker, referral.pk)[1]
        referrals.move(referral, step, by=worker, standing=standing)

    def _woman_about_to_be_released(self) -> Thread:
        """Layla's story: received into the women's unit two and a half years ago, a terrorism offence;
        release planning began four months ago, when probation and the police joined her case; her release
        conference was held last week and her consent to the women's service is recorded — she is released
        in three weeks, ready for `prison.manager` to refer her."""
        prison_manager, officer, police = (
            self.u["prison.manager"],
            self.u["probation.officer"],
            self.u["ct.police"],
        )
        ago = self.world.ago
        yield ago(900, 11)
        case = case_actions.open_case(
            case_actions.NewPerson(
                given_name="Layla",
                family_name="Verhoeven",
                date_of_birth=self.today - timedelta(days=365 * 29 + 40),
                gender=Gender.FEMALE,
                nationality="Westmarkish",
                languages="Dutch, Arabic, English",
            ),
            by=prison_manager,
            agency=self.a["prison"],
            function="Prison offender manager",
        )
        Person.objects.filter(pk=case.person_id).update(is_returnee=True)
        # Numbered after the generated cases, whatever the database's sequences say (same world every time).
        Case.objects.filter(pk=case.pk).update(reference=case_reference(CASE_COUNT + 1, case.opened_at))
        release = self.today + timedelta(days=21)
        yield ago(899, 10)
        custody.record_sentence(
            fresh(case),
            custody.SentenceDetails(
                sentence_type="determinate",
                sentence_start=self.today - timedelta(days=900),
                conditional_release=release,
                sentence_end=release + timedelta(days=730),
                licence_end=release + timedelta(days=730),
                panel_level=2,
            ),
            [Offence(description="Membership of a proscribed organisation abroad", terrorism_offence=True)],
            by=prison_manager,
        )
        yield ago(880, 14)
        support.add_dependant(
            fresh(case),
            by=prison_manager,
            given_name="Yara",
            family_name="Verhoeven",
            date_of_birth=self.today - timedelta(days=365 * 7),
            relation="child",
            lives_with=True,
            care_arrangement="With her grandmother until release",
        )
        support.add_support_need(
            fresh(case),
            by=prison_manager,
            kind="trauma",
            detail="Lived under a violent group's control for three years",
        )
        yield ago(120, 10)
        for user, agency, function in [
            (officer, "probation", "Community offender manager"),
            (police, "police", "CT liaison"),
        ]:
            case_actions.add_to_team(
                fresh(case),
                by=prison_manager,
                user=user,
                agency=self.a[agency],
                responsibility="supporting",
                function=function,
            )
        yield ago(120, 11)
        case = fresh(case)
        case_actions.change_phase(
            case,
            by=prison_manager,
            to_phase=Phase.RELEASE_PLANNING,
            expected_version=case.version,
            reason="Release planning begins: conditional release is due in four months.",
        )
        yield ago(60, 15)
        support.add_need(
            fresh(case),
            by=prison_manager,
            pathway="accommodation",
            need="A flat near her children's school",
            owner_kind="probation",
            owner_agency=self.a["probation"],
        )
        yield ago(10, 14)
        share.record_consent(
            fresh(case),
            share.ConsentRequest(
                recipient_agency=self.a["womens_ngo"],
                categories=["interventions", "family", "general"],
                purpose="resettlement support for her and her children",
                evidence="consent form signed in the women's unit",
                given_on=self.today - timedelta(days=10),
                expires_on=self.today + timedelta(days=365),
            ),
            by=prison_manager,
        )
        yield ago(5, 16)
        self._release_conference(fresh(case), prison_manager)

    def _release_conference(self, case: Case, by: User) -> None:
        record_release_conference(
            case,
            ReleaseConferenceInput(
                held_on=timezone.localdate(),
                chair=self.u["panel.chair"],
                present=[self.a["prison"], self.a["probation"], self.a["police"]],
                decisions=[
                    DecisionInput(
                        "Release to the approved address; refer to the women's service before release",
                        "Children and housing are her strongest reasons to stay away from the network.",
                        self.u["panel.chair"],
                    )
                ],
            ),
            by=by,
        )
