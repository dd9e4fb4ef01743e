"""Incoming information: recorded with its source and grading, routed to the case lead, who must
acknowledge it within the profile's deadline and decide what follows. Late acknowledgements escalate."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import (
    InformationAcknowledged,
    InformationEscalated,
    InformationRecorded,
    IntelligenceRecorded,
)
from throughcare.cases.models import Case, DataCategory, Nature, TimelineEntry
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import label_of, midsentence, worded
from throughcare.notifications.send import managers_of, notify
from throughcare.risk.models import IncomingInformation, ReviewReason
from throughcare.risk.reviews import require_plan_review
from throughcare.sharing.access import viewer_for, writer_agency


def _deadline_hours(case: Case) -> int:

    return JurisdictionProfile.for_case(case).information_acknowledge_hours


def record_information(
    case: Case,
    *,
    by: User,
    source: str,
    received_on: date,
    reliability: str,
    credibility: str,
    category: str,
    summary: str,
) -> IncomingInformation:
    agency = writer_agency(by, case, category, doing="record incoming information in this category")
    lead = case.team.lead()
    if lead is None:
        raise ActionRefused(gettext("The case has no lead to route the information to."))
    _check(source, reliability, credibility, category, summary)
    if category == DataCategory.INTELLIGENCE and not _cleared(by):
        raise ActionRefused(gettext("Only cleared officers can record intelligence."), field="category")
    now = timezone.now()
    with transaction.atomic():
        info = IncomingInformation.objects.create(
            case=case,
            source=source.strip(),
            received_on=received_on,
            reliability=reliability,
            credibility=credibility,
            category=category,
            summary=summary.strip(),
            recorded_by=by,
            routed_to=lead.user,
            acknowledge_by=now + timedelta(hours=_deadline_hours(case)),
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.NOTE,
            worded(
                "Information from %(source)s (graded %(grade)s): %(summary)s",
                source=info.source,
                grade=f"{reliability}{credibility}",
                summary=info.summary,
            ),
            by,
            agency,
            category=category,
        )
        record(
            Operation.COLLECTION,
            info,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="incoming information",
            details={"grading": reliability + credibility},
        )
        notify(
            [lead.user],
            worded("New information on %(case)s to acknowledge", case=case.reference),
            worded(
                "From %(source)s, recorded by %(person)s. Acknowledge by %(moment)s.",
                source=info.source,
                person=str(by),
                moment=info.acknowledge_by,
            ),
            reverse("risk:information", args=[case.pk]),
            case_id=case.pk,
        )
        if category == DataCategory.INTELLIGENCE:
            emit(IntelligenceRecorded(case_id=case.pk, by_id=by.pk, at=now))
        else:  # intelligence is announced only as such: its existence is not risk data
            emit(
                InformationRecorded(
                    case_id=case.pk,
                    by_id=by.pk,
                    at=now,
                    information_id=info.pk,
                    acknowledge_by=info.acknowledge_by.isoformat(),
                )
            )
    return info


def _cleared(user: User) -> bool:

    return viewer_for(user).cleared


def _check(source: str, reliability: str, credibility: str, category: str, summary: str) -> None:
    if not source.strip():
        raise ActionRefused(gettext("Name the source"), field="source")
    if reliability not in IncomingInformation.Reliability.values:
        raise ActionRefused(gettext("Grade the reliability of the source (A to F)"), field="reliability")
    if credibility not in IncomingInformation.Credibility.values:
        raise ActionRefused(gettext("Grade the credibility of the information (1 to 6)"), field="credibility")
    if category not in DataCategory.values:
        raise ActionRefused(gettext("Choose the category of the information"), field="category")
    if not summary.strip():
        raise ActionRefused(gettext("Summarise the information"), field="summary")


def acknowledge(info: IncomingInformation, *, by: User, decision: str, note: str = "") -> None:
    if by.pk != info.routed_to_id:
        raise ActionRefused(gettext("Only the case lead it was routed to can acknowledge this information."))
    if decision not in IncomingInformation.Decision.values:
        raise ActionRefused(
            gettext("Decide what follows: no action, plan review, conference or urgent action"),
            field="decision",
        )
    agency = writer_agency(by, info.case, None, doing="acknowledge information")
    with transaction.atomic():
        updated = IncomingInformation.objects.filter(pk=info.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), decision=decision, decision_note=note.strip()
        )
        if updated != 1:
            raise ActionRefused(gettext("This information has already been acknowledged."))
        info.refresh_from_db()
        entry = record_on_timeline(
            info.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "Information from %(source)s acknowledged by %(person)s: %(decision)s. %(note)s",
                source=info.source,
                person=str(by),
                decision=midsentence(label_of(info, "decision")),
                note=note.strip(),
            ),
            by,
            agency,
            category=info.category,  # what follows from information is of its category
        )
        TimelineEntry.objects.filter(pk=entry.pk).update(nature=Nature.ASSESSMENT)
        record(
            Operation.ALTERATION,
            info,
            by=by,
            agency=agency,
            case_id=info.case_id,
            justification="incoming information acknowledged",
            details={"decision": decision},
        )
        if info.category != DataCategory.INTELLIGENCE:
            emit(
                InformationAcknowledged(
                    case_id=info.case_id,
                    by_id=by.pk,
                    at=timezone.now(),
                    information_id=info.pk,
                    decision=decision,
                )
            )
        if decision == IncomingInformation.Decision.PLAN_REVIEW:
            require_plan_review(
                info.case,
                by=by,
                reason=ReviewReason.NEW_INFORMATION,
                system_note=worded(
                    "Information received %(date)s, acknowledged by %(person)s",
                    date=info.received_on,
                    person=str(by),
                ),
                cause=info.category,
            )


def escalate_unacknowledged(now: datetime) -> int:
    """Tell the lead's managers, once, of information not acknowledged in time."""
    late = IncomingInformation.objects.filter(
        acknowledged_at__isnull=True, escalated_at__isnull=True, acknowledge_by__lt=now
    ).select_related("case", "routed_to")
    count = 0
    for info in late:
        place = info.case.team.active().filter(user=info.routed_to).first()
        managers = managers_of([place.agency]) if place else []
        with transaction.atomic():
            notify(
                managers,
                worded("Information on %(case)s not acknowledged in time", case=info.case.reference),
                worded(
                    "Routed to %(person)s, due %(moment)s.",
                    person=str(info.routed_to),
                    moment=info.acknowledge_by,
                ),
                reverse("risk:information", args=[info.case_id]),
                case_id=info.case_id,
            )
            IncomingInformation.objects.filter(pk=info.pk).update(escalated_at=now)
            record(
                Operation.ALTERATION,
                info,
                by=None,
                case_id=info.case_id,
                justification="unacknowledged information escalated",
                details={"managers": len(managers)},
            )
            if info.category != DataCategory.INTELLIGENCE:
                emit(InformationEscalated(case_id=info.case_id, by_id=None, at=now, information_id=info.pk))
        count += 1
    return count
