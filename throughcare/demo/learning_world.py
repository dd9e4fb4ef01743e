"""The demo world's learning: a near-miss review of the showcase case by `probation.manager` — annotated,
with findings, three recommendations (one implemented, one in progress, one overdue and escalated) — and
its lessons approved by `dpo`; two training cases that `trainer` built by the pipeline from demo cases,
approved by `dpo`; and `trainee`, who completed one scenario (with the trainer's comment) and started the
other.

Written through the same actions users call, each on the day it happened.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from throughcare.cases.actions import add_to_team
from throughcare.cases.contributions import decision_points
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.demo.story import Thread, fresh
from throughcare.learning import actions, pipeline
from throughcare.learning.models import CaseReview, Lesson, TrainingCase
from throughcare.sharing.access import case_standing_or_none

if TYPE_CHECKING:
    from throughcare.accounts.models import User
    from throughcare.demo.world import WorldBuilder

REVIEW_TERMS = (
    "Information from a partner service abroad reached the case while the showcase conference was being "
    "prepared. Did it reach those who needed it, in time, and was the decision on it recorded? Period: "
    "the last four months."
)
NOTES = [
    ("Phase change", "The release itself went to plan: the handover was accepted before the gate."),
    ("Conference decision", "The decision records its reasons — a model for the others."),
]
FINDINGS = [
    (
        "information",
        "did_not",
        "Information from abroad had no named owner in the first days; each agency assumed another had "
        "acted on it.",
        "Incoming information was routed to the lead only; the CT liaison was on leave.",
    ),
    (
        "multi_agency",
        "worked",
        "The panel met within a week and recorded every decision with its reasons.",
        "A standing slot on the panel's agenda for terrorism cases.",
    ),
    (
        "continuity",
        "worked",
        "The handover from prison to probation was accepted before release; the first appointment was kept.",
        "",
    ),
    (
        "engagement",
        "did_not",
        "The person was told of a new condition by letter rather than in a session.",
        "Pressure of time before the conference.",
    ),
]
# (theme, text, owner, days from the review's recommendations to the deadline, what happened)
RECOMMENDATIONS = [
    (
        "information",
        "Every piece of incoming information names an owner and a deputy, and the deputy is told at once.",
        "probation.manager",
        20,
        "implemented",
    ),
    (
        "information",
        "The CT liaison desk confirms receipt of partner-service information within one working day.",
        "ct.police",
        70,
        "in_progress",
    ),
    (
        "engagement",
        "A new or varied condition is explained in a supervision session before it takes effect.",
        "probation.officer",
        30,
        "overdue",
    ),
]
LESSONS = [
    (
        "Information from abroad needs one named owner from the day it arrives",
        "information",
        Phase.COMMUNITY,
        ["probation", "police_ct"],
        "Name an owner and a deputy for every piece of incoming information; tell the deputy at once.",
        "Incoming information now names an owner and a deputy; the deputy is notified.",
    ),
    (
        "Record the reasons of every panel decision, not only the decision",
        "multi_agency",
        Phase.COMMUNITY,
        ["probation", "police_ct", "municipality"],
        "Panel chairs record the rationale of each decision in the minutes.",
        "The minutes template asks for a rationale next to every decision.",
    ),
    (
        "Explain a new condition in person before it takes effect",
        "engagement",
        Phase.COMMUNITY,
        ["probation"],
        "Conditions are explained in a supervision session, not only by letter.",
        "",
    ),
]
TRAINING_TITLES = [
    "From the prison gate to the first appointment",
    "A decision at the panel, and what followed",
]


class LearningWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users

    def write(self) -> None:
        story = self.world.story
        story.add(self._review(self.world.showcase))
        story.add(self._training(self._training_sources()))

    # The review -------------------------------------------------------------------------------------

    def _review(self, case: Case) -> Thread:
        manager, dpo, ago = self.u["probation.manager"], self.u["dpo"], self.world.ago
        yield ago(45, 10)
        review = actions.open_review(fresh(case), by=manager, trigger="near_miss", terms=REVIEW_TERMS)
        yield ago(44, 14)
        points = decision_points(case, case_standing_or_none(manager, case))  # type: ignore[arg-type]
        for kind, text in NOTES:
            point = next((p for p in reversed(points) if p.kind == kind), None)
            if point is not None:
                actions.note_point(review, point.key, by=manager, text=text)
        for theme, went, text, factors in FINDINGS:
            actions.add_finding(review, by=manager, theme=theme, went=went, text=text, factors=factors)
        yield ago(43, 11)
        made = [
            actions.add_recommendation(
                review,
                by=manager,
                theme=theme,
                text=text,
                agency=self.u[owner].primary_agency(),  # type: ignore[arg-type]
                owner=self.u[owner],
                due_on=self.world.today - timedelta(days=43 - days),
            )
            for theme, text, owner, days, _ in RECOMMENDATIONS
        ]
        yield ago(41, 16)
        actions.conclude_review(
            CaseReview.objects.get(pk=review.pk),
            by=manager,
            conclusion="The information reached the case but waited for an owner. Three recommendations; "
            "three lessons for the library.",
            expected_version=1,
        )
        lessons = [
            actions.write_lesson(
                review,
                by=manager,
                statement=statement,
                theme=theme,
                phase=phase,
                agency_kinds=kinds,
                recommendation=recommendation,
                what_changed=changed,
            )
            for statement, theme, phase, kinds, recommendation, changed in LESSONS
        ]
        yield ago(40, 10)
        for lesson in lessons:
            actions.review_lesson(lesson, by=dpo, approve=True, note="", expected_version=1)
        yield ago(33, 9)
        for item, (_, _, owner, _, happened) in zip(made, RECOMMENDATIONS, strict=True):
            if happened == "implemented":
                actions.update_recommendation(
                    item,
                    by=self.u[owner],
                    status="implemented",
                    evidence="Routing rules changed on the information page; checked on ten cases.",
                    reason="",
                    expected_version=1,
                )
            elif happened == "in_progress":
                actions.update_recommendation(
                    item, by=self.u[owner], status="in_progress", evidence="", reason="", expected_version=1
                )

    # Training cases -----------------------------------------------------------------------------------

    def _training_sources(self) -> list[Case]:
        """Two released cases with recorded decisions, neither the showcase (its review is enough)."""
        cases = (
            Case.objects.filter(phase__in=[Phase.COMMUNITY, Phase.REINTEGRATION])
            .exclude(pk=self.world.showcase.pk)
            .filter(team__agency__kind="probation", team__responsibility="lead", team__ended_at__isnull=True)
            .order_by("reference")
        )
        return list(cases[:2])

    def _training(self, sources: list[Case]) -> Thread:
        trainer, trainee, dpo, ago = self.u["trainer"], self.u["trainee"], self.u["dpo"], self.world.ago
        yield ago(31, 9)
        for case in sources:
            lead = CaseTeamMember.objects.leads().get(case=case).user
            add_to_team(
                fresh(case),
                by=lead,
                user=trainer,
                agency=trainer.primary_agency(),  # type: ignore[arg-type]
                responsibility="supporting",
                function="Practice supervisor",
            )
        yield ago(30, 10)
        rng = random.Random(2026)
        made = [
            pipeline.build_training_case(case.pk, by=trainer, title=title, rng=rng)
            for case, title in zip(sources, TRAINING_TITLES, strict=True)
        ]
        yield ago(29, 15)
        for training in made:
            actions.review_training_case(training, by=dpo, approve=True, note="", expected_version=1)
        lessons = list(Lesson.objects.filter(status=Lesson.Status.APPROVED).order_by("pk"))
        for training, linked in zip(made, [lessons[:1], lessons[1:]], strict=True):
            actions.link_lessons(training, by=trainer, lessons=linked)
        yield ago(6, 14)
        second = TrainingCase.objects.get(pk=made[1].pk)
        self._work_through(second, trainee, answers=None)
        yield ago(5, 10)
        attempt = second.attempts.get(trainee=trainee)
        first_answer = attempt.answers.order_by("stage__number").first()
        if first_answer is not None:
            actions.comment(
                first_answer,
                by=trainer,
                text="Good instinct to check with the police first. Who would you tell, and by when?",
            )
        yield ago(2, 11)
        self._work_through(TrainingCase.objects.get(pk=made[0].pk), trainee, answers=1)

    def _work_through(self, training: TrainingCase, trainee: User, *, answers: int | None) -> None:
        attempt = actions.start(training, by=trainee)
        for stage in list(training.stages.all())[:answers]:
            actions.answer(
                attempt,
                stage,
                by=trainee,
                would_do=ANSWERS[stage.number % len(ANSWERS)][0],
                why=ANSWERS[stage.number % len(ANSWERS)][1],
            )


ANSWERS = [
    (
        "Ask the panel to meet before deciding, and tell the police liaison today.",
        "The risk picture has changed and the decision should be shared.",
    ),
    (
        "Agree the plan with the prison and book the first appointment before release.",
        "Continuity at the gate is where people are lost.",
    ),
    (
        "Record the decision with its reasons and review the plan within a month.",
        "A decision without reasons cannot be reviewed later.",
    ),
]
