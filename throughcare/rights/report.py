"""The answer to a subject access request: what is held about the person, why, who received it, how
long it is kept — and what is withheld, on which ground.

Only the data protection officer (an auditor) handles subject access; it is the one channel that reads
a person's data across all their cases, so every use of it is logged as a combination of data, and the
letter to the person as a disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Membership, Role, User
from throughcare.audit.log import record, record_consultation
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import EntryErased
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import midsentence, worded
from throughcare.people.models import Person
from throughcare.rights.models import AccessRestriction, Ground, SubjectAccessRequest
from throughcare.sharing.models import SharingAgreement

STATUTORY_PURPOSE = (
    "Managing your sentence, supervision and resettlement, and protecting the public",
    "Statutory duty",
)


def handles_subject_access(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.AUDITOR, is_active=True).exists()


def _require_handler(user: User) -> None:
    if not handles_subject_access(user):
        raise ActionRefused(gettext("Only the data protection officer handles subject access requests."))


@dataclass
class Recipient:
    who: str
    categories: list[str]
    basis: str
    purpose: str
    since: datetime
    until: datetime | None


@dataclass
class Report:
    request: SubjectAccessRequest
    for_person: bool
    cases: list[Case]
    entries: dict[str, list[TimelineEntry]]
    purposes: list[tuple[str, str]]
    recipients: list[Recipient]
    disclosures: list[AuditEvent]
    restrictions: list[AccessRestriction]
    retention: str = field(default_factory=lambda: settings.RETENTION_STATEMENT)

    @property
    def person(self) -> Person:
        return self.request.person

    @property
    def withheld(self) -> set[str]:
        return withheld_from_person(self.request, self.restrictions)

    @property
    def intelligence_by_default(self) -> bool:
        """Intelligence is left out because it always is, not by a restriction of this request."""
        restricted = any(r.category == DataCategory.INTELLIGENCE for r in self.restrictions)
        return not self.request.includes_intelligence and not restricted

    @property
    def told_grounds(self) -> list[str]:
        return sorted({r.get_ground_display() for r in self.restrictions if r.tell_person})


def open_request(person: Person, *, by: User, received_on: date, how_received: str) -> SubjectAccessRequest:
    _require_handler(by)
    if not how_received.strip():
        raise ActionRefused(gettext("Say how the request was received"), field="how_received")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            person=person, received_on=received_on, how_received=how_received.strip(), opened_by=by
        )
        record(Operation.COLLECTION, request, by=by, justification="subject access request received")
    return request


def restrict(
    request: SubjectAccessRequest, *, by: User, category: str, ground: str, reasons: str, tell_person: bool
) -> AccessRestriction:
    _require_handler(by)
    if category not in DataCategory.values:
        raise ActionRefused(gettext("Choose the category to withhold"), field="category")
    if ground not in Ground.values:
        raise ActionRefused(gettext("Choose the legal ground for withholding it"), field="ground")
    if not reasons.strip():
        raise ActionRefused(
            gettext("Document the reasons: the supervisory authority may ask for them"), field="reasons"
        )
    if request.restrictions.filter(category=category).exists():
        raise ActionRefused(gettext("This category is already withheld"), field="category")
    with transaction.atomic():
        restriction = AccessRestriction.objects.create(
            request=request,
            category=category,
            ground=ground,
            reasons=reasons.strip(),
            tell_person=tell_person,
            decided_by=by,
        )
        record(
            Operation.ALTERATION,
            restriction,
            by=by,
            justification=f"access restricted: {ground}",
            details={"request": request.pk, "category": category, "tell_person": tell_person},
        )
    return restriction


def withheld_from_person(request: SubjectAccessRequest, restrictions: list[AccessRestriction]) -> set[str]:
    """The categories left out of the person's copy: those restricted, and intelligence unless included."""
    withheld = {r.category for r in restrictions}
    if not request.includes_intelligence:
        withheld.add(DataCategory.INTELLIGENCE)
    return withheld


def include_intelligence(request: SubjectAccessRequest, *, by: User, reason: str) -> None:
    """The data protection officer decides that the person's copy includes intelligence: recorded."""
    _require_handler(by)
    if len(reason.strip()) < 10:
        raise ActionRefused(
            gettext(
                "Give the reason for including intelligence (at least a sentence): the supervisory authority "
                "may ask for it"
            ),
            field="reason",
        )
    if request.restrictions.filter(category=DataCategory.INTELLIGENCE).exists():
        raise ActionRefused(
            gettext("Intelligence is withheld by a restriction of this request"), field="reason"
        )
    with transaction.atomic():
        updated = SubjectAccessRequest.objects.filter(pk=request.pk, intelligence_included_at=None).update(
            intelligence_included_by=by,
            intelligence_included_at=timezone.now(),
            intelligence_included_reason=reason.strip(),
        )
        if updated != 1:
            raise ActionRefused(gettext("Intelligence is already included in this answer"))
        record(
            Operation.ALTERATION,
            request,
            by=by,
            justification=f"intelligence included in the person's copy: {reason.strip()}",
            details={"request": request.pk, "intelligence_included": True},
        )
    request.refresh_from_db()


