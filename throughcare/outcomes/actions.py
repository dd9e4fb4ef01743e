"""Recording what happened after release: a proven reoffence, re-engagement without conviction, or leaving
the follow-up. Legal data, written by those who may write it, on the timeline and audited in the same
transaction. A correction is a new version; the one it corrects is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.wording import Wording, worded
from throughcare.outcomes.models import (
    CensorReason,
    OffenceKind,
    OutcomeEvent,
    OutcomeKind,
    ProvenBy,
    Reliability,
)
from throughcare.sharing.access import Standing, require_writer

EVIDENCE_MAX = 10_000


@dataclass(frozen=True)
class OutcomeInput:
    kind: str
    occurred_on: date | None
    source: str
    offence_kind: str = ""
    proven_by: str = ""
    proven_on: date | None = None
    censor_reason: str = ""
    reliability: str = ""
    evidence: str = ""


def first_release(case: Case) -> date | None:
    change = case.phase_changes.filter(to_phase=Phase.COMMUNITY).order_by("changed_at").first()
    return timezone.localdate(change.changed_at) if change is not None else None


def record_outcome(case: Case, data: OutcomeInput, *, by: User) -> OutcomeEvent:
    standing = require_writer(by, case, DataCategory.LEGAL, doing="record outcomes")
    _check(case, data)
    with transaction.atomic():
        event = OutcomeEvent.objects.create(case=case, **_fields(data, by, standing))
        _written(
            event,
            by,
            standing,
            worded(
                "Outcome recorded: %(outcome)s. Source: %(source)s.",
                outcome=event.summary,
                source=event.source,
            ),
            Operation.COLLECTION,
        )
    return event


def correct_outcome(
    event: OutcomeEvent, data: OutcomeInput, *, by: User, reason: str, expected_version: int
) -> OutcomeEvent:
    """Record a corrected version: the old one stays, superseded, and the measures read the new one."""
    standing = require_writer(by, event.case, DataCategory.LEGAL, doing="correct outcomes")
    if not reason.strip():
        raise ActionRefused(gettext("Say why the outcome is corrected"), field="correction_reason")
    _check(event.case, data)
    with transaction.atomic():
        current = OutcomeEvent.objects.select_for_update().get(pk=event.pk)
        if current.version != expected_version or OutcomeEvent.objects.filter(corrects=current).exists():
            raise EditConflict(
                gettext(
                    "Someone corrected this outcome after you opened the form. Nothing was saved: review the "
                    "current version and correct it again if you still need to."
                )
            )
        corrected = OutcomeEvent.objects.create(
            case=event.case,
            version=current.version + 1,
            corrects=current,
            correction_reason=reason.strip()[:500],
            **_fields(data, by, standing),
        )
        text = worded(
            "Outcome corrected (version %(version)s): %(outcome)s. Reason: %(reason)s",
            version=corrected.version,
            outcome=corrected.summary,
            reason=reason.strip(),
        )
        _written(corrected, by, standing, text, Operation.ALTERATION)
    return corrected


def _fields(data: OutcomeInput, by: User, standing: Standing) -> dict[str, object]:
    reoffence, censored = data.kind == OutcomeKind.PROVEN_REOFFENCE, data.kind == OutcomeKind.CENSORED
    return {
        "kind": data.kind,
        "occurred_on": data.occurred_on,
        "offence_kind": data.offence_kind if reoffence else "",
        "proven_by": data.proven_by if reoffence and data.proven_on else "",
        "proven_on": data.proven_on if reoffence else None,
        "censor_reason": data.censor_reason if censored else "",
        "reliability": data.reliability if data.kind == OutcomeKind.REENGAGEMENT else "",
        "source": data.source.strip()[:200],
        "evidence": data.evidence.strip(),
        "recorded_by": by,
        "recorded_by_agency": standing.agency,
    }


def _written(event: OutcomeEvent, by: User, standing: Standing, text: Wording, operation: Operation) -> None:
    record_on_timeline(
        event.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, standing.agency, category=DataCategory.LEGAL
    )
    record(
        operation,
        event,
        by=by,
        agency=standing.agency,
        case_id=event.case_id,
        justification=standing.justification,
        details={"kind": event.kind, "version": event.version},
    )


def _check(case: Case, data: OutcomeInput) -> None:
    if data.kind not in OutcomeKind.values:
        raise ActionRefused(gettext("Choose what happened"), field="kind")
    _check_dates(case, data)
    if not data.source.strip():
        raise ActionRefused(
            gettext("Name the source: a court record, the police, a partner agency …"), field="source"
        )
    if len(data.evidence) > EVIDENCE_MAX:
        raise ActionRefused(
            gettext("Keep the evidence to %(EVIDENCE_MAX)s characters or fewer")
            % {"EVIDENCE_MAX": format(EVIDENCE_MAX, ",")},
            field="evidence",
        )
    {
        OutcomeKind.PROVEN_REOFFENCE: _check_reoffence,
        OutcomeKind.REENGAGEMENT: _check_reengagement,
        OutcomeKind.CENSORED: _check_censoring,
    }[OutcomeKind(data.kind)](data)


def _check_dates(case: Case, data: OutcomeInput) -> None:
    released = first_release(case)
    if released is None:
        raise ActionRefused(
            gettext("Outcomes are recorded once the person has been released"), field="occurred_on"
        )
    if data.occurred_on is None:
        raise ActionRefused(gettext("Give the date it happened"), field="occurred_on")
    if data.occurred_on > timezone.localdate():
        raise ActionRefused(gettext("The date it happened cannot be in the future"), field="occurred_on")
    if data.occurred_on < released:
        raise ActionRefused(
            gettext("The date it happened cannot be before the release on %(released)s")
            % {"released": format(released, "%d %b %Y")},
            field="occurred_on",
        )


def _check_reoffence(data: OutcomeInput) -> None:
    if data.offence_kind not in OffenceKind.values:
        raise ActionRefused(gettext("Choose the kind of offence"), field="offence_kind")
    if data.proven_on is None:
        return  # recorded while the proceedings go on; it counts once proven
    if data.proven_by not in ProvenBy.values:
        raise ActionRefused(
            gettext("Say whether it was proven by a conviction or a caution"), field="proven_by"
        )
    if data.proven_on < data.occurred_on:  # type: ignore[operator]
        raise ActionRefused(gettext("It cannot be proven before it was committed"), field="proven_on")
    if data.proven_on > timezone.localdate():
        raise ActionRefused(gettext("The conviction or caution cannot be in the future"), field="proven_on")


def _check_reengagement(data: OutcomeInput) -> None:
    if not data.evidence.strip():
        raise ActionRefused(gettext("Give the evidence for the judgement"), field="evidence")
    if data.reliability not in Reliability.values:
        raise ActionRefused(gettext("Grade the source's reliability"), field="reliability")


def _check_censoring(data: OutcomeInput) -> None:
    if data.censor_reason not in CensorReason.values:
        raise ActionRefused(gettext("Say why the person left the follow-up"), field="censor_reason")
