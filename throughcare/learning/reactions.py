"""How learning takes part in the whole: its case section (Reviews), its Needs attention items and
deadlines (recommendations), its daily job (overdue recommendations escalated), and its reaction to an
erased entry (registered in `LearningConfig.ready`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Audience,
    Deadline,
    DecisionPoint,
    Section,
    contribute_attention,
    contribute_attention_feeds,
    contribute_deadline,
    contribute_decision_points,
    contribute_section,
    escalated,
)
from throughcare.cases.events import EntryErased
from throughcare.cases.models import Case, DataCategory, PhaseChange
from throughcare.cases.standing import Standing
from throughcare.learning.actions import escalate_overdue_recommendations, forget_erased
from throughcare.learning.models import Recommendation
from throughcare.lib.daily import DailyJob, register_daily
from throughcare.lib.events import subscribe
from throughcare.lib.wording import Wording, label_of, midsentence, worded


def recommendations(scope: AttentionScope) -> list[AttentionItem]:
    """Open recommendations due within a fortnight (or overdue): the owner's own, or — for a manager —
    those owned by their agencies' staff."""
    soon: date = scope.today + timedelta(days=14)
    rows = (
        scope.rows(Recommendation, among_cases=False)
        .filter(done_at__isnull=True, due_on__lte=soon)
        .select_related("review__case", "owner")
    )
    if scope.mine:
        rows = rows.filter(owner=scope.person)
    return [
        AttentionItem(
            r.review.case,
            escalated(
                worded("Review recommendation on %(theme)s", theme=midsentence(label_of(r, "theme"))),
                r.escalated_at,
            ),
            r.due_on,
            r.due_on < scope.today,
            url=reverse("learning:review", args=[r.review_id]) + f"#recommendation-{r.pk}",
            owner=r.owner,
            audience=Audience.ANY_CASE,
            category=Recommendation.data_category,
        )
        for r in rows
    ]


def phase_changes(case: Case, standing: Standing) -> list[DecisionPoint]:
    """The case's own decision points: its phase changes (after the first, which opened it)."""
    changes = PhaseChange.objects.on_case_as(case, standing).exclude(from_phase="")
    return [
        DecisionPoint(
            f"cases.phase:{change.pk}",
            change.changed_at,
            gettext_noop("Phase change"),
            _moved(change),
            DataCategory.GENERAL,
            decision=True,
        )
        for change in changes
    ]


def _moved(change: PhaseChange) -> Wording:
    phases = {"from": label_of(change, "from_phase"), "to": label_of(change, "to_phase")}
    if change.reason:
        return worded("From %(from)s to %(to)s: %(reason)s", **phases, reason=change.reason)
    return worded("From %(from)s to %(to)s.", **phases)


def erased(event: EntryErased) -> None:
    forget_erased(event.case_id, event.entry_id)


def register() -> None:
    contribute_section(
        Section("reviews", gettext_lazy("Reviews"), "learning:case_reviews", DataCategory.RISK, 48)
    )
    contribute_attention(gettext_noop("Reviews and learning"), 70, recommendations)  # translated where shown
    contribute_attention_feeds((Recommendation, "review__case"))
    contribute_decision_points("cases", phase_changes)
    contribute_deadline(
        Deadline(
            "recommendation",
            gettext_noop("Review recommendation"),
            Recommendation,
            "due_on",
            "done_at",
            owner="owner",
            among_cases=False,
        )
    )
    register_daily(
        "learning.recommendations",
        DailyJob(
            70,
            "Overdue review recommendations escalated to managers: {count}.",
            escalate_overdue_recommendations,
        ),
    )
    subscribe(EntryErased, erased)
