"""The demo world's outcomes: a synthetic historical cohort (marked synthetic everywhere it shows), the
published studies to compare with, measures defined by `analyst`, a release she prepared and `dpo`
approved — so the public statistics pages show real-looking figures — and a few outcomes recorded on the
cases themselves.

Written through the same actions users call, each on the day it happened.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.cases.models import Case, Phase
from throughcare.demo.story import Thread, fresh, released_at
from throughcare.outcomes import publishing
from throughcare.outcomes.actions import OutcomeInput, record_outcome
from throughcare.outcomes.models import Extract, MeasureDefinition, ReferenceStudy
from throughcare.outcomes.synthetic import load_cohort

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder

STUDIES = [
    (
        "Renard (2020), jihadi convicts since 1990",
        "Belgium",
        557,
        13,
        "convicted again of a terrorist offence",
    ),
    ("Ministry of Justice, releases 2013–19", "England and Wales", 196, 6, "terrorism reconviction"),
    ("Hodwitz (2019), released after 9/11", "United States", 247, 4, "terrorism re-engagement"),
    (
        "van der Heide & Schuurman (2018), probation terrorism team",
        "Netherlands",
        159,
        4,
        "terrorism re-engagement during supervision",
    ),
]
HISTORY_NAME = "Westmark releases, ten years (synthetic)"


def reference_studies(world: WorldBuilder) -> None:
    """Reference data: published figures to read ours beside."""
    for citation, country, cohort, events, definition in STUDIES:
        ReferenceStudy.objects.create(
            citation=citation, country=country, cohort=cohort, events=events, definition=definition
        )


class OutcomesWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users

    def write(self) -> None:
        story = self.world.story
        story.add(self._statistics())
        for case, (kind, days, extra) in zip(self._released_cases(), CASE_OUTCOMES, strict=False):
            story.add(self._outcome(case, kind, days, extra))

    def _statistics(self) -> Thread:
        analyst, dpo, today = self.u["analyst"], self.u["dpo"], self.world.today
        yield self.world.ago(60, 10)
        history = load_cohort(
            HISTORY_NAME,
            640,
            date(today.year - 12, 1, 1),
            date(today.year - 3, 12, 31),
            seed=2026,
            until=today - timedelta(days=60),
            by=analyst,
        )
        yield self.world.ago(58, 14)
        measures = [self._measure(history, *spec) for spec in MEASURES]
        yield self.world.ago(40, 11)
        release = publishing.draft(
            publishing.ReleaseInput(
                title="Reoffending after release from terrorism sentences",
                summary="Few people released after a terrorism sentence in Westmark offended again within "
                "two years, and fewer still committed a terrorism offence. Synthetic demonstration figures.",
                definitions=measures,
                studies=list(ReferenceStudy.objects.all()),
            ),
            by=analyst,
        )
        yield self.world.ago(39, 15)
        publishing.submit(release, by=analyst)
        yield self.world.ago(36, 10)
        publishing.approve(release, by=dpo)

    def _measure(
        self, history: Extract, name: str, years: int, outcome: str, group_by: str
    ) -> MeasureDefinition:
        today = timezone.localdate()
        return MeasureDefinition.objects.create(
            name=name,
            description="Drawn from a synthetic cohort: invented people, invented outcomes.",
            source="extract",
            extract=history,
            released_from=date(today.year - 12, 1, 1),
            released_to=date(today.year - 4, 12, 31),
            follow_up_years=years,
            waiting_months=6,
            outcome=outcome,
            group_by=group_by,
            created_by=self.u["analyst"],
        )

    def _released_cases(self) -> list[Case]:
        return list(
            Case.objects.filter(phase__in=[Phase.REINTEGRATION, Phase.COMMUNITY])
            .exclude(pk=self.world.showcase.pk)
            .order_by("reference")[:3]
        )

    def _outcome(self, case: Case, kind: str, days: int, extra: dict[str, str]) -> Thread:
        released = released_at(case)
        lead = case.team.lead()
        if released is None or lead is None:
            return
        happened = min(released + timedelta(days=days), self.world.now - timedelta(days=3))
        yield happened + timedelta(hours=30)
        record_outcome(
            fresh(case),
            OutcomeInput(kind=kind, occurred_on=timezone.localdate(happened), **extra),  # type: ignore[arg-type]
            by=lead.user,
        )


MEASURES = [
    ("Terrorism offence within two years", 2, "terrorism", ""),
    ("Any proven reoffence within two years, by age at release", 2, "any", "age_band"),
    ("Any proven reoffence within one year, by gender", 1, "any", "gender"),
]
CASE_OUTCOMES: list[tuple[str, int, dict[str, str]]] = [
    ("censored", 90, {"censor_reason": "abroad", "source": "Immigration enforcement notice"}),
    (
        "reengagement",
        120,
        {
            "source": "Police CT liaison",
            "reliability": "B",
            "evidence": "Seen distributing the old group's leaflets at two markets; he did not deny it.",
        },
    ),
    ("proven_reoffence", 60, {"offence_kind": "other", "source": "Westmark Magistrates' Court register"}),
]
