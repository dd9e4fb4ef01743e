"""What custody puts in Needs attention: the deadlines of custody-to-community continuity — handover items,
releases coming up (handover, licence and its hard stop), first appointments, breaches awaiting a decision
and the dues of the notification requirement.

Every source starts from the cases the workspace passes in (already through the gate) and reads rows
through `visible_to`. Contributed in `CustodyConfig.ready`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
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
from throughcare.cases.models import Case, Phase, PhaseChange
from throughcare.custody.models import (
    CaseCondition,
    ComplianceEvent,
    ConditionStatus,
    Handover,
    HandoverItem,
    HandoverState,
    NotificationDue,
    Sentence,
)
from throughcare.lib.wording import Wording, labelled, worded, worded_count

RELEASE_HORIZON_DAYS = 30
GROUP = gettext_noop("Custody and release")  # a heading, translated where shown


def custody_items(scope: AttentionScope) -> list[AttentionItem]:
    items = (
        _handover_items(scope)
        + _releases(scope)
        + _first_appointments(scope)
        + _breaches(scope)
        + _notification_dues(scope)
    )
    return [replace(item, url=_where(item)) if item.case and not item.url else item for item in items]


# Where each kind of item is acted on: the custody section (sentence, handover) or the licence page.
PAGE_OF_ANCHOR = {"handover": "custody:section", "sentence": "custody:section"}


def _where(item: AttentionItem) -> str:
    assert item.case is not None
    page = PAGE_OF_ANCHOR.get(item.anchor, "custody:licence")
    return reverse(page, args=[item.case.pk]) + (f"#{item.anchor}" if item.anchor else "")


def contribute() -> None:
    contribute_attention(GROUP, 10, custody_items)
    contribute_attention_feeds(
        (HandoverItem, "handover__case"),
        (Handover, "case"),
        (Sentence, "case"),
        (CaseCondition, "case"),
        (ComplianceEvent, "case"),
        (NotificationDue, "requirement__case"),
    )
    contribute_deadline(
        Deadline("handover", gettext_noop("Handover item"), HandoverItem, "due_on", "done_at", "owner")
    )
    contribute_deadline(
        Deadline("notification", gettext_noop("Notification due"), NotificationDue, "due_on", "notified_on")
    )


def _handover_items(scope: AttentionScope) -> list[AttentionItem]:
    today = scope.today
    items = (
        scope.rows(HandoverItem)
        .filter(
            handover__state__in=[HandoverState.CREATED, HandoverState.ACCEPTED],
            done_at__isnull=True,
            due_on__lte=today + timedelta(days=14),
        )
        .select_related("handover__case", "owner")
    )
    if scope.mine:
        items = items.filter(Q(owner=scope.person) | Q(owner__isnull=True))
    return [
        AttentionItem(
            i.handover.case,
            worded(
                "Handover: %(item)s (escalated %(date)s)",
                item=i.title_in_each_language,
                date=timezone.localdate(i.escalated_at),
            )
            if i.escalated_at
            else worded("Handover: %(item)s", item=i.title_in_each_language),
            i.due_on,
            i.due_on < today,
            "handover",
            owner=i.owner,
            audience=Audience.OWNER_OR_CASE,
            category=HandoverItem.data_category,
        )
        for i in items
    ]


def _releases(scope: AttentionScope) -> list[AttentionItem]:
    today = scope.today
    sentences = (
        scope.rows(Sentence)
        .filter(
            Q(conditional_release__range=(today, today + timedelta(days=RELEASE_HORIZON_DAYS)))
            | Q(
                conditional_release__isnull=True,
                earliest_release__range=(today, today + timedelta(days=RELEASE_HORIZON_DAYS)),
            ),
            case__phase__in=[Phase.CUSTODY, Phase.RELEASE_PLANNING],
        )
        .select_related("case", "profile")
        .annotate(
            handover_done=Exists(
                Handover.objects.filter(case=OuterRef("case"), state=HandoverState.COMPLETED)
            ),
            licence_agreed=Exists(
                CaseCondition.objects.filter(case=OuterRef("case"), status=ConditionStatus.ORDERED)
            ),
        )
    )
    items: list[AttentionItem] = []
    for sentence in sentences:
        items += _release_items(sentence, today)
    return items


def _release_items(sentence: Sentence, today: date) -> list[AttentionItem]:
    case, release = sentence.case, sentence.release_date
    assert release is not None
    items = []
    flags = sentence.__dict__  # the annotations of _releases
    if not flags["handover_done"]:
        items.append(
            AttentionItem(
                case,
                worded("Release on %(date)s: handover not completed", date=release),
                release,
                False,
                "handover",
                category=Sentence.data_category,
            )
        )
    if not flags["licence_agreed"]:
        profile = sentence.profile
        hard_stop = profile.working_days_before(release, profile.licence_ready_working_days)
        if today >= hard_stop:
            days = sentence.profile.licence_ready_working_days
            text = worded_count(
                "Licence not ready %(count)s working day before release on %(date)s: "
                "prison staff must make it now",
                "Licence not ready %(count)s working days before release on %(date)s: "
                "prison staff must make it now",
                days,
                date=release,
            )
            items.append(
                AttentionItem(case, text, hard_stop, True, "sentence", category=Sentence.data_category)
            )
        else:
            items.append(
                AttentionItem(
                    case,
                    worded("Release on %(date)s: licence conditions not agreed", date=release),
                    hard_stop,
                    False,
                    "sentence",
                    category=Sentence.data_category,
                )
            )
    return items


def _first_appointments(scope: AttentionScope) -> list[AttentionItem]:
    today = scope.today
    """Released more than a day ago with no appointment kept since: the first 24 hours matter most."""
    released = PhaseChange.objects.filter(case=OuterRef("pk"), to_phase=Phase.COMMUNITY).order_by(
        "-changed_at"
    )
    kept = ComplianceEvent.objects.filter(
        case=OuterRef("pk"), kind=ComplianceEvent.Kind.KEPT, occurred_on__gte=OuterRef("released_on")
    )
    community = (
        scope.cases_holding(ComplianceEvent.data_category)
        .filter(phase=Phase.COMMUNITY)
        .annotate(released_on=TruncDate(Subquery(released.values("changed_at")[:1])))
        .filter(released_on__lt=today - timedelta(days=1))
        .annotate(kept=Exists(kept))
        .filter(kept=False)
    )
    return [_no_appointment(case, case.__dict__["released_on"]) for case in community]


def _no_appointment(case: Case, released_on: date) -> AttentionItem:
    return AttentionItem(
        case,
        worded("No appointment kept since release on %(date)s", date=released_on),
        released_on + timedelta(days=1),
        True,
        "compliance",
        category=ComplianceEvent.data_category,
    )


def _breaches(scope: AttentionScope) -> list[AttentionItem]:
    breaches = (
        scope.rows(ComplianceEvent)
        .filter(kind=ComplianceEvent.Kind.BREACH, decision__isnull=True)
        .select_related("case")
    )
    return [
        AttentionItem(
            b.case,
            worded("Breach of %(date)s awaits a decision", date=b.occurred_on),
            b.occurred_on,
            True,
            "compliance",
            category=ComplianceEvent.data_category,
        )
        for b in breaches
    ]


def _notification_dues(scope: AttentionScope) -> list[AttentionItem]:
    today = scope.today
    dues = (
        scope.rows(NotificationDue)
        .filter(notified_on__isnull=True, due_on__lte=today + timedelta(days=7))
        .select_related("requirement__case")
    )
    return [
        AttentionItem(
            d.requirement.case,
            _due_text(d),
            d.due_on,
            d.due_on < today,
            "notifications",
            category=NotificationDue.data_category,
        )
        for d in dues
    ]


def _due_text(due: NotificationDue) -> Wording:
    kind = NotificationDue.Kind(due.kind).label
    text = worded("%(due)s (%(details)s)", due=kind, details=due.details) if due.details else labelled(kind)
    return escalated(text, due.escalated_at)
