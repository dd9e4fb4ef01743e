"""What risk management puts in Needs attention: information to acknowledge and reviews due.
Contributed in `RiskConfig.ready`."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Audience,
    Deadline,
    contribute_attention,
    contribute_attention_feeds,
    contribute_deadline,
)
from throughcare.risk.models import IncomingInformation, ReviewDue


def risk_items(scope: AttentionScope) -> list[AttentionItem]:
    return _information(scope) + _reviews(scope)


def contribute() -> None:
    contribute_attention("Risk", 20, risk_items)
    contribute_attention_feeds((IncomingInformation, "case"), (ReviewDue, "case"))
    contribute_deadline(Deadline("risk-review", "Risk review", ReviewDue, "due_on", "done_at"))
    contribute_deadline(
        Deadline(
            "information",
            "Information to acknowledge",
            IncomingInformation,
            "acknowledge_by",
            "acknowledged_at",
            owner="routed_to",
        )
    )


def _information(scope: AttentionScope) -> list[AttentionItem]:
    waiting = (
        scope.rows(IncomingInformation)
        .filter(acknowledged_at__isnull=True)
        .select_related("case", "routed_to")
    )
    if scope.mine:
        waiting = waiting.filter(routed_to=scope.person)
    now = timezone.now()
    return [
        AttentionItem(
            i.case,
            f"Information from {i.source} to acknowledge"
            + (" (escalated to managers)" if i.escalated_at else ""),
            timezone.localdate(i.acknowledge_by),
            i.acknowledge_by < now,
            url=reverse("risk:information", args=[i.case_id]) + f"#information-{i.pk}",
            owner=i.routed_to,
            audience=Audience.OWNER,
            category=i.data_category_of(),
            overdue_at=i.acknowledge_by,
        )
        for i in waiting
    ]


def _reviews(scope: AttentionScope) -> list[AttentionItem]:
    today = scope.today
    dues = (
        scope.rows(ReviewDue)
        .filter(done_at__isnull=True, due_on__lte=today + timedelta(days=14))
        .select_related("case")
    )
    return [
        AttentionItem(
            d.case,
            f"{d.get_kind_display()} due ({d.get_reason_display().lower()})"
            + (f": {d.note}" if d.note else "")
            + (" — escalated to managers" if d.escalated_at else ""),
            d.due_on,
            d.due_on < today,
            url=reverse("risk:plan", args=[d.case_id]),
            category=ReviewDue.data_category,
        )
        for d in dues
    ]
