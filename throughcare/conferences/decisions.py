"""What the conferences add to a case review's chronology: their decisions, requests decided (in a meeting
or outside one) and actions escalated. Contributed in `ConferencesConfig.ready`."""

from __future__ import annotations

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.conferences.models import ActionItem, Decision, RiskRequest


def points(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    decisions = Decision.objects.on_case_as(case, standing).select_related("item__conference")
    for decided in decisions:
        found.append(
            DecisionPoint(
                f"conferences.decision:{decided.pk}",
                decided.decided_at,
                "Conference decision",
                f"{decided.item.conference.get_kind_display()}: {decided.decision} — because "
                f"{decided.rationale}",
                DataCategory.RISK,
                decision=True,
            )
        )
    requests = RiskRequest.objects.on_case_as(case, standing).exclude(decided_at=None)
    for request in requests.filter(delegate__isnull=False):  # decided outside a meeting
        found.append(
            DecisionPoint(
                f"conferences.request:{request.pk}",
                request.decided_at,
                "Request decided",
                f"{request.get_kind_display()} request: {request.get_outcome_display().lower()}. "
                f"{request.delegate_rationale}",
                DataCategory.RISK,
                decision=True,
            )
        )
    for action in ActionItem.objects.on_case_as(case, standing).exclude(escalated_at=None):
        found.append(
            DecisionPoint(
                f"conferences.action:{action.pk}",
                action.escalated_at,
                "Escalation",
                f"Conference action “{action.description}”, due {action.due_on:%d %b %Y}, was overdue and "
                "escalated to managers.",
                DataCategory.GENERAL,
                late=True,
            )
        )
    return found


def contribute() -> None:
    contribute_decision_points("conferences", points)
