"""The handover from prison to probation: created → accepted → completed, or abandoned with a reason.

The checklist depends on the case (enhanced for terrorism cases), each item has an owner on the case team
and a due date counted from release; overdue items escalate to the owner's managers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, AgencyKind, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import HandoverStateChanged
from throughcare.cases.models import Case, CaseTeamMember, DataCategory, TimelineEntry
from throughcare.custody.models import (
    ChecklistKind,
    ChecklistTemplateItem,
    Handover,
    HandoverItem,
    HandoverState,
    NotificationDue,
    Sentence,
)
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import Wording, label_of, midsentence, worded
from throughcare.notifications.send import managers_of, notify
from throughcare.sharing.access import writer_agency
from throughcare.sharing.actions import consented_categories

OWNER_KINDS = {
    "prison": AgencyKind.PRISON,
    "probation": AgencyKind.PROBATION,
    "police_ct": AgencyKind.POLICE_CT,
    "ngo": AgencyKind.NGO,
}


def start_handover(case: Case, *, by: User) -> Handover:
    agency = _team_agency(by, case)
    sentence = Sentence.objects.filter(case=case).first()
    if sentence is None or sentence.release_date is None:
        raise ActionRefused(
            gettext("Record the sentence and a release date first: the checklist's due dates count from it.")
        )
    if Handover.objects.filter(case=case, state__in=[HandoverState.CREATED, HandoverState.ACCEPTED]).exists():
        raise ActionRefused(gettext("A handover is already open for this case."))
    kind = ChecklistKind.ENHANCED if sentence.is_terrorism else ChecklistKind.STANDARD
    with transaction.atomic():
        handover = Handover.objects.create(
            case=case, kind=kind, release_on=sentence.release_date, created_by=by
        )
        HandoverItem.objects.bulk_create(_items(handover, case))
        _timeline(
            case,
            worded(
                "Handover started (%(checklist)s checklist, release %(date)s).",
                checklist=midsentence(label_of(handover, "kind")),
                date=handover.release_on,
            ),
            by,
            agency,
        )
        record(
            Operation.COLLECTION,
            handover,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="handover started",
        )
        emit(
            HandoverStateChanged(
                case_id=case.pk, by_id=by.pk, at=timezone.now(), handover_id=handover.pk, state=handover.state
            )
        )
    return handover


def _items(handover: Handover, case: Case) -> list[HandoverItem]:

    items = []
    for template in ChecklistTemplateItem.objects.filter(kind=handover.kind):
        place = _owner_place(case, template.owner)
        if template.needs_consent_of_owner and (
            place is None or not consented_categories(case, place.agency)
        ):
            continue
        items.append(
            HandoverItem(
                handover=handover,
                code=template.code,
                title=template.title,
                translations=template.translations,
                mandatory=template.mandatory,
                owner=place.user if place else None,
                owner_role=template.owner,
                order=template.order,
                due_on=handover.release_on - timedelta(days=template.due_days_before_release),
            )
        )
    return items


def _owner_place(case: Case, role: str) -> CaseTeamMember | None:
    places = case.team.active().filter(agency__kind=OWNER_KINDS[role]).select_related("user", "agency")
    return places.order_by("responsibility").first()  # the lead first, if the lead is of that kind


def accept_handover(handover: Handover, *, by: User) -> None:
    place = handover.case.team.active().filter(user=by, agency__kind=AgencyKind.PROBATION).first()
    if place is None:
        raise ActionRefused(gettext("Only a probation officer on the case team can accept the handover."))
    with transaction.atomic():
        _transition(
            handover,
            HandoverState.CREATED,
            HandoverState.ACCEPTED,
            by,
            accepted_by=by,
            accepted_at=timezone.now(),
        )
        _timeline(handover.case, worded("Handover accepted by %(person)s.", person=str(by)), by, place.agency)


def complete_item(item: HandoverItem, *, by: User, note: str = "") -> None:
    handover = item.handover
    agency = _team_agency(by, handover.case)
    if not handover.is_open:
        raise ActionRefused(gettext("This handover is closed."))
    with transaction.atomic():
        updated = HandoverItem.objects.filter(pk=item.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=by, note=note.strip()[:500]
        )
        if updated != 1:
            raise ActionRefused(gettext("This item is already done."))
        _timeline(
            handover.case,
            worded(
                "Handover: %(item)s — done. %(note)s", item=item.title_in_each_language, note=note.strip()
            ),
            by,
            agency,
        )
        record(
            Operation.ALTERATION,
            item,
            by=by,
            agency=agency,
            case_id=handover.case_id,
            justification="handover item done",
            details={"item": item.code},
        )


def complete_handover(handover: Handover, *, by: User) -> None:
    open_items = list(handover.items.filter(mandatory=True, done_at__isnull=True))
    if open_items:
        titles = "; ".join(item.title for item in open_items)
        raise ActionRefused(
            gettext("The handover cannot be completed while mandatory items are open: %(titles)s.")
            % {"titles": titles}
        )
    if handover.state != HandoverState.ACCEPTED:
        raise ActionRefused(gettext("Probation must accept the handover before it can be completed."))
    agency = _team_agency(by, handover.case)
    with transaction.atomic():  # completed, on the timeline and the lead passed: whole or not at all
        _transition(
            handover,
            HandoverState.ACCEPTED,
            HandoverState.COMPLETED,
            by,
            closed_by=by,
            closed_at=timezone.now(),
        )
        _timeline(handover.case, worded("Handover completed: every mandatory item is done."), by, agency)
        _pass_lead(handover, by)


def _pass_lead(handover: Handover, by: User) -> None:
    """The probation officer who accepted the handover becomes the case lead; the prison supports."""
    case = handover.case
    new_lead = case.team.active().filter(user=handover.accepted_by).select_related("agency", "user").first()
    old_lead = case.team.lead()
    if new_lead is None or old_lead is None or new_lead.pk == old_lead.pk:
        return
    with transaction.atomic():
        CaseTeamMember.objects.filter(pk=old_lead.pk).update(
            responsibility=CaseTeamMember.Responsibility.SUPPORTING
        )
        CaseTeamMember.objects.filter(pk=new_lead.pk).update(
            responsibility=CaseTeamMember.Responsibility.LEAD
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.TEAM_CHANGE,
            worded(
                "Case lead passed from %(old)s (%(old_agency)s) to %(new)s (%(new_agency)s).",
                old=str(old_lead.user),
                old_agency=old_lead.agency.label,
                new=str(new_lead.user),
                new_agency=new_lead.agency.label,
            ),
            by,
            new_lead.agency,
        )
        record(
            Operation.ALTERATION,
            new_lead,
            by=by,
            agency=new_lead.agency,
            case_id=case.pk,
            justification="handover completed: lead passed",
            details={"from": old_lead.pk, "to": new_lead.pk},
        )


def abandon_handover(handover: Handover, *, by: User, reason: str) -> None:
    if len(reason.strip()) < 10:
        raise ActionRefused(
            gettext("Give the reason for abandoning the handover (at least a sentence)"), field="reason"
        )
    agency = _team_agency(by, handover.case)
    with transaction.atomic():  # the abandonment and its timeline entry, whole or not at all
        _transition(
            handover,
            handover.state,
            HandoverState.ABANDONED,
            by,
            closed_by=by,
            closed_at=timezone.now(),
            abandon_reason=reason.strip(),
        )
        _timeline(handover.case, worded("Handover abandoned: %(reason)s", reason=reason.strip()), by, agency)


def _transition(handover: Handover, current: str, new: str, by: User, **fields: object) -> None:
    if current not in (HandoverState.CREATED, HandoverState.ACCEPTED):
        raise ActionRefused(gettext("This handover is closed."))
    with transaction.atomic():
        updated = Handover.objects.filter(pk=handover.pk, state=current).update(state=new, **fields)
        if updated != 1:
            raise ActionRefused(gettext("Someone else changed this handover meanwhile. Reload the page."))
        record(
            Operation.ALTERATION,
            handover,
            by=by,
            case_id=handover.case_id,
            justification=f"handover {new}",
            details={"from": current, "to": new},
        )
        emit(
            HandoverStateChanged(
                case_id=handover.case_id, by_id=by.pk, at=timezone.now(), handover_id=handover.pk, state=new
            )
        )
    handover.refresh_from_db()


def escalate_overdue(today: date) -> int:
    """Tell the managers of each overdue item's owner, once; returns how many items were escalated."""
    items = HandoverItem.objects.filter(
        done_at__isnull=True,
        escalated_at__isnull=True,
        due_on__lt=today,
        handover__state__in=[HandoverState.CREATED, HandoverState.ACCEPTED],
    ).select_related("handover__case", "owner")
    count = 0
    for item in items:
        with transaction.atomic():
            managers = _managers_of(item)
            notify(
                managers,
                worded("Overdue handover item on %(case)s", case=item.handover.case.reference),
                _overdue_text(item),
                reverse("custody:section", args=[item.handover.case_id]) + "#handover",
                case_id=item.handover.case_id,
                category=DataCategory.LEGAL,
            )
            HandoverItem.objects.filter(pk=item.pk).update(escalated_at=timezone.now())
            record(
                Operation.ALTERATION,
                item,
                by=None,
                case_id=item.handover.case_id,
                justification="overdue handover item escalated",
                details={"item": item.code, "managers": [m.pk for m in managers]},
            )
        count += 1
    return count