def build(request: SubjectAccessRequest, *, by: User, for_person: bool) -> Report:
    """Assemble the report and log it: a combination for the officer, a disclosure for the person."""
    _require_handler(by)
    restrictions = list(request.restrictions.select_related("decided_by"))
    withheld = withheld_from_person(request, restrictions) if for_person else set()
    cases = list(Case.objects.filter(person=request.person).order_by("opened_at"))
    entries: dict[str, list[TimelineEntry]] = {}
    for entry in (
        TimelineEntry.objects.filter(case__in=cases)
        .exclude(category__in=withheld)
        .select_related("author", "author_agency", "case")
        .order_by("category", "occurred_at")
    ):
        entries.setdefault(entry.category, []).append(entry)
    report = Report(
        request,
        for_person,
        cases,
        entries,
        [STATUTORY_PURPOSE],
        _recipients(cases, withheld),
        _disclosures(cases) if not for_person else [],
        restrictions,
    )
    report.purposes += sorted({(r.purpose, r.basis) for r in report.recipients})
    _log(report, by)
    return report


def _recipients(cases: list[Case], withheld: set[str]) -> list[Recipient]:
    recipients = []
    agreements = (
        SharingAgreement.objects.filter(case__in=cases)
        .select_related("recipient_agency", "recipient_user")
        .prefetch_related("categories")
    )
    for agreement in agreements:
        categories = [c for c in agreement.category_list() if c not in withheld]
        if not categories:
            continue
        who = (
            f"{agreement.recipient_user}, {agreement.recipient_agency}"
            if agreement.recipient_user
            else str(agreement.recipient_agency)
        )
        labels = dict(DataCategory.choices)
        recipients.append(
            Recipient(
                who,
                [str(labels[c]) for c in categories],
                agreement.get_legal_basis_display(),
                agreement.purpose,
                agreement.valid_from,
                agreement.revoked_at or agreement.valid_until,
            )
        )
    return recipients


def _disclosures(cases: list[Case]) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_id__in=[c.pk for c in cases], operation=Operation.DISCLOSURE)
        .select_related("actor", "actor_agency")
        .order_by("id")
    )


def _log(report: Report, by: User) -> None:
    request = report.request
    details = {
        "request": request.pk,
        "cases": [c.pk for c in report.cases],
        "categories": sorted(report.entries),
        "withheld": sorted(report.withheld),
    }
    with transaction.atomic():
        if report.for_person:
            record(
                Operation.DISCLOSURE,
                request,
                by=by,
                justification="answer to a subject access request",
                recipients=[f"the person: {report.person}"],
                details=details,
            )
            SubjectAccessRequest.objects.filter(pk=request.pk).update(answered_at=timezone.now())
        else:
            record(
                Operation.COMBINATION,
                request,
                by=by,
                justification="subject access request: data combined across the person's cases",
                details=details,
            )


def record_erasure_review(entry: TimelineEntry, *, by: User) -> None:
    """The data protection officer reads an entry before erasing it: a consultation for the log."""
    _require_handler(by)
    record_consultation(
        by=by,
        agency=by.primary_agency(),
        object_type="cases.timelineentry",
        shown={entry.case_id: [entry.pk]},
        justification="subject access request: entry read before erasure",
        channel="erasure",
    )


def erase_entry(entry: TimelineEntry, *, by: User, reason: str) -> None:
    """Erase an entry that should not be held (wrongly recorded, or no longer lawful to keep).

    The erasure is logged, and the timeline says that something was erased, when and why — but neither
    keeps the content, its author or its wording.
    """
    _require_handler(by)
    if len(reason.strip()) < 10:
        raise ActionRefused(
            gettext("Give the reason for erasing this entry (at least a sentence)"), field="reason"
        )
    with transaction.atomic():
        case, category, recorded = entry.case, entry.category, entry.recorded_at
        deleted, _ = TimelineEntry.objects.filter(pk=entry.pk).delete()
        if deleted != 1:
            raise ActionRefused(gettext("This entry has already been erased"))
        label = dict(DataCategory.choices)[category]
        record_on_timeline(
            case,
            TimelineEntry.Kind.ERASURE,
            worded(
                "An entry (%(category)s, recorded %(date)s) was erased by the data protection "
                "officer: %(reason)s",
                category=midsentence(label),
                date=timezone.localdate(recorded),
                reason=reason.strip(),
            ),
            by,
            None,
            category=category,
        )
        emit(EntryErased(case_id=case.pk, by_id=by.pk, at=timezone.now(), entry_id=entry.pk))
        record(
            Operation.ERASURE,
            entry,
            by=by,
            case_id=case.pk,
            justification=f"erasure: {reason.strip()}",
            details={"category": category, "recorded_on": f"{recorded:%Y-%m-%d}"},
        )
