"""How long rehabilitation lasts and to what end: criteria reviewed with evidence and signed off by a
named person; closing the case with a reason, after the criteria are reviewed and the agencies sign off
(more than one for a terrorism case); a light follow-up after exit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import change_phase, record_on_timeline
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case, DataCategory, Nature, Phase, TimelineEntry
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.dates import add_months
from throughcare.lib.errors import ActionRefused
from throughcare.lib.text import ascii_int
from throughcare.lib.wording import in_each_language, label_of, midsentence, worded
from throughcare.notifications.send import notify
from throughcare.rehab.defaults import ensure_default_criteria
from throughcare.rehab.models import (
    Closure,
    ClosureReason,
    ClosureSignOff,
    CriteriaSet,
    Criterion,
    CriterionReview,
    FollowUp,
)
from throughcare.sharing.access import Standing, require_writer

DONE = {CriterionReview.State.MET, CriterionReview.State.NOT_APPLICABLE}


def _writer(by: User, case: Case, doing: str) -> Standing:
    return require_writer(by, case, DataCategory.INTERVENTIONS, doing=doing)


def criteria_for(case: Case) -> list[Criterion]:
    """The criteria that apply to the case: the default set (loaded if it is missing)."""
    criteria_set = CriteriaSet.objects.filter(is_default=True).first()
    if criteria_set is None:
        ensure_default_criteria(CriteriaSet, Criterion)
        criteria_set = CriteriaSet.objects.get(is_default=True)
    return list(criteria_set.criteria.all())


def current_reviews(case: Case) -> dict[int, CriterionReview]:
    """The latest review of each criterion on the case."""
    latest: dict[int, CriterionReview] = {}
    for review in case.criteria_reviews.select_related("signed_off_by").order_by("signed_off_at", "pk"):
        latest[review.criterion_id] = review
    return latest


@dataclass(frozen=True)
class Progress:
    criteria: list[tuple[Criterion, CriterionReview | None]]
    met: int
    mandatory_open: list[Criterion]
    unreviewed: list[Criterion]
    opened_on: date
    days: int

    @property
    def duration(self) -> str:
        years, rest = divmod(self.days, 365)
        months = rest // 30
        parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + [
            f"{months} month{'s' if months != 1 else ''}"
        ]
        return " ".join(parts)


def progress(case: Case, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    criteria = criteria_for(case)
    reviews = current_reviews(case)
    pairs = [(c, reviews.get(c.pk)) for c in criteria]
    opened = timezone.localdate(case.opened_at)
    return Progress(
        criteria=pairs,
        met=sum(1 for _, r in pairs if r and r.state in DONE),
        mandatory_open=[c for c, r in pairs if c.mandatory and not (r and r.state in DONE)],
        unreviewed=[c for c, r in pairs if r is None],
        opened_on=opened,
        days=(today - opened).days,
    )


def review_criterion(
    case: Case, criterion: Criterion, *, by: User, state: str, evidence: str
) -> CriterionReview:
    """Record where a criterion stands, with evidence, signed off by the person recording it."""
    standing = _writer(by, case, "review the criteria")
    if state not in CriterionReview.State.values:
        raise ActionRefused(
            gettext("Say where “%(title)s” stands") % {"title": criterion.translated("title")},
            field=f"state-{criterion.pk}",
        )
    if len(evidence.strip()) < 10:
        raise ActionRefused(
            gettext("Give the evidence for “%(title)s”") % {"title": criterion.translated("title")},
            field=f"evidence-{criterion.pk}",
        )
    with transaction.atomic():
        review = CriterionReview.objects.create(
            case=case, criterion=criterion, state=state, evidence=evidence.strip(), signed_off_by=by
        )
        entry = record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "Criterion “%(criterion)s”: %(state)s, signed off by %(person)s. Evidence: %(evidence)s",
                criterion=in_each_language(lambda code: criterion.translated("title", code)),
                state=midsentence(label_of(review, "state")),
                person=str(by),
                evidence=review.evidence,
            ),
            by,
            standing.agency,
            category=DataCategory.INTERVENTIONS,
        )
        TimelineEntry.objects.filter(pk=entry.pk).update(nature=Nature.ASSESSMENT)
        record(
            Operation.COLLECTION,
            review,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            details={"criterion": criterion.code, "state": state},
        )
    return review


def is_terrorism_case(case: Case) -> bool:
    return sentence_facts().is_terrorism_case(case)


def sign_offs_needed(case: Case) -> int:

    profile = JurisdictionProfile.for_case(case)
    return profile.closure_agencies_terrorism if is_terrorism_case(case) else profile.closure_agencies_other


def open_closure(case: Case, standing: Standing | None = None) -> Closure | None:
    """The proposal to close the case now open; read for a page, through the reader's `standing` (a
    proposal is the case's general record)."""
    closures = case.closures.all() if standing is None else Closure.objects.on_case_as(case, standing)
    return closures.filter(closed_at__isnull=True, cancelled_at__isnull=True).first()


