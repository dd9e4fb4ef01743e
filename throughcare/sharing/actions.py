"""Verbs of need-to-know sharing. Each validates, writes, audits and notifies in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, AgencyKind, Membership, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import ConsentWithdrawn, IntelligenceFlagRaised
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import Wording, label_of, midsentence, shown, worded
from throughcare.notifications.send import auditors, managers_of, notify
from throughcare.sharing.access import Capability, has_capability, viewer_for, visible_cases_q, writer_agency
from throughcare.sharing.models import (
    AgreementCategory,
    BreakGlass,
    Consent,
    ConsentCategory,
    IntelligenceFlag,
    LegalBasis,
    Mode,
    Restriction,
    SharingAgreement,
    SharingRule,
)

LABELS = dict(DataCategory.choices)
# A category named inside a sentence: its label without the explanation in brackets.
SHORT = {**LABELS, DataCategory.LEGAL: _("Legal")}


def may_manage_sharing(user: User, case: Case) -> Agency | None:
    """The lead of the case, or a manager of the lead's agency, decides what is shared. Returns the
    agency they act for, or None if they may not."""
    lead = case.team.lead()
    if lead is None or not has_capability(user, Capability.MANAGE_SHARING, case):
        return None
    return lead.agency


def _sharer(user: User, case: Case) -> Agency:
    agency = may_manage_sharing(user, case)
    if agency is None:
        raise ActionRefused(
            gettext("Only the case lead or a manager of the lead's agency can change what is shared.")
        )
    return agency


def modes_for(kind: str) -> dict[str, str]:
    return dict(SharingRule.objects.filter(agency_kind=kind).values_list("category", "mode"))


def consented_categories(case: Case, agency: Agency, at: datetime | None = None) -> set[str]:
    consents = Consent.objects.in_force(at).filter(person=case.person, recipient_agency=agency)
    return set(ConsentCategory.objects.filter(consent__in=consents).values_list("category", flat=True))


@dataclass(frozen=True)
class AgreementRequest:
    recipient_agency: Agency
    recipient_user: User | None
    categories: list[str]
    purpose: str
    legal_basis: str
    valid_from: datetime
    valid_until: datetime | None
    override_reason: str = ""


def grant_agreement(case: Case, request: AgreementRequest, *, by: User) -> SharingAgreement:
    agency = _sharer(by, case)
    _check_agreement(case, request, by)
    with transaction.atomic():
        agreement = SharingAgreement.objects.create(
            case=case,
            recipient_agency=request.recipient_agency,
            recipient_user=request.recipient_user,
            purpose=request.purpose.strip(),
            legal_basis=request.legal_basis,
            valid_from=request.valid_from,
            valid_until=request.valid_until,
            granted_by=by,
            consent_override_reason=request.override_reason.strip(),
            consent_override_by=by if request.override_reason.strip() else None,
        )
        AgreementCategory.objects.bulk_create(
            AgreementCategory(agreement=agreement, category=c) for c in sorted(set(request.categories))
        )
        recipient = str(request.recipient_user or request.recipient_agency)
        names = _names(set(request.categories))
        shared = {
            "recipient": str(recipient),
            "categories": names,
            "purpose": agreement.purpose,
            "basis": label_of(agreement, "legal_basis"),
        }
        text = worded(
            "Shared with %(recipient)s: %(categories)s. Purpose: %(purpose)s (%(basis)s).", **shared
        )
        if agreement.consent_override_reason:
            text = worded(
                "Shared with %(recipient)s: %(categories)s. Purpose: %(purpose)s (%(basis)s). "
                "Shared without consent — override by %(person)s: %(override)s",
                person=str(by),
                override=agreement.consent_override_reason,
                **shared,
            )
        # A record that intelligence was shared is itself intelligence: only cleared users see it.
        shares_intelligence = DataCategory.INTELLIGENCE in request.categories
        _entry(
            case, text, by, agency, DataCategory.INTELLIGENCE if shares_intelligence else DataCategory.GENERAL
        )
        record(
            Operation.DISCLOSURE,
            agreement,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification=f"sharing agreement: {agreement.purpose}",
            recipients=[recipient],
            details={
                "categories": sorted(set(request.categories)),
                "legal_basis": request.legal_basis,
                "override": bool(agreement.consent_override_reason),
            },
        )
        if request.recipient_user is not None:
            _notify(
                [request.recipient_user],
                worded("Case %(case)s was shared with you", case=case.reference),
                worded(
                    "%(person)s shared %(categories)s for: %(purpose)s.",
                    person=str(by),
                    categories=names,
                    purpose=agreement.purpose,
                ),
                case,
            )
    return agreement


def _check_agreement(case: Case, request: AgreementRequest, by: User) -> None:
    if not request.categories:
        raise ActionRefused(gettext("Choose at least one category to share"), field="categories")
    if not request.purpose.strip():
        raise ActionRefused(gettext("Enter the purpose of sharing"), field="purpose")
    if request.valid_until is not None and request.valid_until <= request.valid_from:
        raise ActionRefused(gettext("The end of the agreement must be after its start"), field="valid_until")
    if (
        request.recipient_user is not None
        and not Membership.objects.filter(
            user=request.recipient_user, agency=request.recipient_agency, is_active=True
        ).exists()
    ):
        raise ActionRefused(
            gettext("%(recipient_user)s does not work for %(recipient_agency)s")
            % {"recipient_user": request.recipient_user, "recipient_agency": request.recipient_agency},
            field="recipient_user",
        )
    _check_holdable(request)
    _check_consent(case, request, by)


def _check_holdable(request: AgreementRequest) -> None:
    agency = request.recipient_agency
    modes = modes_for(agency.kind)
    for category in request.categories:
        if category == DataCategory.INTELLIGENCE and not _cleared_recipient(request):
            raise ActionRefused(
                gettext(
                    "%(agency)s cannot hold intelligence: only police counter-terrorism and"
                    " cleared officers may. Share the fact that intelligence exists through"
                    " the flag instead."
                )
                % {"agency": agency},
                field="categories",
            )
        if category != DataCategory.INTELLIGENCE and modes.get(category, Mode.NEVER) == Mode.NEVER:
            raise ActionRefused(
                gettext("%(agency)s (%(kind)s) can never hold %(lower)s data under the sharing rules")
                % {"agency": agency, "kind": agency.get_kind_display(), "lower": LABELS[category].lower()},
                field="categories",
            )


def _cleared_recipient(request: AgreementRequest) -> bool:
    if request.recipient_agency.kind == AgencyKind.POLICE_CT:
        return True
    return (
        request.recipient_user is not None
        and Membership.objects.filter(
            user=request.recipient_user,
            agency=request.recipient_agency,
            intelligence_cleared=True,
            is_active=True,
        ).exists()
    )


def _check_consent(case: Case, request: AgreementRequest, by: User) -> None:
    """A consent-based partner receives consent-only categories only on consent, unless overridden."""
    modes = modes_for(request.recipient_agency.kind)
    needing = {c for c in request.categories if modes.get(c) == Mode.CONSENT}
    if request.legal_basis == LegalBasis.CONSENT:
        needing = set(request.categories)
    if not needing:
        return
    if request.legal_basis != LegalBasis.CONSENT and not request.override_reason.strip():
        raise ActionRefused(
            gettext(
                "%(recipient_agency)s receives %(_names)s only with the person's "
                "consent: choose 'Consent of the person' as the legal basis, or "
                "override with a reason"
            )
            % {"recipient_agency": request.recipient_agency, "_names": shown(_names(needing))},
            field="legal_basis",
        )
    missing = needing - consented_categories(case, request.recipient_agency, request.valid_from)
    if missing and not request.override_reason.strip():
        raise ActionRefused(
            gettext(
                "There is no consent in force for %(recipient_agency)s to receive "
                "%(_names)s. Record the person's consent first, or override with a "
                "reason."
            )
            % {"recipient_agency": request.recipient_agency, "_names": shown(_names(missing))},
            field="categories",
        )
    if request.override_reason.strip() and not _may_override(by):
        raise ActionRefused(
            gettext("Only a manager with the consent-override permission can share without consent"),
            field="override_reason",
        )


def _may_override(user: User) -> bool:
    return has_capability(user, Capability.OVERRIDE_CONSENT)


def _names(categories: set[str]) -> list[Any]:
    return [midsentence(SHORT[c]) for c in sorted(categories)]


def revoke_agreement(agreement: SharingAgreement, *, by: User, reason: str) -> None:
    agency = _sharer(by, agreement.case)
    if not reason.strip():
        raise ActionRefused(gettext("Give the reason for ending the agreement"), field="reason")
    if agreement.revoked_at is not None:
        raise ActionRefused(gettext("This agreement has already been ended"))
    with transaction.atomic():
        now = timezone.now()
        updated = SharingAgreement.objects.filter(pk=agreement.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revocation_reason=reason.strip()
        )
        if updated != 1:
            raise ActionRefused(gettext("This agreement has already been ended"))
        recipient = str(agreement.recipient_user or agreement.recipient_agency)
        secret = DataCategory.INTELLIGENCE in agreement.category_list()
        _entry(
            agreement.case,
            worded(
                "Sharing with %(recipient)s ended: %(reason)s", recipient=recipient, reason=reason.strip()
            ),
            by,
            agency,
            DataCategory.INTELLIGENCE if secret else DataCategory.GENERAL,
        )
        record(
            Operation.ALTERATION,
            agreement,
            by=by,
            agency=agency,
            case_id=agreement.case_id,
            justification="sharing agreement ended",
            recipients=[recipient],
            details={"revoked": True},
        )


@dataclass(frozen=True)
class ConsentRequest:
    recipient_agency: Agency
    categories: list[str]
    purpose: str
    evidence: str
    given_on: date
    expires_on: date | None


def record_consent(case: Case, request: ConsentRequest, *, by: User) -> Consent:
    agency = _team_writer(by, case)
    _check_consent_request(request)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=case.person,
            recipient_agency=request.recipient_agency,
            purpose=request.purpose.strip(),
            evidence=request.evidence.strip(),
            given_on=request.given_on,
            expires_on=request.expires_on,
            recorded_by=by,
        )
        ConsentCategory.objects.bulk_create(
            ConsentCategory(consent=consent, category=c) for c in sorted(set(request.categories))
        )
        consented = {
            "person": str(case.person),
            "categories": _names(set(request.categories)),
            "agency": str(request.recipient_agency),
            "purpose": consent.purpose,
            "evidence": consent.evidence,
        }
        _entry(
            case,
            worded(
                "%(person)s consented to share %(categories)s with %(agency)s for: %(purpose)s until "
                "%(date)s. "
                "Evidence: %(evidence)s.",
                date=request.expires_on,
                **consented,
            )
            if request.expires_on
            else worded(
                "%(person)s consented to share %(categories)s with %(agency)s for: %(purpose)s. "
                "Evidence: %(evidence)s.",
                **consented,
            ),
            by,
            agency,
        )
        record(
            Operation.COLLECTION,
            consent,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="consent recorded",
            details={"categories": sorted(set(request.categories)), "recipient": request.recipient_agency.pk},
        )
    return consent


def _check_consent_request(request: ConsentRequest) -> None:
    if not request.categories:
        raise ActionRefused(
            gettext("Choose at least one category the person agreed to share"), field="categories"
        )
    if DataCategory.INTELLIGENCE in request.categories:
        raise ActionRefused(gettext("Intelligence is never shared on consent"), field="categories")
    if request.expires_on is not None and request.expires_on < request.given_on:
        raise ActionRefused(gettext("The consent cannot end before it was given"), field="expires_on")
    if request.given_on > timezone.localdate():
        raise ActionRefused(gettext("The date consent was given cannot be in the future"), field="given_on")
    if not request.evidence.strip():
        raise ActionRefused(gettext("Say what shows the consent, e.g. a signed form"), field="evidence")
    if not request.purpose.strip():
        raise ActionRefused(gettext("Enter the purpose the person agreed to"), field="purpose")


def withdraw_consent(consent: Consent, case: Case, *, by: User, note: str) -> None:
    """Withdrawal takes effect at once: the gate reads consent at every request."""
    agency = _team_writer(by, case)
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_note=note.strip()
        )
        if updated != 1:
            raise ActionRefused(gettext("This consent has already been withdrawn"))
        _entry(
            case,
            worded(
                "%(person)s withdrew consent to share with %(agency)s. %(note)s",
                person=str(case.person),
                agency=str(consent.recipient_agency),
                note=note.strip(),
            ),
            by,
            agency,
        )
        record(
            Operation.ALTERATION,
            consent,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="consent withdrawn",
            details={"withdrawn": True},
        )
        emit(
            ConsentWithdrawn(
                case_id=case.pk,
                by_id=by.pk,
                at=timezone.now(),
                consent_id=consent.pk,
                agency_id=consent.recipient_agency_id,
            )
        )
        _notify(
            _agency_workers_on(case, consent.recipient_agency),
            worded("Consent withdrawn on %(case)s", case=case.reference),
            worded(
                "The person withdrew consent to share with %(agency)s. What relied on it is no "
                "longer shown to you.",
                agency=str(consent.recipient_agency),
            ),
            case,
        )


def _team_writer(user: User, case: Case) -> Agency:
    return writer_agency(user, case, None, doing="record consent")


def add_restriction(case: Case, *, by: User, user: User, kind: str, message: str, reason: str) -> Restriction:
    agency = _sharer(by, case)
    if not reason.strip():
        raise ActionRefused(gettext("Give the reason for the restriction"), field="reason")
    if not message.strip():
        raise ActionRefused(gettext("Enter the message shown to people kept out"), field="message")
    if kind == Restriction.Kind.NEVER and user == by:
        raise ActionRefused(gettext("You cannot exclude yourself"), field="user")
    active = case.restrictions.filter(removed_at__isnull=True)
    if kind == Restriction.Kind.ONLY and user != by and not active.filter(kind=kind, user=by).exists():
        raise ActionRefused(
            gettext("Put yourself on the 'only these users' list first, or you would lose access too"),
            field="user",
        )
    if active.filter(user=user).exists():
        raise ActionRefused(
            gettext("%(user)s is already on a restriction list of this case") % {"user": user}, field="user"
        )
    with transaction.atomic():
        restriction = Restriction.objects.create(
            case=case, user=user, kind=kind, message=message.strip(), reason=reason.strip(), created_by=by
        )
        record(
            Operation.ALTERATION,
            restriction,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification=f"restriction: {reason.strip()}",
            details={"kind": kind, "user": user.pk},
        )
    return restriction


def remove_restriction(restriction: Restriction, *, by: User) -> None:
    agency = _sharer(by, restriction.case)
    with transaction.atomic():
        Restriction.objects.filter(pk=restriction.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=by
        )
        record(
            Operation.ALTERATION,
            restriction,
            by=by,
            agency=agency,
            case_id=restriction.case_id,
            justification="restriction removed",
            details={"removed": True},
        )


def open_break_glass(case: Case, *, by: User, reason: str) -> BreakGlass:
    """Emergency access for a permitted user; the case lead and the user's manager hear of it at once."""
    membership = (
        Membership.objects.filter(user=by, is_active=True, may_break_glass=True)
        .select_related("agency")
        .first()
    )  # the agency the emergency access is opened for
    if membership is None or not has_capability(by, Capability.BREAK_GLASS):
        raise ActionRefused(
            gettext("You do not have the break-glass permission. Ask the case lead to share the case.")
        )
    if len(reason.strip()) < 10:
        raise ActionRefused(
            gettext("Explain why you need emergency access (at least a sentence)"), field="reason"
        )
    viewer = viewer_for(by)
    if Case.objects.filter(pk=case.pk).filter(visible_cases_q(viewer)).exists():
        raise ActionRefused(gettext("You can already open this case"), field="reference")
    if (
        case.restrictions.filter(removed_at__isnull=True)
        .filter(Q(kind=Restriction.Kind.NEVER, user=by) | Q(kind=Restriction.Kind.ONLY))
        .exists()
    ):
        raise ActionRefused(
            gettext("This case is restricted; break-glass cannot open it. Contact the case lead."),
            field="reference",
        )
    with transaction.atomic():
        access = BreakGlass.objects.create(
            case=case,
            user=by,
            agency=membership.agency,
            reason=reason.strip(),
            expires_at=timezone.now() + timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        record(
            Operation.CONSULTATION,
            access,
            by=by,
            agency=membership.agency,
            case_id=case.pk,
            justification=f"break-glass: {access.reason}",
            details={"break_glass": access.pk, "hours": settings.BREAK_GLASS_HOURS},
        )
        _notify_break_glass(access, membership.agency)
    return access


def _notify_break_glass(access: BreakGlass, agency: Agency) -> None:
    leads = [m.user for m in access.case.team.active().filter(responsibility="lead").select_related("user")]
    managers = [m for m in managers_of([agency]) if m.pk != access.user_id]
    reviewers = auditors()
    who = {"case": access.case.reference, "person": str(access.user)}
    subject = worded("Break-glass on %(case)s by %(person)s", **who)
    body = worded(
        "%(person)s (%(agency)s) opened the case in an emergency: %(reason)s",
        person=str(access.user),
        agency=str(agency),
        reason=access.reason,
    )
    _notify(leads + managers, subject, body, access.case)
    review = worded("Break-glass on %(case)s by %(person)s — awaits your review", **who)
    _notify(reviewers, review, body, None, url=reverse("sharing:break_glass_review"))


def review_break_glass(access: BreakGlass, *, by: User, outcome: str, note: str) -> None:
    if not Membership.objects.filter(user=by, role=Role.AUDITOR, is_active=True).exists():
        raise ActionRefused(
            gettext("Only the data protection officer or an auditor reviews break-glass access.")
        )
    if outcome not in BreakGlass.Outcome.values:
        raise ActionRefused(gettext("Choose whether the access was justified"), field="outcome")
    if outcome == BreakGlass.Outcome.NOT_JUSTIFIED and not note.strip():
        raise ActionRefused(gettext("Say why the access was not justified"), field="note")
    with transaction.atomic():
        updated = BreakGlass.objects.filter(pk=access.pk, reviewed_at__isnull=True).update(
            reviewed_by=by, reviewed_at=timezone.now(), outcome=outcome, review_note=note.strip()
        )
        if updated != 1:
            raise ActionRefused(gettext("This break-glass access has already been reviewed"))
        record(
            Operation.ALTERATION,
            access,
            by=by,
            case_id=access.case_id,
            justification="break-glass review",
            details={"outcome": outcome},
        )


def flag_intelligence(
    case: Case, *, by: User, owner: User, contact_note: str = "", since: datetime | None = None
) -> IntelligenceFlag:
    """Tell the team that intelligence exists and whom to contact; the content stays with cleared users."""
    if not viewer_for(by).cleared:
        raise ActionRefused(gettext("Only cleared officers can flag intelligence."))
    if not viewer_for(owner).cleared:
        raise ActionRefused(
            gettext("%(owner)s is not cleared for intelligence and cannot own the flag") % {"owner": owner},
            field="owner",
        )
    with transaction.atomic():
        flag = IntelligenceFlag.objects.filter(case=case, closed_at__isnull=True).first()
        if flag is None:
            flag = IntelligenceFlag.objects.create(
                case=case,
                owner=owner,
                contact_note=contact_note.strip(),
                created_by=by,
                since=since or timezone.now(),
            )
            emit(IntelligenceFlagRaised(case_id=case.pk, by_id=by.pk, at=timezone.now(), owner_id=owner.pk))
            _notify(
                _team_users(case, exclude=by),
                worded("Intelligence exists on %(case)s", case=case.reference),
                worded(
                    "Contact %(person)s before decisions on this case. The content is held by "
                    "cleared officers.",
                    person=str(owner),
                ),
                case,
            )
        else:
            IntelligenceFlag.objects.filter(pk=flag.pk).update(owner=owner, contact_note=contact_note.strip())
            flag.refresh_from_db()
        record(
            Operation.COLLECTION,
            flag,
            by=by,
            case_id=case.pk,
            justification="intelligence flag",
            details={"owner": owner.pk},
        )
    return flag


def _entry(
    case: Case, text: Wording | str, by: User, agency: Agency | None, category: str = DataCategory.GENERAL
) -> TimelineEntry:
    return record_on_timeline(case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=category)


def _team_users(case: Case, exclude: User | None = None) -> list[User]:
    users = User.objects.filter(case_places__case=case, case_places__ended_at__isnull=True).distinct()
    return list(users.exclude(pk=exclude.pk) if exclude else users)


def _agency_workers_on(case: Case, agency: Agency) -> list[User]:
    return list(
        User.objects.filter(
            case_places__case=case, case_places__agency=agency, case_places__ended_at__isnull=True
        ).distinct()
    )


def _notify(
    users: list[User], subject: Wording | str, body: Wording | str, case: Case | None, url: str = ""
) -> None:
    notify(users, subject, body, url or (reverse("cases:detail", args=[case.pk]) if case else ""))
