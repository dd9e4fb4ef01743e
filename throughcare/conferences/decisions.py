"""What the conferences add to a case review's chronology: their decisions, requests decided (in a meeting
or outside one) and actions escalated. Contributed in `ConferencesConfig.ready`."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.conferences.models import ActionItem, Decision, RiskRequest
from throughcare.lib.wording import label_of, midsentence, paragraph, worded


def points(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    decisions = Decision.objects.on_case_as(case, standing).select_related("item__conference")
    for decided in decisions:
        text = worded(
            "%(kind)s: %(decision)s — because %(rationale)s",
            kind=label_of(decided.item.conference, "kind"),
            decision=decided.decision,
            rationale=decided.rationale,
        )
        found.append(
            DecisionPoint(
                f"conferences.decision:{decided.pk}",
                decided.decided_at,
                gettext_noop("Conference decision"),
                text,
                DataCategory.RISK,
                decision=True,
            )
        )
    requests = RiskRequest.objects.on_case_as(case, standing).exclude(decided_at=None)
    for request in requests.filter(delegate__isnull=False):  # decided outside a meeting
        said = [
            worded(
                "%(kind)s request: %(outcome)s.",
                kind=label_of(request, "kind"),
                outcome=midsentence(label_of(request, "outcome")),
            ),
            request.delegate_rationale,
        ]
        found.append(
            DecisionPoint(
                f"conferences.request:{request.pk}",
                request.decided_at,
                gettext_noop("Request decided"),
                paragraph(said),
                DataCategory.RISK,
                decision=True,
            )
        )
    for action in ActionItem.objects.on_case_as(case, standing).exclude(escalated_at=None):
        text = worded(
            "Conference action “%(action)s”, due %(date)s, was overdue and escalated to managers.",
            action=action.description,
            date=action.due_on,
        )
        found.append(
            DecisionPoint(
                f"conferences.action:{action.pk}",
                action.escalated_at,
                gettext_noop("Escalation"),
                text,
                DataCategory.GENERAL,
                late=True,
            )
        )
    return found


def contribute() -> None:
    contribute_decision_points("conferences", points)