def last_closed(case: Case, standing: Standing) -> Closure | None:
    """The closure that closed the case, if it is closed, as the reader's standing shows it."""
    return Closure.objects.on_case_as(case, standing).filter(closed_at__isnull=False).first()


def propose(case: Case, *, by: User, reason: str, note: str = "", override_reason: str = "") -> Closure:
    """Propose closing: every criterion reviewed, mandatory ones met or an override reason; the
    proposer signs off for their agency and the other agencies on the team are asked to."""
    standing = _writer(by, case, "propose closing the case")
    if case.phase == Phase.CLOSED:
        raise ActionRefused(gettext("The case is closed already."))
    if open_closure(case):
        raise ActionRefused(gettext("Closing this case is already proposed: sign it off or cancel it."))
    if reason not in ClosureReason.values:
        raise ActionRefused(gettext("Choose the reason for closing"), field="reason")
    state = progress(case)
    if state.unreviewed:
        names = ", ".join(c.title for c in state.unreviewed)
        raise ActionRefused(
            gettext("Review every criterion with evidence first. Not reviewed: %(names)s.")
            % {"names": names},
            field="criteria",
        )
    if state.mandatory_open and not override_reason.strip():
        names = ", ".join(c.title for c in state.mandatory_open)
        raise ActionRefused(
            gettext("Mandatory criteria are not met: %(names)s. Give the reason for closing all the same.")
            % {"names": names},
            field="override_reason",
        )
    with transaction.atomic():
        closure = Closure.objects.create(
            case=case,
            reason=reason,
            note=note.strip(),
            override_reason=override_reason.strip() if state.mandatory_open else "",
            proposed_by=by,
        )
        assert standing.agency is not None
        ClosureSignOff.objects.create(closure=closure, user=by, agency=standing.agency, note="Proposed")
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "Closing proposed by %(person)s: %(reason)s. Mandatory criteria not met — %(override)s",
                person=str(by),
                reason=midsentence(label_of(closure, "reason")),
                override=closure.override_reason,
            )
            if closure.override_reason
            else worded(
                "Closing proposed by %(person)s: %(reason)s.",
                person=str(by),
                reason=midsentence(label_of(closure, "reason")),
            ),
            by,
            standing.agency,
            category=DataCategory.INTERVENTIONS,
        )
        record(
            Operation.COLLECTION,
            closure,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            details={"reason": reason, "override": bool(closure.override_reason)},
        )
        others = [p.user for p in case.team.active().select_related("user") if p.user_id != by.pk]
        notify(
            others,
            worded("Closing %(case)s is proposed: your sign-off is asked", case=case.reference),
            worded(
                "%(person)s proposes closing: %(reason)s.",
                person=str(by),
                reason=midsentence(label_of(closure, "reason")),
            ),
            reverse("rehab:criteria", args=[case.pk]),
            case_id=case.pk,
        )
    return closure


