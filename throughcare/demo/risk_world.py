"""The demo world's risk management: instruments (one licensed, which only some personas may use), the
showcase case's assessment, harm judgement and plan in versions, incoming information waiting to be
acknowledged, and on every other open case an assessment and a plan of its own — reviewed at different
times, so that some reviews are due soon, some are overdue and escalated, and some were done on time.

Written through the same actions users call, each on the day it happened.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.demo.scale import SEED
from throughcare.demo.story import Thread, fresh
from throughcare.risk import actions as risk
from throughcare.risk import information, plans
from throughcare.risk.instrument_file import load
from throughcare.risk.models import Certification, Instrument, Item

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder


def risk_instruments(world: WorldBuilder) -> None:
    """Reference data: the demo instrument, and a demo licensed one only some personas are certified for."""
    folder = Path(__file__).resolve().parents[1] / "risk" / "instruments"
    loaded = {f"{i.code} {i.version}" for i in Instrument.objects.all()}
    for code, name in [("demo-spj 1.0", "demo-spj.csv"), ("demo-licensed 1.0", "demo-licensed.csv")]:
        if code not in loaded:
            load((folder / name).read_text(encoding="utf-8"), by=None)


class RiskWriter:
    """Certifications, the showcase case's plan in two versions, its assessment and harm judgement,
    incoming information waiting to be acknowledged, and on every other open case an assessment and a plan
    of its own — each saved on its day, so that the review schedule follows from them: some reviews due
    soon, some overdue (escalated by the daily run), some done on time."""

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.rng = random.Random(SEED + 3)  # its own sequence: the rest of the world does not depend on it
        self.ago = world.ago

    def write(self) -> None:
        story = self.world.story
        story.at(self.ago(200, 9), self._certify)
        case = self.world.showcase
        story.add(self._showcase_plan(case))
        story.add(self._showcase_assessment(case))
        story.at(self.ago(2, 11), lambda: self._information(case))
        for other in self._open_cases(exclude=case):
            self._case_risk(other)
        story.add(self._layla())

    def _layla(self) -> Thread:
        """Layla Verhoeven's first assessment and plan, within a fortnight of her reception, and the plan
        reviewed when release planning began (her case is opened in the story, after these threads were
        added)."""
        prison_manager = self.world.users["prison.manager"]
        yield self.ago(892, 10)
        case = Case.objects.get(person__given_name="Layla", person__family_name="Verhoeven")
        instrument = Instrument.objects.get(code="demo-spj", version="1.0")
        assessment = risk.start_assessment(case, instrument, by=prison_manager)
        yield self.ago(889, 15)
        risk.complete(
            assessment,
            by=prison_manager,
            judgement="medium",
            rationale="Committed to the group while abroad; now speaks of her daughter above all.",
        )
        plans.save_version(
            fresh(case), self._generic_plan(prison_manager, "medium")(), by=prison_manager, reason="first"
        )
        yield self.ago(118, 14)
        plans.save_version(
            fresh(case),
            self._generic_plan(prison_manager, "low")(),
            by=prison_manager,
            reason="change",
            reason_note="Release planning begins",
        )

    def _certify(self) -> None:
        for username in ("ct.police", "mh.worker"):
            Certification.objects.create(
                user=self.world.users[username],
                instrument_code="demo-licensed",
                certified_on=timezone.localdate(),
                expires_on=timezone.localdate() + timedelta(days=700),
                evidence="Demo training course",
            )

    def _showcase_assessment(self, case: Case) -> Thread:
        officer = self.world.users["probation.officer"]
        demo = Instrument.objects.get(code="demo-spj", version="1.0")
        yield self.ago(63, 10)
        assessment = risk.start_assessment(fresh(case), demo, by=officer)
        yield self.ago(62, 11)
        for code, value in SHOWCASE_RATINGS:
            risk.rate(
                assessment,
                Item.objects.get(domain__instrument=demo, code=code),
                by=officer,
                value=value,
                evidence="From supervision sessions and the custody behaviour report",
                source="Probation",
            )
        yield self.ago(61, 15)
        risk.judge_harm(
            fresh(case),
            by=officer,
            levels={
                ("public", "community"): "medium",
                ("known_adult", "community"): "high",
                ("staff", "custody"): "low",
            },
            explanation="His former co-defendant is the known adult at risk if they meet; risk to the public "
            "rises if he returns to the old group.",
        )
        yield self.ago(60, 16)
        risk.complete(
            assessment,
            by=officer,
            judgement="medium",
            rationale="Views soften in sessions but contact with old associates continues; strong "
            "family support. Review sooner if new information arrives.",
        )

    def _information(self, case: Case) -> None:
        information.record_information(
            fresh(case),
            by=self.world.users["ct.police"],
            source="Police service of a neighbouring country",
            received_on=timezone.localdate() - timedelta(days=1),
            reliability="B",
            credibility="3",
            category="risk",
            summary="Seen with two people from an extremist network at a café near the border.",
        )

    def _showcase_plan(self, case: Case) -> Thread:
        officer = self.world.users["probation.officer"]
        first = (
            "A grievance after losing his job met a recruiter who offered belonging; risk rises when he is "
            "isolated and in contact with the old group."
        )
        yield self.ago(130, 14)
        plans.save_version(
            fresh(case),
            replace(
                _showcase_content(officer, self.world.agencies["police"], first, 60, []),
                judgement="high",
                judgement_rationale="Contact with the old group and no work yet; he has not named his "
                "doubts.",
            ),
            by=officer,
            reason="first",
        )
        yield self.ago(95, 14)  # its 90-day review is overdue
        plans.save_version(
            fresh(case),
            _showcase_content(
                officer,
                self.world.agencies["police"],
                first
                + " The partner service's report of letters suggests the old group still counts on him.",
                14,
                [
                    plans.StrategyInput(
                        "victim_safety",
                        "Warn the former co-defendant",
                        timezone.localdate() + timedelta(days=7),
                        owner_agency=self.world.agencies["police"],
                    )
                ],
            ),
            by=officer,
            reason="new_information",
            reason_note="Report from a partner service",
        )

    def _open_cases(self, *, exclude: Case) -> list[tuple[Case, User]]:
        leads = CaseTeamMember.objects.active().filter(responsibility="lead").select_related("case", "user")
        return [
            (place.case, place.user)
            for place in leads.exclude(case=exclude)
            .exclude(case__phase=Phase.CLOSED)
            .order_by("case__reference")
        ]

    def _case_risk(self, case_and_lead: tuple[Case, User]) -> None:
        """An assessment and one to three plan versions, made by the lead some weeks or months ago (never
        before the case opened)."""
        case, lead = case_and_lead
        rng, now, opened = self.rng, self.world.now, case.opened_at
        judgement = rng.choice(["low", "medium", "medium", "high"])
        rationale = rng.choice(RATIONALES)
        completed = max(
            now - timedelta(days=rng.randint(5, 76), hours=rng.randint(1, 8)), opened + timedelta(days=4)
        )
        versions = rng.choice([1, 1, 2, 3])
        last = rng.randint(8, 96)
        saves = [
            (
                max(
                    now - timedelta(days=last + 90 * (versions - 1 - n), hours=7),
                    opened + timedelta(days=n + 1),
                ),
                self._generic_plan(lead, judgement if n == versions - 1 else ""),
                "first" if n == 0 else rng.choice(["scheduled", "scheduled", "change"]),
                "" if n == 0 else rng.choice(REVIEW_NOTES),
            )
            for n in range(versions)
        ]
        self.world.story.add(self._assessment(case, lead, completed, judgement, rationale))
        self.world.story.add(self._plans(case, lead, saves))

    def _assessment(
        self, case: Case, lead: User, completed: datetime, judgement: str, rationale: str
    ) -> Thread:
        instrument = Instrument.objects.get(code="demo-spj", version="1.0")
        yield completed - timedelta(days=3)
        assessment = risk.start_assessment(fresh(case), instrument, by=lead)
        yield completed
        risk.complete(assessment, by=lead, judgement=judgement, rationale=rationale)

    def _plans(
        self, case: Case, lead: User, saves: list[tuple[datetime, Callable[[], plans.PlanContent], str, str]]
    ) -> Thread:
        for moment, content, reason, note in saves:
            yield moment
            plans.save_version(fresh(case), content(), by=lead, reason=reason, reason_note=note)

    def _generic_plan(self, lead: User, judgement: str) -> Callable[[], plans.PlanContent]:
        """The plan's words are chosen now; its dates count from the day it is saved."""
        formulation, protective = self.rng.choice(FORMULATIONS), self.rng.choice(PROTECTIVE)
        police = self.world.agencies["police"]

        def content() -> plans.PlanContent:
            today = timezone.localdate()
            return plans.PlanContent(
                formulation=formulation,
                protective_factors=protective,
                judgement=judgement,
                judgement_rationale="Judged at this review from supervision and partner reports."
                if judgement
                else "",
                scenarios=[("repeat", "Shares extremist material online again")],
                strategies=[
                    plans.StrategyInput(
                        "supervision",
                        "Supervision appointments as the licence requires",
                        today + timedelta(days=28),
                        owner=lead,
                    ),
                    plans.StrategyInput(
                        "monitoring",
                        "Police checks of declared devices and contacts",
                        today + timedelta(days=42),
                        owner_agency=police,
                    ),
                    plans.StrategyInput(
                        "contingency",
                        "Case conference within 48 hours",
                        today + timedelta(days=28),
                        owner=lead,
                    ),
                ],
                warning_signs=[plans.WarningSignInput("Misses appointments or withdraws from family", [2])],
            )

        return content


