"""How risk management takes part in the whole: its reactions to other capabilities' events, its Needs
attention items and its daily jobs (all registered in `RiskConfig.ready`)."""

from __future__ import annotations

from datetime import date

from throughcare.cases.events import CaseOpened, CaseReleased, ConferenceDecisionRecorded
from throughcare.cases.models import Case
from throughcare.lib.daily import DailyJob, moment_of, register_daily
from throughcare.lib.events import subscribe
from throughcare.lib.wording import worded
from throughcare.risk import attention
from throughcare.risk.information import escalate_unacknowledged
from throughcare.risk.models import ReviewReason
from throughcare.risk.reviews import ensure_schedule, escalate_overdue, require_plan_review, schedule_all


def schedule_reviews(event: CaseOpened) -> None:
    """A new case gets its first assessment and plan due (profile data)."""
    ensure_schedule(Case.objects.get(pk=event.case_id))


def review_plan_on_release(event: CaseReleased) -> None:
    require_plan_review(
        Case.objects.get(pk=event.case_id),
        by=None,
        reason=ReviewReason.PHASE,
        system_note=worded("Released into the community"),
    )


def review_plan_on_decision(event: ConferenceDecisionRecorded) -> None:
    """A conference decided that the plan must be reviewed."""
    if event.triggers_plan_review:
        require_plan_review(
            Case.objects.get(pk=event.case_id),
            by=None,
            reason=ReviewReason.CONFERENCE,
            system_note=event.summary,
        )


def escalate_late_information(today: date) -> int:
    return escalate_unacknowledged(moment_of(today))


def schedule_reviews_daily(today: date) -> int:
    return schedule_all()


def register() -> None:
    attention.contribute()
    register_daily(
        "risk.information",
        DailyJob(
            40,
            "Information not acknowledged in time, escalated to managers: {count}.",
            escalate_late_information,
        ),
    )
    register_daily("risk.schedule", DailyJob(50, "Risk reviews scheduled: {count}.", schedule_reviews_daily))
    register_daily(
        "risk.overdue", DailyJob(60, "Overdue risk reviews escalated to managers: {count}.", escalate_overdue)
    )
    subscribe(CaseOpened, schedule_reviews)
    subscribe(CaseReleased, review_plan_on_release)
    subscribe(ConferenceDecisionRecorded, review_plan_on_decision)