def _overdue_text(item: HandoverItem) -> Wording:
    if item.owner is None:
        return worded(
            "“%(item)s”, owned by nobody on the team, was due %(date)s.",
            item=item.title_in_each_language,
            date=item.due_on,
        )
    return worded(
        "“%(item)s”, owned by %(person)s, was due %(date)s.",
        item=item.title_in_each_language,
        person=str(item.owner),
        date=item.due_on,
    )


def _managers_of(item: HandoverItem) -> list[User]:
    place = item.handover.case.team.active().filter(user=item.owner).first() if item.owner else None
    if place is None:
        return list(
            User.objects.filter(
                memberships__role=Role.MANAGER,
                memberships__is_active=True,
                memberships__agency__kind=OWNER_KINDS[item.owner_role],
                memberships__agency__case_places__case=item.handover.case,
            ).distinct()
        )
    return managers_of([place.agency])


def _team_agency(user: User, case: Case) -> Agency:
    return writer_agency(user, case, DataCategory.LEGAL, doing="work on the handover")


def _timeline(case: Case, text: Wording, by: User, agency: Agency | None) -> None:
    record_on_timeline(case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.LEGAL)


def escalate_overdue_requirement_dues(today: date) -> int:
    """Tell the managers of the case lead's agency and of police CT on the team, once per overdue due."""

    dues = NotificationDue.objects.filter(
        notified_on__isnull=True, escalated_at__isnull=True, due_on__lt=today
    )
    count = 0
    for due in dues.select_related("requirement__case"):
        case = due.requirement.case
        agencies = (
            case.team.active()
            .filter(Q(responsibility="lead") | Q(agency__kind=AgencyKind.POLICE_CT))
            .values("agency")
        )
        managers = managers_of(agencies)
        with transaction.atomic():
            notify(
                managers,
                worded("Overdue notification on %(case)s", case=case.reference),
                worded("%(due)s was due %(date)s.", due=label_of(due, "kind"), date=due.due_on),
                reverse("custody:licence", args=[case.pk]) + "#notifications",
                case_id=case.pk,
                category=DataCategory.LEGAL,
            )
            type(due).objects.filter(pk=due.pk).update(escalated_at=timezone.now())
            record(
                Operation.ALTERATION,
                due,
                by=None,
                case_id=case.pk,
                justification="overdue notification escalated",
                details={"managers": [m.pk for m in managers]},
            )
        count += 1
    return count
