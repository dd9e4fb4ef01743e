"""What risk management puts in Needs attention: information to acknowledge and reviews due.
Contributed in `RiskConfig.ready`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases.contributions import AttentionItem, contribute_attention
from throughcare.cases.models import Case
from throughcare.risk.models import IncomingInformation, ReviewDue


def risk_items(user: User, cases: QuerySet[Case], today: date, scope: str) -> list[AttentionItem]:
    return _information(user, cases, scope) + _reviews(user, cases, today)


def contribute() -> None:
    contribute_attention("Risk", 20, risk_items)


def _information(user: User, cases: QuerySet[Case], scope: str) -> list[AttentionItem]:
    waiting = (
        IncomingInformation.objects.visible_to(user)
        .filter(case__in=cases, acknowledged_at__isnull=True)
        .select_related("case", "routed_to")
    )
    if scope == "mine":
        waiting = waiting.filter(routed_to=user)
    now = timezone.now()
    return [
        AttentionItem(
            i.case,
            f"Information from {i.source} to acknowledge — {i.routed_to}"
            + (" (escalated to managers)" if i.escalated_at else ""),
            timezone.localdate(i.acknowledge_by),
            i.acknowledge_by < now,
            url=reverse("risk:information", args=[i.case_id]),
        )
        for i in waiting
    ]


def _reviews(user: User, cases: QuerySet[Case], today: date) -> list[AttentionItem]:
    dues = (
        ReviewDue.objects.visible_to(user)
        .filter(case__in=cases, done_at__isnull=True, due_on__lte=today + timedelta(days=14))
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
        )
        for d in dues
    ]