SHOWCASE_RATINGS = [
    ("ID1", "moderate"),
    ("ID2", "low"),
    ("ID3", "moderate"),
    ("CA1", "missing"),
    ("CA2", "low"),
    ("CO1", "moderate"),
    ("PR1", "moderate"),
    ("PR2", "high"),
]


def _showcase_content(
    officer: User, police: Agency, formulation: str, review_days: int, extra: list[plans.StrategyInput]
) -> plans.PlanContent:
    today = timezone.localdate()
    strategies = [
        plans.StrategyInput(
            "supervision",
            "Weekly supervision; home visit every month",
            today + timedelta(days=30),
            owner=officer,
        ),
        plans.StrategyInput(
            "monitoring",
            "Check of declared devices and exclusion zone",
            today + timedelta(days=review_days),
            owner_agency=police,
        ),
        plans.StrategyInput(
            "contingency", "Urgent case conference within 48 hours", today + timedelta(days=30), owner=officer
        ),
        *extra,
    ]
    return plans.PlanContent(
        formulation=formulation,
        protective_factors="His sister; the bakery job; the exit mentor",
        scenarios=[
            ("repeat", "Shares propaganda online again"),
            ("escalation", "Travels to meet the old group"),
        ],
        strategies=strategies,
        warning_signs=[plans.WarningSignInput("Stops going to work or to the mentor", [2])],
    )


FORMULATIONS = [
    "Grievance about discrimination at work, turned into belonging in an online group; risk rises with "
    "isolation and unemployment.",
    "Sought status and adventure; a violent group offered both. Risk rises with old peers and alcohol.",
    "Ideological commitment has softened in custody; risk now lies mostly in debts owed to the old network.",
    "Drawn in through a relative; loyalty to family pulls both ways. Risk rises if the relative is released.",
]
PROTECTIVE = [
    "Children and their mother; a training place",
    "A stable flat; a faith mentor outside the movement",
    "Work at a warehouse; a brother who keeps in touch",
]
RATIONALES = [
    "Engages with supervision; views unchanged but no steps towards acting.",
    "Contact with old associates continues; employment and family give some stability.",
    "Disclosed doubts about the group in sessions; mentor reports steady progress.",
]
REVIEW_NOTES = ["Scheduled 90-day review", "Moved address", "New job; hours changed"]
