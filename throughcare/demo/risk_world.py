"""The demo world's risk management: instruments (one licensed, which only some personas may use), the
showcase case's assessment, harm judgement and plan in versions, incoming information waiting to be
acknowledged, and on every other open case an assessment and a plan of its own — reviewed at different
times, so that some reviews are due soon, some are overdue and escalated, and some were done on time.

Written through the same actions users call, then moved back in time to when they would have happened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseTeamMember, Phase, TimelineEntry
from throughcare.risk import actions as risk
from throughcare.risk import information, plans, reviews
from throughcare.risk.instrument_file import load
from throughcare.risk.models import Assessment, Certification, Instrument, Item, PlanVersion, ReviewDue
from throughcare.sharing.models import IntelligenceFlag

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder


class RiskWriter:
    """Instruments (the demo one, and a demo licensed one only some personas are certified for), and a
    completed assessment on the showcase case."""

    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.rng = world.rng

    def write(self) -> None:
        from pathlib import Path

        folder = Path(__file__).resolve().parents[1] / "risk" / "instruments"
        loaded = {f"{i.code} {i.version}": i for i in Instrument.objects.all()}
        demo = loaded.get("demo-spj 1.0") or load(
            (folder / "demo-spj.csv").read_text(encoding="utf-8"), by=None
        )
        if "demo-licensed 1.0" not in loaded:
            load((folder / "demo-licensed.csv").read_text(encoding="utf-8"), by=None)
        today = timezone.localdate(self.world.now)
        for username in ("ct.police", "mh.worker"):
            Certification.objects.create(
                user=self.world.users[username],
                instrument_code="demo-licensed",
                certified_on=today - timedelta(days=200),
                expires_on=today + timedelta(days=500),
                evidence="Demo training course",
            )
        case = IntelligenceFlag.objects.get().case
        officer = self.world.users["probation.officer"]
        assessment = risk.start_assessment(case, demo, by=officer)
        for code, value in [
            ("ID1", "moderate"),
            ("ID2", "low"),
            ("ID3", "moderate"),
            ("CA1", "missing"),
            ("CA2", "low"),
            ("CO1", "moderate"),
            ("PR1", "moderate"),
            ("PR2", "high"),
        ]:
            risk.rate(
                assessment,
                Item.objects.get(domain__instrument=demo, code=code),
                by=officer,
                value=value,
                evidence="From supervision sessions and the custody behaviour report",
                source="Probation",
            )
        risk.judge_harm(
            case,
            by=officer,
            levels={
                ("public", "community"): "medium",
                ("known_adult", "community"): "high",
                ("staff", "custody"): "low",
            },
            explanation="His former co-defendant is the known adult at risk if they meet; risk to the public "
            "rises if he returns to the old group.",
        )
        self._plan(case, officer)

        information.record_information(
            case,
            by=self.world.users["ct.police"],
            source="Police service of a neighbouring country",
            received_on=today - timedelta(days=2),
            reliability="B",
            credibility="3",
            category="risk",
            summary="Seen with two people from an extremist network at a café near the border.",
        )
        risk.complete(
            assessment,
            by=officer,
            judgement="medium",
            rationale="Views soften in sessions but contact with old associates continues; strong "
            "family support. Review after the police information is assessed.",
        )
        _backdate_assessment(assessment, self.world.now - timedelta(days=60))
        for other in self._open_cases(exclude=case):
            self._case_risk(other, demo)
        self._schedule()

    def _plan(self, case: Case, officer: User) -> None:
        today = timezone.localdate(self.world.now)
        police = self.world.agencies["police"]

        def content(
            formulation: str, review_days: int, extra: list[plans.StrategyInput]
        ) -> plans.PlanContent:
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
                    "contingency",
                    "Urgent case conference within 48 hours",
                    today + timedelta(days=30),
                    owner=officer,
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

        first = (
            "A grievance after losing his job met a recruiter who offered belonging; risk rises when he is "
            "isolated and in contact with the old group."
        )
        judged = replace(
            content(first, 60, []),
            judgement="high",
            judgement_rationale="Contact with the old group and no work yet; he has not named his doubts.",
        )
        v1 = plans.save_version(case, judged, by=officer, reason="first")
        v2 = plans.save_version(
            case,
            content(
                first + " The partner service's report suggests he may seek weapons.",
                14,
                [
                    plans.StrategyInput(
                        "victim_safety",
                        "Warn the former co-defendant",
                        today + timedelta(days=7),
                        owner_agency=police,
                    )
                ],
            ),
            by=officer,
            reason="new_information",
            reason_note="Report from a partner service",
        )
        _backdate_plan(v1, self.world.now - timedelta(days=130))
        _backdate_plan(v2, self.world.now - timedelta(days=95))  # its 90-day review is overdue

    def _open_cases(self, *, exclude: Case) -> list[tuple[Case, User]]:
        leads = CaseTeamMember.objects.active().filter(responsibility="lead").select_related("case", "user")
        return [
            (place.case, place.user)
            for place in leads.exclude(case=exclude)
            .exclude(case__phase=Phase.CLOSED)
            .order_by("case__reference")
        ]

    def _case_risk(self, case_and_lead: tuple[Case, User], instrument: Instrument) -> None:
        """An assessment and one to three plan versions, made by the lead some weeks or months ago."""
        case, lead = case_and_lead
        rng, now = self.rng, self.world.now
        judgement = rng.choice(["low", "medium", "medium", "high"])
        assessment = risk.start_assessment(case, instrument, by=lead)
        risk.complete(assessment, by=lead, judgement=judgement, rationale=rng.choice(RATIONALES))
        _backdate_assessment(assessment, now - timedelta(days=rng.randint(5, 76)))
        versions = rng.choice([1, 1, 2, 3])
        last = rng.randint(8, 96)
        for n in range(versions):
            version = plans.save_version(
                case,
                self._generic_plan(lead, judgement if n == versions - 1 else ""),
                by=lead,
                reason="first" if n == 0 else rng.choice(["scheduled", "scheduled", "change"]),
                reason_note="" if n == 0 else rng.choice(REVIEW_NOTES),
            )
            _backdate_plan(version, now - timedelta(days=last + 90 * (versions - 1 - n)))

    def _generic_plan(self, lead: User, judgement: str) -> plans.PlanContent:
        today, police = timezone.localdate(self.world.now), self.world.agencies["police"]
        return plans.PlanContent(
            formulation=self.rng.choice(FORMULATIONS),
            protective_factors=self.rng.choice(PROTECTIVE),
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
                    "contingency", "Case conference within 48 hours", today + timedelta(days=28), owner=lead
                ),
            ],
            warning_signs=[plans.WarningSignInput("Misses appointments or withdraws from family", [2])],
        )

    def _schedule(self) -> None:
        """Reviews as the daily run leaves them: the next ones scheduled, the overdue escalated."""
        ReviewDue.objects.all().delete()  # those the set-up made on the real clock, not the demo's
        reviews.schedule_all()
        reviews.escalate_overdue(timezone.localdate(self.world.now))


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


def _backdate_plan(version: PlanVersion, at: datetime) -> None:
    PlanVersion.objects.filter(pk=version.pk).update(created_at=at)
    version.case.timeline.filter(body__startswith=f"Risk management plan version {version.number} ").update(
        occurred_at=at, recorded_at=at
    )


def _backdate_assessment(assessment: Assessment, at: datetime) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(started_at=at - timedelta(days=3), completed_at=at)
    TimelineEntry.objects.filter(
        case=assessment.case, body__startswith="Risk assessment completed with", occurred_at__gt=at
    ).update(occurred_at=at, recorded_at=at)
