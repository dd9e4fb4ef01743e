"""Notification requirements of terrorist offenders after release (rules from the jurisdiction profile).

On release the requirement starts: an initial notification is due within a few days, then a re-notification
every year, changes as they happen, and foreign travel of a few days or more before departure. Its length
depends on the sentence. Dues not met appear in "needs attention" and escalate in the daily run.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.custody.models import NotificationDue, NotificationRequirement, Sentence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.dates import add_months
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import label_of, worded, worded_count


def start_requirement(case: Case, released_on: date, *, by: User) -> NotificationRequirement | None:
    """Called on release. Creates the requirement if the profile asks for one for this sentence."""
    sentence = Sentence.objects.filter(case=case).select_related("profile").first()
    if sentence is None or not sentence.profile.notifications_required or not sentence.is_terrorism:
        return None
    if NotificationRequirement.objects.filter(case=case).exists():
        return None
    profile = sentence.profile
    years = _duration_years(sentence)
    with transaction.atomic():
        requirement = NotificationRequirement.objects.create(
            case=case, starts_on=released_on, ends_on=add_months(released_on, 12 * years)
        )
        NotificationDue.objects.create(
            requirement=requirement,
            kind=NotificationDue.Kind.INITIAL,
            due_on=released_on + timedelta(days=profile.notification_initial_days),
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded_count(
                "Notification requirements start: initial notification due by %(date)s; they last %(count)s "
                "year, until %(end)s.",
                "Notification requirements start: initial notification due by %(date)s; they last %(count)s "
                "years, until %(end)s.",
                years,
                date=released_on + timedelta(days=profile.notification_initial_days),
                end=requirement.ends_on,
            ),
            by,
            None,
            category=DataCategory.LEGAL,
        )
        record(
            Operation.COLLECTION,
            requirement,
            by=by,
            case_id=case.pk,
            justification="notification requirements",
        )
    return requirement


def _duration_years(sentence: Sentence) -> int:
    profile = sentence.profile
    if sentence.sentence_end is None:
        return profile.notification_years_long
    months = (sentence.sentence_end.year - sentence.sentence_start.year) * 12 + (
        sentence.sentence_end.month - sentence.sentence_start.month
    )
    if months >= 120:
        return profile.notification_years_long
    return profile.notification_years_medium if months >= 60 else profile.notification_years_short


def record_notification(due: NotificationDue, *, by: User, notified_on: date) -> None:
    """The police record that the person notified; an initial or annual one sets the next annual due date."""
    if notified_on > timezone.localdate():
        raise ActionRefused(gettext("The date cannot be in the future"), field="notified_on")
    requirement = due.requirement
    with transaction.atomic():
        updated = NotificationDue.objects.filter(pk=due.pk, notified_on__isnull=True).update(
            notified_on=notified_on, recorded_by=by
        )
        if updated != 1:
            raise ActionRefused(gettext("This notification has already been recorded"))
        if due.kind in (NotificationDue.Kind.INITIAL, NotificationDue.Kind.ANNUAL):
            profile = JurisdictionProfile.for_case(requirement.case)
            next_due = add_months(notified_on, profile.notification_renewal_months)
            if next_due <= requirement.ends_on:
                NotificationDue.objects.create(
                    requirement=requirement, kind=NotificationDue.Kind.ANNUAL, due_on=next_due
                )
        record_on_timeline(
            requirement.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "%(notification)s made on %(date)s.", notification=label_of(due, "kind"), date=notified_on
            ),
            by,
            None,
            category=DataCategory.LEGAL,
        )
        record(
            Operation.ALTERATION,
            due,
            by=by,
            case_id=requirement.case_id,
            justification="notification recorded",
            details={"kind": due.kind},
        )


def record_change(
    requirement: NotificationRequirement, *, by: User, notified_on: date, details: str
) -> NotificationDue:
    """A change (address, name, vehicle …) notified by the person: recorded as made on that day."""
    if not details.strip():
        raise ActionRefused(gettext("Say what changed"), field="details")
    if notified_on > timezone.localdate():
        raise ActionRefused(gettext("The date cannot be in the future"), field="notified_on")
    with transaction.atomic():
        due = NotificationDue.objects.create(
            requirement=requirement,
            kind=NotificationDue.Kind.CHANGE,
            due_on=notified_on,
            notified_on=notified_on,
            recorded_by=by,
            details=details.strip()[:300],
        )
        record_on_timeline(
            requirement.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded("Change notified on %(date)s: %(details)s", date=notified_on, details=details.strip()),
            by,
            None,
            category=DataCategory.LEGAL,
        )
        record(Operation.COLLECTION, due, by=by, case_id=requirement.case_id, justification="change notified")
    return due


def plan_travel(
    requirement: NotificationRequirement, *, by: User, departs_on: date, returns_on: date, destination: str
) -> NotificationDue | None:
    """Foreign travel long enough to need notice must be notified before departure."""
    profile = JurisdictionProfile.for_case(requirement.case)
    if returns_on < departs_on:
        raise ActionRefused(gettext("The return cannot be before the departure"), field="returns_on")
    if not destination.strip():
        raise ActionRefused(gettext("Enter the destination"), field="destination")
    if (returns_on - departs_on).days + 1 < profile.notification_travel_min_days:
        return None
    with transaction.atomic():
        due = NotificationDue.objects.create(
            requirement=requirement,
            kind=NotificationDue.Kind.TRAVEL,
            due_on=departs_on - timedelta(days=max(1, profile.notification_travel_notice_days)),
            details=f"{destination.strip()}, {departs_on:%d %b} to {returns_on:%d %b %Y}",
        )
        record(
            Operation.COLLECTION,
            due,
            by=by,
            case_id=requirement.case_id,
            justification="foreign travel planned",
        )
    return due
