"""What risk management puts in Needs attention: information to acknowledge and reviews due.
Contributed in `RiskConfig.ready`."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Audience,
    Deadline,
    contribute_attention,
    contribute_attention_feeds,
    contribute_deadline,
    escalated,
)
from throughcare.lib.wording import Wording, midsentence, worded
from throughcare.risk.models import IncomingInformation, ReviewDue, ReviewReason


def risk_items(scope: AttentionScope) -> list[AttentionItem]:
    return _information(scope) + _reviews(scope)


def contribute() -> None:
    contribute_attention(gettext_noop("Risk"), 20, risk_items)  # a heading, translated where shown
    contribute_attention_feeds((IncomingInformation, "case"), (ReviewDue, "case"))
    contribute_deadline(Deadline("risk-review", gettext_noop("Risk review"), ReviewDue, "due_on", "done_at"))
    contribute_deadline(
        Deadline(
            "information",
            gettext_noop("Information to acknowledge"),
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
            escalated(worded("Information from %(source)s to acknowledge", source=i.source), i.escalated_at),
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
            escalated(_review_text(d), d.escalated_at),
            d.due_on,
            d.due_on < today,
            url=reverse("risk:plan", args=[d.case_id]),
            category=ReviewDue.data_category,
        )
        for d in dues
    ]


def _review_text(due: ReviewDue) -> Wording:
    review, reason = ReviewDue.Kind(due.kind).label, midsentence(ReviewReason(due.reason).label)
    if due.note:
        return worded("%(review)s due (%(reason)s): %(note)s", review=review, reason=reason, note=due.note)
    return worded("%(review)s due (%(reason)s)", review=review, reason=reason)
