"""What custody adds to a case review's chronology: handovers, breaches decided, responsibility overridden.
Contributed in `CustodyConfig.ready`."""

from __future__ import annotations

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.custody.models import BreachDecision, Handover, HandoverItem, ResponsibilityOverride
from throughcare.lib.dates import midday

LEGAL = DataCategory.LEGAL


def points(case: Case, standing: Standing) -> list[DecisionPoint]:
    if not standing.holds(LEGAL):
        return []
    found: list[DecisionPoint] = []
    for handover in Handover.objects.on_case_as(case, standing):
        kind = handover.get_kind_display().lower()
        if handover.accepted_at:
            found.append(
                DecisionPoint(
                    f"custody.handover-accepted:{handover.pk}",
                    handover.accepted_at,
                    "Handover accepted",
                    f"The {kind} handover was accepted by the receiving agency.",
                    LEGAL,
                    decision=True,
                )
            )
        if handover.closed_at:
            found.append(
                DecisionPoint(
                    f"custody.handover-closed:{handover.pk}",
                    handover.closed_at,
                    "Handover closed",
                    f"The {kind} handover was {handover.state}."
                    + (f" {handover.abandon_reason}" if handover.abandon_reason else ""),
                    LEGAL,
                )
            )
    for item in HandoverItem.objects.on_case_as(case, standing).filter(escalated_at__isnull=False):
        found.append(
            DecisionPoint(
                f"custody.handover-item:{item.pk}",
                item.escalated_at,
                "Escalation",
                f"Handover item “{item.title}”, due {item.due_on:%d %b %Y}, was overdue and escalated to "
                "managers.",
                LEGAL,
                late=True,
            )
        )
    for decided in BreachDecision.objects.on_case_as(case, standing).select_related("breach"):
        found.append(
            DecisionPoint(
                f"custody.breach:{decided.pk}",
                midday(decided.decided_on),
                "Breach decided",
                f"Breach of {decided.breach.occurred_on:%d %b %Y}: {decided.get_outcome_display().lower()}. "
                f"{decided.rationale}",
                LEGAL,
                decision=True,
            )
        )
    for override in ResponsibilityOverride.objects.on_case_as(case, standing):
        found.append(
            DecisionPoint(
                f"custody.responsibility:{override.pk}",
                override.decided_at,
                "Responsibility decided",
                f"Responsibility set to {override.get_responsibility_display().lower()}: {override.reason}",
                LEGAL,
                decision=True,
            )
        )
    return found


def contribute() -> None:
    contribute_decision_points("custody", points)
