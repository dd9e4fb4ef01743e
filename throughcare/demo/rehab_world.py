"""The demo world's rehabilitation: a catalogue of programmes (government and partner, custody and
community, gender-responsive ones among them), resettlement needs on the open cases, children and
gender-responsive needs for the women and returnees, referrals in every state of their life, and one
woman in custody, about to be released, whom `prison.manager` can refer to the women's service.

Written through the same actions users call.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import (
    Case,
    CaseTeamMember,
    Phase,
    case_reference,
)
from throughcare.conferences.actions import DecisionInput, ReleaseConferenceInput, record_release_conference
from throughcare.custody import actions as custody
from throughcare.custody.models import Offence
from throughcare.demo.scale import CASE_COUNT
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


class RehabWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users
        self.a = world.agencies
        self.rng = world.rng
        self.today = timezone.localdate(world.now)

    def write(self) -> None:
        ensure_default_criteria(CriteriaSet, Criterion)
        programmes = self._catalogue()
        open_cases = Case.objects.exclude(phase=Phase.CLOSED).select_related("person").order_by("reference")
        for n, case in enumerate(open_cases):
            if case.phase != Phase.CUSTODY and n % 3 != 2:
                self._needs(case)
            if case.person.gender == Gender.FEMALE or case.person.is_returnee:
                self._family(case)
        self._referrals(programmes)
        self._woman_about_to_be_released()

    def _catalogue(self) -> dict[str, Programme]:
        made = {}
        for name, provider, setting, audience, gender, women, trauma, languages, capacity, text in PROGRAMMES:
            made[name] = Programme.objects.create(
                name=name,
                description=text,
                provider=self.a[provider],
                setting=setting,
                audience=audience,
                eligible_gender=gender,
                women_only_delivery=women,
                trauma_informed=trauma,
                languages=languages,
                capacity=capacity,
                requires_consent=provider in CONSENT_BASED,
            )
        return made

    def _lead(self, case: Case) -> CaseTeamMember | None:
        return case.team.lead()

    def _needs(self, case: Case) -> None:
        lead = self._lead(case)
        if lead is None:
            return
        for pathway, need, owner_kind, agency in self.rng.sample(NEEDS, 2):
            made = support.add_need(
                case,
                by=lead.user,
                pathway=pathway,
                need=need,
                owner_kind=owner_kind,
                owner_agency=self.a[agency],
            )
            state = self.rng.choice(["identified", "in_progress", "in_progress", "met"])
            if state != "identified":
                support.update_need(made, by=lead.user, state=state, expected_version=1)

    def _family(self, case: Case) -> None:
        lead = self._lead(case)
        if lead is None:
            return
        for n in range(self.rng.randint(1, 3) if case.person.is_returnee else self.rng.randint(0, 2)):
            support.add_dependant(
                case,
                by=lead.user,
                given_name=self.rng.choice(["Yara", "Sami", "Ilyas", "Maya", "Adam", "Noor", "Zaid"]),
                family_name=case.person.family_name,
                date_of_birth=self.today - timedelta(days=365 * (2 + 3 * n) + self.rng.randint(0, 300)),
                relation="child",
                lives_with=False,
                care_arrangement=self.rng.choice(
                    ["With their grandmother", "In foster care", "With an aunt", "With their father"]
                ),
            )
        if case.person.gender == Gender.FEMALE:
            support.add_support_need(
                case,
                by=lead.user,
                kind=self.rng.choice(["trauma", "childcare", "domestic_abuse"]),
                detail="Identified at the women's unit's reception screening",
                safety_plan="Agreed with the women's service: safe contact number, no disclosure of address",
            )

    def _referrals(self, programmes: dict[str, Programme]) -> None:
        """Referrals in several states, on cases whose teams may make them."""
        identity = programmes["Identity and Belonging"]
        thinking = programmes["Thinking skills"]
        custody_cases = Case.objects.filter(phase=Phase.CUSTODY).order_by("reference")[:6]
        for n, case in enumerate(custody_cases):
            lead = self._lead(case)
            if lead is None:
                continue
            programme = identity if n % 2 == 0 else thinking
            referral = referrals.make_referral(
                case,
                programme,
                by=lead.user,
                reason="Assessed need: identity and grievance work",
                sections=["about"],
            )
            path = [
                ["submitted"],
                ["submitted", "awaiting_assessment"],
                ["submitted", "awaiting_assessment", "suitable", "on_programme"],
            ][n % 3]
            for step in path:
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

    def _woman_about_to_be_released(self) -> None:
        """Layla's story: in the women's unit, released in three weeks, a terrorism offence, her consent to
        the women's service recorded — ready for `prison.manager` to refer her."""
        prison_manager, officer, police = (
            self.u["prison.manager"],
            self.u["probation.officer"],
            self.u["ct.police"],
        )
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
            phase=Phase.RELEASE_PLANNING,
            opened_at=self.world.now - timedelta(days=900),
        )
        Person.objects.filter(pk=case.person_id).update(is_returnee=True)
        # Numbered after the generated cases, whatever the database's sequences say (same world every time).
        Case.objects.filter(pk=case.pk).update(reference=case_reference(CASE_COUNT + 1, case.opened_at))
        case.refresh_from_db()
        for user, agency, function in [
            (officer, "probation", "Community offender manager"),
            (police, "police", "CT liaison"),
        ]:
            CaseTeamMember.objects.create(
                case=case,
                user=user,
                agency=self.a[agency],
                responsibility="supporting",
                function=function,
                started_at=self.world.now - timedelta(days=120),
            )
        release = self.today + timedelta(days=21)
        custody.record_sentence(
            case,
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
        self._release_conference(case, prison_manager)
        share.record_consent(
            case,
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
        support.add_need(
            case,
            by=prison_manager,
            pathway="accommodation",
            need="A flat near her children's school",
            owner_kind="probation",
            owner_agency=self.a["probation"],
        )
        support.add_dependant(
            case,
            by=prison_manager,
            given_name="Yara",
            family_name="Verhoeven",
            date_of_birth=self.today - timedelta(days=365 * 7),
            relation="child",
            lives_with=True,
            care_arrangement="With her grandmother until release",
        )
        support.add_support_need(
            case,
            by=prison_manager,
            kind="trauma",
            detail="Lived under a violent group's control for three years",
        )

    def _release_conference(self, case: Case, by: User) -> None:

        record_release_conference(
            case,
            ReleaseConferenceInput(
                held_on=self.today - timedelta(days=5),
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
