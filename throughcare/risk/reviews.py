"""Reviews that cannot be forgotten.

The schedule is profile data (default: first assessment and plan within 14 days of a case opening, the
assessment every 70 days, the plan every 90). Events require a plan review at once: release, new
information, a change of circumstances, a conference decision, or the owner of an intelligence flag who
cannot say why. Each due review is a row: done when the next version (or completed assessment) is
recorded, escalated to the managers once when overdue — an assessment ordered and then left for ten
months is what this prevents.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases import events
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import Wording, label_of, midsentence, worded, worded_count
from throughcare.notifications.send import managers_of, notify
from throughcare.risk.models import Assessment, PlanVersion, ReviewDue, ReviewReason
from throughcare.sharing.access import writer_agency

Kind = ReviewDue.Kind


def _profile_days(case: Case) -> tuple[int, int, int]:

    profile = JurisdictionProfile.for_case(case)
    return profile.first_review_days, profile.assessment_review_days, profile.plan_review_days


def _last_done(case: Case, kind: str) -> date | None:
    if kind == Kind.PLAN:
        last = PlanVersion.objects.filter(case=case).aggregate(at=Max("created_at"))["at"]
    else:
        last = Assessment.objects.filter(case=case, completed_at__isnull=False).aggregate(
            at=Max("completed_at")
        )["at"]
    return timezone.localdate(last) if last else None


def next_scheduled(case: Case, kind: str) -> tuple[date, str]:
    """When the next scheduled review of this kind falls, and why (first, or scheduled)."""
    first, assessment_every, plan_every = _profile_days(case)
    last = _last_done(case, kind)
    if last is None:
        return timezone.localdate(case.opened_at) + timedelta(days=first), ReviewReason.FIRST
    every = plan_every if kind == Kind.PLAN else assessment_every
    return last + timedelta(days=every), ReviewReason.SCHEDULED


def ensure_schedule(case: Case) -> int:
    """Give an open case its next scheduled reviews where none is open. Returns how many were added."""
    if case.phase == Phase.CLOSED:
        return 0
    added = 0
    for kind in Kind.values:
        if not ReviewDue.objects.filter(case=case, kind=kind, done_at__isnull=True).exists():
            due_on, reason = next_scheduled(case, kind)
            ReviewDue.objects.create(case=case, kind=kind, due_on=due_on, reason=reason)
            added += 1
    return added


def reviewed(case: Case, kind: str, *, version: PlanVersion | None = None) -> None:
    """A review of this kind was recorded: every open one is done, and the next is scheduled."""
    ReviewDue.objects.filter(case=case, kind=kind, done_at__isnull=True).update(
        done_at=timezone.now(), done_by_version=version
    )
    ensure_schedule(case)


def require_plan_review(
    case: Case,
    *,
    by: User | None,
    reason: str,
    note: str = "",
    due_on: date | None = None,
    cause: str = DataCategory.RISK,
    system_note: Wording | None = None,
) -> ReviewDue:
    """An event requires the plan to be reviewed now. `by` None: the system (e.g. on release).

    `cause` is the data category of what caused it. A review caused by intelligence carries no trace of
    it: the review due says only "new information" (the flag tells the team whom to contact), and what
    the owner wrote is an intelligence entry on the timeline, shown to cleared readers only. `system_note`:
    the system's own words for the timeline, in place of a person's note (read in the reader's language).
    """
    if reason not in ReviewReason.values or reason in (ReviewReason.FIRST, ReviewReason.SCHEDULED):
        raise ActionRefused(gettext("Say why the plan must be reviewed"), field="reason")
    if by is not None and reason == ReviewReason.CHANGE and len(note.strip()) < 10:
        raise ActionRefused(gettext("Say what changed, so the reviewer knows what to look at"), field="note")
    agency = writer_agency(by, case, None, doing="require a plan review") if by is not None else None
    traceless = cause == DataCategory.INTELLIGENCE
    with transaction.atomic():
        due = ReviewDue.objects.create(
            case=case,
            kind=Kind.PLAN,
            due_on=due_on or timezone.localdate(),
            reason=reason,
            note="" if traceless else (system_note or note.strip()[:300]),
            requested_by=by,
        )
        why = midsentence(ReviewReason(reason).label)
        told = worded("Plan review required (%(reason)s).", reason=why)
        text = (
            worded(
                "Plan review required (%(reason)s): %(note)s",
                reason=why,
                note=system_note or note.strip()[:300],
            )
            if system_note or note.strip()
            else worded("Plan review required (%(reason)s).", reason=why)
        )
        if by is not None and agency is not None:
            record_on_timeline(case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=cause)
        record(
            Operation.COLLECTION,
            due,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="plan review required",
            details={"reason": reason},
        )
        emit(  # traceless too: the reason is "new information" whatever the information was
            events.ReviewDue(
                case_id=case.pk,
                by_id=by.pk if by else None,
                at=timezone.now(),
                review_id=due.pk,
                due_on=due.due_on,
                reason=reason,
            )
        )
        lead = case.team.lead()
        if lead is not None and lead.user != by:
            notify(
                [lead.user],
                worded("Plan review required on %(case)s", case=case.reference),
                worded("%(review)s Due %(date)s.", review=told if traceless else text, date=due.due_on),
                reverse("risk:plan", args=[case.pk]),
                case_id=case.pk,
                category=DataCategory.RISK,  # a traceless notice: about the review, not its cause
            )
    return due


def escalate_overdue(today: date) -> int:
    """Tell the managers of the lead's agency (or of the team's agencies), once, of each overdue review."""
    overdue = (
        ReviewDue.objects.filter(done_at__isnull=True, escalated_at__isnull=True, due_on__lt=today)
        .exclude(case__phase=Phase.CLOSED)
        .select_related("case")
    )
    count = 0
    for due in overdue:
        places = due.case.team.active()
        leads = due.case.team.leads()
        managers = managers_of((leads if leads.exists() else places).values("agency"))
        with transaction.atomic():
            notify(
                managers,
                worded(
                    "%(review)s overdue on %(case)s", review=label_of(due, "kind"), case=due.case.reference
                ),
                worded_count(
                    "Due %(date)s (%(reason)s); %(count)s day overdue.",
                    "Due %(date)s (%(reason)s); %(count)s days overdue.",
                    (today - due.due_on).days,
                    date=due.due_on,
                    reason=midsentence(label_of(due, "reason")),
                ),
                reverse("risk:plan", args=[due.case_id]),
                case_id=due.case_id,
                category=DataCategory.RISK,
            )
            ReviewDue.objects.filter(pk=due.pk).update(escalated_at=timezone.now())
            record(
                Operation.ALTERATION,
                due,
                by=None,
                case_id=due.case_id,
                justification="overdue review escalated",
                details={"managers": len(managers)},
            )
            emit(
                events.ReviewOverdue(
                    case_id=due.case_id, by_id=None, at=timezone.now(), review_id=due.pk, due_on=due.due_on
                )
            )
        count += 1
    return count


def schedule_all() -> int:
    """The daily run: every open case has its next reviews scheduled, on the profile's current intervals
    (a profile changed since a review was scheduled moves its due date; required reviews keep theirs)."""
    added = 0
    for case in Case.objects.exclude(phase=Phase.CLOSED).iterator():
        added += ensure_schedule(case)
        _follow_profile(case)
    return added


def _follow_profile(case: Case) -> None:
    scheduled = ReviewDue.objects.filter(
        case=case, done_at__isnull=True, reason__in=[ReviewReason.FIRST, ReviewReason.SCHEDULED]
    )
    for due in scheduled:
        due_on, _ = next_scheduled(case, due.kind)
        if due_on != due.due_on:
            ReviewDue.objects.filter(pk=due.pk).update(due_on=due_on, escalated_at=None)
