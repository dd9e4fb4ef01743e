"""What rehabilitation puts in Needs attention: follow-ups after exit and closures awaiting a sign-off.
Contributed in `RehabConfig.ready`."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Deadline,
    contribute_attention,
    contribute_deadline,
)
from throughcare.cases.models import CaseTeamMember
from throughcare.rehab.models import Closure, FollowUp
from throughcare.sharing.access import viewer_for


def rehab_items(scope: AttentionScope) -> list[AttentionItem]:
    return _follow_ups(scope) + _closures(scope)


def contribute() -> None:
    contribute_attention("Rehabilitation", 30, rehab_items)
    contribute_deadline(
        Deadline(
            "follow-up", "Follow-up after exit", FollowUp, "due_on", "done_at", "owner", among_cases=False
        )
    )


def _follow_ups(scope: AttentionScope) -> list[AttentionItem]:
    user, today = scope.user, scope.today
    """Check-ins after exit: the case is closed, so they are found by owner (or the owner's agencies)."""
    dues = scope.rows(FollowUp, among_cases=False).filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=14)
    )
    if scope.decided is not None:
        pass  # one case: everyone working on it sees its follow-ups
    elif scope.mine or not viewer_for(user).managed:
        dues = dues.filter(owner=user)
    else:
        dues = dues.filter(owner__memberships__agency__in=list(viewer_for(user).managed)).distinct()
    return [
        AttentionItem(
            f.case,
            "Follow-up after exit",
            f.due_on,
            f.due_on < today,
            url=_criteria_url(f.case_id),
            owner=f.owner,
        )
        for f in dues.select_related("case", "owner")
    ]


def _closures(scope: AttentionScope) -> list[AttentionItem]:
    user = scope.user
    """Proposals to close a case that the user's agency has not signed off yet."""
    places = CaseTeamMember.objects.active().filter(case=OuterRef("case"), user=user)
    proposals = (
        scope.rows(Closure)
        .filter(closed_at__isnull=True, cancelled_at__isnull=True)
        .filter(Exists(places))
        .exclude(sign_offs__agency__in=CaseTeamMember.objects.active().filter(user=user).values("agency"))
        .select_related("case", "proposed_by")
    )
    return [
        AttentionItem(
            c.case,
            f"Closing proposed by {c.proposed_by} ({c.get_reason_display().lower()}): your agency's sign-off",
            None,
            False,
            url=_criteria_url(c.case_id),
            owner=user,
        )
        for c in proposals
    ]


def _criteria_url(case_id: int) -> str:
    return reverse("rehab:criteria", args=[case_id]) + "#closure"
