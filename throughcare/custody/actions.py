"""Verbs on sentences: record, change dates (with a reason), recompute responsibility, override it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import ResponsibilityChanged
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.custody.models import Offence, Responsibility, ResponsibilityOverride, Sentence
from throughcare.custody.responsibility import compute
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.events import emit
from throughcare.lib.wording import Wording, english, label_of, midsentence, worded
from throughcare.sharing.access import writer_agency

DATE_FIELDS = [
    "sentence_start",
    "sentence_end",
    "earliest_release",
    "parole_eligibility",
    "conditional_release",
    "licence_end",
    "recalled_on",
]
# Each field named inside a sentence ("The licence end cannot be before the sentence started").
LABELS = {
    "sentence_start": _("sentence start"),
    "sentence_end": _("sentence end"),
    "earliest_release": _("earliest release"),
    "parole_eligibility": _("parole eligibility"),
    "conditional_release": _("conditional release"),
    "licence_end": _("licence end"),
    "recalled_on": _("recall date"),
    "profile": _("jurisdiction"),
}


@dataclass(frozen=True)
class SentenceDetails:
    sentence_type: str
    sentence_start: date
    sentence_end: date | None = None
    earliest_release: date | None = None
    parole_eligibility: date | None = None
    conditional_release: date | None = None
    licence_end: date | None = None
    panel_level: int = 1
    high_profile: bool = False


def check_dates(values: dict[str, Any]) -> None:
    """Refuse dates that cannot be true together, naming the field to correct."""
    start = values.get("sentence_start")
    if start is None:
        raise ActionRefused(gettext("Enter the date the sentence started"), field="sentence_start")
    for name in [
        "sentence_end",
        "earliest_release",
        "parole_eligibility",
        "conditional_release",
        "licence_end",
    ]:
        day = values.get(name)
        if day is not None and day < start:
            raise ActionRefused(
                gettext("The %(value)s cannot be before the sentence started") % {"value": LABELS[name]},
                field=name,
            )
    release = values.get("conditional_release") or values.get("earliest_release")
    licence_end = values.get("licence_end")
    if release is not None and licence_end is not None and licence_end < release:
        raise ActionRefused(gettext("The licence cannot end before release"), field="licence_end")
    if not 1 <= int(values.get("panel_level", 1)) <= 3:
        raise ActionRefused(gettext("The panel level is 1, 2 or 3"), field="panel_level")


def record_sentence(
    case: Case,
    details: SentenceDetails,
    offences: list[Offence],
    *,
    by: User,
    profile: JurisdictionProfile | None = None,
) -> Sentence:
    agency = _writer(by, case)
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    check_dates(values)
    if not offences:
        raise ActionRefused(gettext("Record at least one offence"), field="offences")
    with transaction.atomic():
        sentence = Sentence.objects.create(
            case=case, profile=profile or JurisdictionProfile.default(), **values
        )
        for offence in offences:
            offence.case = case
            offence.save()
        _apply(sentence, timezone.localdate(), by=by, agency=agency, announce=False)
        text = worded(
            "Sentence recorded: %(sentence)s, from %(date)s. %(responsibility)s",
            sentence=midsentence(label_of(sentence, "sentence_type")),
            date=sentence.sentence_start,
            responsibility=sentence.responsibility_reason,
        )
        record_on_timeline(
            case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.LEGAL
        )
        record(
            Operation.COLLECTION,
            sentence,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="sentence recorded",
            details={"offences": len(offences)},
        )
    return sentence


def change_dates(
    sentence: Sentence, changes: dict[str, Any], *, by: User, reason: str, expected_version: int
) -> Sentence:
    """Change sentence dates with a reason; every change is on the timeline; responsibility is recomputed."""
    agency = _writer(by, sentence.case)
    if not reason.strip():
        raise ActionRefused(gettext("Give the reason for changing the dates"), field="reason")
    stored = Sentence.objects.get(pk=sentence.pk)
    changed = {name: value for name, value in changes.items() if getattr(stored, name) != value}
    check_dates({name: getattr(stored, name) for name in DATE_FIELDS + ["panel_level"]} | changed)
    if not changed:
        return stored
    with transaction.atomic():
        updated = Sentence.objects.filter(pk=sentence.pk, version=expected_version).update(
            **changed, version=F("version") + 1
        )
        if updated != 1:
            raise EditConflict(
                gettext(
                    "Someone else changed these dates after you opened the form. Nothing was saved: "
                    "review the current dates and make your change again."
                )
            )
        sentence.refresh_from_db()
        text = worded(
            "Dates changed: %(changes)s. Reason: %(reason)s",
            changes=[_change_text(name, getattr(stored, name), value) for name, value in changed.items()],
            reason=reason.strip(),
        )
        record_on_timeline(
            sentence.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.LEGAL
        )
        record(
            Operation.ALTERATION,
            sentence,
            by=by,
            agency=agency,
            case_id=sentence.case_id,
            justification=f"sentence dates changed: {reason.strip()}",
            details={"fields": sorted(changed)},
        )
        _apply(sentence, timezone.localdate(), by=by, agency=agency)
    return sentence


def _change_text(name: str, old: Any, new: Any) -> Wording:
    def show(value: Any) -> Any:
        if value is None:
            return worded("none")
        return value if isinstance(value, date) else str(value)

    return worded("%(field)s %(old)s → %(new)s", field=LABELS.get(name, name), old=show(old), new=show(new))


def recompute(sentence: Sentence, today: date, *, by: User | None = None) -> bool:
    """Recompute responsibility as of `today`; a change goes on the timeline. Returns whether it changed."""
    with transaction.atomic():
        return _apply(sentence, today, by=by or system_user(), agency=None)


def _apply(
    sentence: Sentence, today: date, *, by: User, agency: Agency | None, announce: bool = True
) -> bool:
    override = sentence.overrides.filter(lifted_at__isnull=True).select_related("decided_by").first()
    outcome = compute(sentence, today, terrorism=sentence.is_terrorism, override=override)
    before = (sentence.responsibility, sentence.handover_starts_on)
    after = (outcome.responsibility, outcome.handover_starts_on)
    Sentence.objects.filter(pk=sentence.pk).update(
        responsibility=outcome.responsibility,
        handover_starts_on=outcome.handover_starts_on,
        responsibility_reason=outcome.reason,
        computed_on=today,
    )
    sentence.responsibility, sentence.handover_starts_on = after
    sentence.responsibility_reason, sentence.computed_on = outcome.reason, today
    if before == after or not announce:
        return before != after
    text = worded(
        "Responsibility: %(responsibility)s. %(reason)s",
        responsibility=Responsibility(outcome.responsibility).label,
        reason=outcome.reason,
    )
    record_on_timeline(
        sentence.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.LEGAL
    )
    record(
        Operation.ALTERATION,
        sentence,
        by=by,
        agency=agency,
        case_id=sentence.case_id,
        justification="responsibility recomputed",
        details={"responsibility": outcome.responsibility, "handover": str(outcome.handover_starts_on)},
    )
    emit(
        ResponsibilityChanged(
            case_id=sentence.case_id,
            by_id=by.pk,
            at=timezone.now(),
            responsible=outcome.responsibility,
            reason=english(outcome.reason),  # events are read by machines: in the source language
        )
    )
    return True


def override_responsibility(sentence: Sentence, *, by: User, responsibility: str, reason: str) -> None:
    agency = _manager_or_lead(by, sentence.case)
    if responsibility not in Responsibility.values:
        raise ActionRefused(gettext("Choose who is responsible"), field="responsibility")
    if len(reason.strip()) < 10:
        raise ActionRefused(
            gettext("Give the reason for overriding the rules (at least a sentence)"), field="reason"
        )
    with transaction.atomic():
        sentence.overrides.filter(lifted_at__isnull=True).update(lifted_at=timezone.now())
        override = ResponsibilityOverride.objects.create(
            sentence=sentence, responsibility=responsibility, reason=reason.strip(), decided_by=by
        )
        record(
            Operation.ALTERATION,
            override,
            by=by,
            agency=agency,
            case_id=sentence.case_id,
            justification=f"responsibility overridden: {reason.strip()}",
            details={"to": responsibility},
        )
        _apply(sentence, timezone.localdate(), by=by, agency=agency)


def lift_override(sentence: Sentence, *, by: User) -> None:
    agency = _manager_or_lead(by, sentence.case)
    with transaction.atomic():
        lifted = sentence.overrides.filter(lifted_at__isnull=True).update(lifted_at=timezone.now())
        if not lifted:
            raise ActionRefused(gettext("There is no override to lift"))
        record(
            Operation.ALTERATION,
            sentence,
            by=by,
            agency=agency,
            case_id=sentence.case_id,
            justification="responsibility override lifted",
            details={"override": "lifted"},
        )
        _apply(sentence, timezone.localdate(), by=by, agency=agency)


def _writer(user: User, case: Case) -> Agency:
    return writer_agency(user, case, DataCategory.LEGAL, doing="record or change the sentence")


def _manager_or_lead(user: User, case: Case) -> Agency:
    lead = case.team.lead()
    if lead is not None and lead.user_id == user.pk:
        return lead.agency
    managed = (
        Membership.objects.filter(
            user=user,
            role=Role.MANAGER,
            is_active=True,
            agency__case_places__case=case,
            agency__case_places__ended_at__isnull=True,
        )
        .select_related("agency")
        .first()
    )
    if managed is None:
        raise ActionRefused(
            gettext("Only the case lead or a manager of an agency on the team can override responsibility.")
        )
    return managed.agency


def system_user() -> User:
    """The author of what the software records on its own (daily recomputation); it cannot sign in."""
    user, created = User.objects.get_or_create(
        username="throughcare.system",
        defaults={"first_name": "Throughcare", "last_name": "(automatic)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
