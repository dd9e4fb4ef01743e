"""What custody adds to a case review's chronology: handovers, breaches decided, responsibility overridden.
Contributed in `CustodyConfig.ready`."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.custody.models import BreachDecision, Handover, HandoverItem, ResponsibilityOverride
from throughcare.lib.dates import midday
from throughcare.lib.wording import label_of, midsentence, paragraph, worded

LEGAL = DataCategory.LEGAL


def points(case: Case, standing: Standing) -> list[DecisionPoint]:
    if not standing.holds(LEGAL):
        return []
    found = [
        point for handover in Handover.objects.on_case_as(case, standing) for point in _handover(handover)
    ]
    for item in HandoverItem.objects.on_case_as(case, standing).filter(escalated_at__isnull=False):
        text = worded(
            "Handover item “%(item)s”, due %(date)s, was overdue and escalated to managers.",
            item=item.title_in_each_language,
            date=item.due_on,
        )
        found.append(
            DecisionPoint(
                f"custody.handover-item:{item.pk}",
                item.escalated_at,
                gettext_noop("Escalation"),
                text,
                LEGAL,
                late=True,
            )
        )
    for decided in BreachDecision.objects.on_case_as(case, standing).select_related("breach"):
        said = worded(
            "Breach of %(date)s: %(outcome)s.",
            date=decided.breach.occurred_on,
            outcome=midsentence(label_of(decided, "outcome")),
        )
        found.append(
            DecisionPoint(
                f"custody.breach:{decided.pk}",
                midday(decided.decided_on),
                gettext_noop("Breach decided"),
                paragraph([said, decided.rationale]),
                LEGAL,
                decision=True,
            )
        )
    for override in ResponsibilityOverride.objects.on_case_as(case, standing):
        text = worded(
            "Responsibility set to %(responsibility)s: %(reason)s",
            responsibility=midsentence(label_of(override, "responsibility")),
            reason=override.reason,
        )
        found.append(
            DecisionPoint(
                f"custody.responsibility:{override.pk}",
                override.decided_at,
                gettext_noop("Responsibility decided"),
                text,
                LEGAL,
                decision=True,
            )
        )
    return found


def _handover(handover: Handover) -> list[DecisionPoint]:
    kind = midsentence(label_of(handover, "kind"))
    found = []
    if handover.accepted_at:
        text = worded("The %(kind)s handover was accepted by the receiving agency.", kind=kind)
        found.append(
            DecisionPoint(
                f"custody.handover-accepted:{handover.pk}",
                handover.accepted_at,
                gettext_noop("Handover accepted"),
                text,
                LEGAL,
                decision=True,
            )
        )
    if handover.closed_at:
        said = [
            worded(
                "The %(kind)s handover was %(state)s.",
                kind=kind,
                state=midsentence(label_of(handover, "state")),
            ),
            handover.abandon_reason,
        ]
        found.append(
            DecisionPoint(
                f"custody.handover-closed:{handover.pk}",
                handover.closed_at,
                gettext_noop("Handover closed"),
                paragraph(said),
                LEGAL,
            )
        )
    return found


def contribute() -> None:
    contribute_decision_points("custody", points)