def sign_off(closure: Closure, *, by: User, note: str = "") -> ClosureSignOff:
    place = closure.case.team.active().filter(user=by).select_related("agency").first()
    if place is None:
        raise ActionRefused(gettext("Only members of the case team can sign off closing it."))
    if closure.closed_at or closure.cancelled_at:
        raise ActionRefused(gettext("This proposal to close is no longer open."))
    try:
        with transaction.atomic():
            signed = ClosureSignOff.objects.create(
                closure=closure, user=by, agency=place.agency, note=note.strip()
            )
            record_on_timeline(
                closure.case,
                TimelineEntry.Kind.RECORD_CHANGE,
                worded(
                    "Closing signed off by %(person)s for %(agency)s. %(note)s",
                    person=str(by),
                    agency=str(place.agency),
                    note=signed.note,
                ),
                by,
                place.agency,
                category=DataCategory.INTERVENTIONS,
            )
            record(
                Operation.COLLECTION,
                signed,
                by=by,
                agency=place.agency,
                case_id=closure.case_id,
                justification="case team: closure sign-off",
            )
    except IntegrityError:
        raise ActionRefused(
            gettext("%(agency)s has signed off already.") % {"agency": place.agency}
        ) from None
    return signed


def close(closure: Closure, *, by: User) -> None:
    """Close the case once enough agencies have signed off; schedule the follow-ups."""
    case = closure.case
    _writer(by, case, "close the case")
    needed = sign_offs_needed(case)
    agencies = list(closure.sign_offs.values_list("agency__name", flat=True))
    if len(agencies) < needed:
        values = {"needed": needed, "join": ", ".join(agencies)}
        if is_terrorism_case(case):
            raise ActionRefused(
                gettext(
                    "Closing this terrorism case needs sign-off by %(needed)s agencies; so far: %(join)s."
                )
                % values
            )
        raise ActionRefused(
            gettext("Closing this case needs sign-off by %(needed)s agencies; so far: %(join)s.") % values
        )
    with transaction.atomic():
        change_phase(
            case,
            by=by,
            to_phase=Phase.CLOSED,
            expected_version=case.version,
            reason=worded(
                "%(reason)s (signed off by %(agencies)s)",
                reason=label_of(closure, "reason"),
                agencies=agencies,
            ),
            closing=True,
        )
        Closure.objects.filter(pk=closure.pk).update(closed_at=timezone.now())
        _follow_ups(case, by)


def _follow_ups(case: Case, by: User) -> None:

    typed = JurisdictionProfile.for_case(case).follow_up_months.split(",")
    months = [m for m in (ascii_int(t, max_digits=3) for t in typed) if m is not None]
    place = case.team.lead()
    owner = place.user if place else by
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(case=case, due_on=add_months(today, m), owner=owner) for m in months
    )


def cancel(closure: Closure, *, by: User, note: str) -> None:
    standing = _writer(by, closure.case, "cancel closing the case")
    if not note.strip():
        raise ActionRefused(gettext("Say why closing is cancelled"), field="note")
    with transaction.atomic():
        Closure.objects.filter(pk=closure.pk).update(cancelled_at=timezone.now())
        record_on_timeline(
            closure.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded("Closing cancelled by %(person)s: %(note)s", person=str(by), note=note.strip()),
            by,
            standing.agency,
            category=DataCategory.INTERVENTIONS,
        )
        record(
            Operation.ALTERATION,
            closure,
            by=by,
            agency=standing.agency,
            case_id=closure.case_id,
            justification=standing.justification,
            details={"cancelled": True},
        )


def follow_up_done(follow_up: FollowUp, *, by: User, note: str) -> None:
    if follow_up.owner_id != by.pk:
        raise ActionRefused(gettext("Only the owner of the follow-up can record it."))
    if not note.strip():
        raise ActionRefused(gettext("Say how the check-in went"), field="note")
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
            done_at=timezone.now(), note=note.strip()[:500]
        )
        if updated != 1:
            raise ActionRefused(gettext("This follow-up is recorded already."))
        record(
            Operation.COLLECTION,
            follow_up,
            by=by,
            case_id=follow_up.case_id,
            justification="follow-up after exit",
        )
