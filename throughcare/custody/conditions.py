"""Licence conditions: what was recommended and what was ordered, variations, compliance events and
decisions on breaches — including recall, which takes the case back to custody. The catalogue is data
(`ConditionTemplate`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, Phase, PhaseChange, TimelineEntry
from throughcare.custody.actions import recompute
from throughcare.custody.models import (
    BreachDecision,
    CaseCondition,
    ComplianceEvent,
    ConditionStatus,
    ConditionTemplate,
    ConditionVariation,
    Sentence,
)
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import Wording, in_each_language, label_of, midsentence, worded
from throughcare.sharing.access import writer_agency


def _check_values(template: ConditionTemplate, values: dict[str, str]) -> dict[str, str]:
    cleaned = {name: str(values.get(name, "")).strip() for name in template.inputs()}
    missing = [template.input_labels.get(name, name) for name, value in cleaned.items() if not value]
    if missing:
        raise ActionRefused(
            gettext("Fill in %(join)s for condition %(code)s")
            % {"join": ", ".join(missing), "code": template.code},
            field="values",
        )
    return cleaned


def recommend(case: Case, template: ConditionTemplate, values: dict[str, str], *, by: User) -> CaseCondition:
    agency = _team_agency(by, case)
    cleaned = _check_values(template, values)
    with transaction.atomic():
        condition = CaseCondition.objects.create(
            case=case,
            template=template,
            values=cleaned,
            status=ConditionStatus.RECOMMENDED,
            recommended_by=by,
            recommending_agency=agency,
            recommended_on=timezone.localdate(),
        )
        _log(
            condition,
            by,
            agency,
            worded(
                "Condition recommended by %(person)s (%(agency)s): %(condition)s",
                person=str(by),
                agency=agency.label,
                condition=condition.wording_in_each_language,
            ),
            Operation.COLLECTION,
        )
    return condition


def order(
    condition: CaseCondition,
    *,
    by: User,
    authority: str,
    ordered_on: date,
    values: dict[str, str] | None = None,
) -> None:
    """Record that an authority ordered the condition (as recommended, or as worded by the authority)."""
    agency = _team_agency(by, condition.case)
    if not authority.strip():
        raise ActionRefused(gettext("Name the authority that ordered the condition"), field="authority")
    cleaned = _check_values(condition.template, values if values is not None else condition.values)
    with transaction.atomic():  # the decision, its timeline entry and audit event, or none of them
        _decide(
            condition,
            by,
            agency,
            status=ConditionStatus.ORDERED,
            values=cleaned,
            ordered_by_authority=authority.strip(),
            ordered_on=ordered_on,
            active_from=ordered_on,
        )
        _log(
            condition,
            by,
            agency,
            worded(
                "Condition ordered by %(authority)s on %(date)s: %(condition)s",
                authority=authority.strip(),
                date=ordered_on,
                condition=in_each_language(lambda code: condition.template.render(cleaned, code)),
            ),
            Operation.ALTERATION,
        )


def not_ordered(condition: CaseCondition, *, by: User, reason: str) -> None:
    agency = _team_agency(by, condition.case)
    if condition.status != ConditionStatus.RECOMMENDED:
        raise ActionRefused(gettext("Only a recommended condition can be recorded as not ordered"))
    if len(reason.strip()) < 5:
        raise ActionRefused(gettext("Say why the recommendation was not ordered"), field="reason")
    with transaction.atomic():
        _decide(condition, by, agency, status=ConditionStatus.NOT_ORDERED, not_ordered_reason=reason.strip())
        _log(
            condition,
            by,
            agency,
            worded(
                "Recommended condition not ordered: %(condition)s. Why: %(reason)s",
                condition=condition.wording_in_each_language,
                reason=reason.strip(),
            ),
            Operation.ALTERATION,
        )


def vary(condition: CaseCondition, values: dict[str, str], *, by: User, reason: str, authority: str) -> None:
    agency = _team_agency(by, condition.case)
    if condition.status != ConditionStatus.ORDERED:
        raise ActionRefused(gettext("Only an ordered condition can be varied"))
    if not reason.strip() or not authority.strip():
        raise ActionRefused(gettext("Give the reason and the authority for the variation"), field="reason")
    cleaned = _check_values(condition.template, values)
    before = dict(condition.values)
    with transaction.atomic():
        ConditionVariation.objects.create(
            condition=condition,
            before=before,
            after=cleaned,
            reason=reason.strip(),
            authority=authority.strip(),
            varied_by=by,
        )
        _decide(condition, by, agency, status=ConditionStatus.ORDERED, values=cleaned)
        _log(
            condition,
            by,
            agency,
            worded(
                "Condition varied by %(authority)s: %(old)s → %(new)s. Reason: %(reason)s",
                authority=authority.strip(),
                old=in_each_language(lambda code: condition.template.render(before, code)),
                new=in_each_language(lambda code: condition.template.render(cleaned, code)),
                reason=reason.strip(),
            ),
            Operation.ALTERATION,
        )


def _decide(condition: CaseCondition, by: User, agency: Agency, **fields: Any) -> None:
    updated = CaseCondition.objects.filter(pk=condition.pk, version=condition.version).update(
        **fields, version=F("version") + 1
    )
    if updated != 1:
        raise ActionRefused(gettext("Someone else changed this condition meanwhile. Reload the page."))
    condition.refresh_from_db()


def _log(condition: CaseCondition, by: User, agency: Agency, text: Wording, operation: Operation) -> None:
    record_on_timeline(
        condition.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.LEGAL
    )
    record(
        operation,
        condition,
        by=by,
        agency=agency,
        case_id=condition.case_id,
        justification="licence conditions",
        details={"code": condition.template.code, "status": condition.status},
    )


@dataclass(frozen=True)
class EventInput:
    kind: str
    occurred_on: date
    note: str = ""
    condition: CaseCondition | None = None


def record_compliance(case: Case, event: EventInput, *, by: User) -> ComplianceEvent:
    agency = _team_agency(by, case)
    if event.occurred_on > timezone.localdate():
        raise ActionRefused(gettext("The date cannot be in the future"), field="occurred_on")
    if event.kind == ComplianceEvent.Kind.BREACH and not event.note.strip():
        raise ActionRefused(gettext("Describe the breach"), field="note")
    with transaction.atomic():
        created = ComplianceEvent.objects.create(
            case=case,
            kind=event.kind,
            occurred_on=event.occurred_on,
            condition=event.condition,
            note=event.note.strip(),
            recorded_by=by,
        )
        happened = {"event": label_of(created, "kind"), "date": event.occurred_on, "note": event.note.strip()}
        text = (
            worded(
                "%(event)s on %(date)s. Condition: %(condition)s. %(note)s",
                condition=event.condition.wording_in_each_language,
                **happened,
            )
            if event.condition is not None
            else worded("%(event)s on %(date)s. %(note)s", **happened)
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            text,
            by,
            agency,
            category=DataCategory.LEGAL,
        )
        record(
            Operation.COLLECTION,
            created,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="compliance",
            details={"kind": event.kind},
        )
    return created


def decide_breach(
    breach: ComplianceEvent, *, by: User, outcome: str, rationale: str, decided_by: User | None
) -> BreachDecision:
    """A named person decides every breach. Recall takes the case back to custody, timeline intact."""
    agency = _team_agency(by, breach.case)
    if breach.kind != ComplianceEvent.Kind.BREACH:
        raise ActionRefused(gettext("Only a breach needs a decision"))
    if decided_by is None:
        raise ActionRefused(gettext("Name the person who decided"), field="decided_by")
    if outcome not in BreachDecision.Outcome.values:
        raise ActionRefused(gettext("Choose the decision: warning, variation or recall"), field="outcome")
    if not rationale.strip():
        raise ActionRefused(gettext("Give the rationale for the decision"), field="rationale")
    if BreachDecision.objects.filter(breach=breach).exists():
        raise ActionRefused(gettext("This breach has already been decided"))
    with transaction.atomic():
        decision = BreachDecision.objects.create(
            breach=breach, outcome=outcome, decided_by=decided_by, rationale=rationale.strip()
        )
        record_on_timeline(
            breach.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "Breach of %(date)s decided by %(person)s: %(outcome)s. Rationale: %(rationale)s",
                date=breach.occurred_on,
                person=str(decided_by),
                outcome=midsentence(label_of(decision, "outcome")),
                rationale=rationale.strip(),
            ),
            by,
            agency,
            category=DataCategory.LEGAL,
        )
        record(
            Operation.COLLECTION,
            decision,
            by=by,
            agency=agency,
            case_id=breach.case_id,
            justification="breach decision",
            details={"outcome": outcome, "decided_by": decided_by.pk},
        )
        if outcome == BreachDecision.Outcome.RECALL:
            _recall(breach.case, by, agency, decided_by)
    return decision


def _recall(case: Case, by: User, agency: Agency, decided_by: User) -> None:

    now = timezone.now()
    previous = case.phase
    Case.objects.filter(pk=case.pk).update(
        phase=Phase.CUSTODY, version=F("version") + 1, last_activity_at=now
    )
    PhaseChange.objects.create(
        case=case,
        from_phase=previous,
        to_phase=Phase.CUSTODY,
        changed_at=now,
        changed_by=by,
        reason=worded("Recall decided by %(person)s", person=str(decided_by)),
    )
    record_on_timeline(
        case,
        TimelineEntry.Kind.PHASE_CHANGE,
        worded(
            "Recalled to custody: phase changed from %(old)s to %(new)s.",
            old=midsentence(Phase(previous).label),
            new=midsentence(Phase.CUSTODY.label),
        ),
        by,
        agency,
        at=now,
    )
    sentence = Sentence.objects.filter(case=case).first()
    if sentence is not None:
        Sentence.objects.filter(pk=sentence.pk).update(recalled_on=timezone.localdate(now))
        sentence.refresh_from_db()
        recompute(sentence, timezone.localdate(now), by=by)
    case.refresh_from_db()


def _team_agency(user: User, case: Case) -> Agency:
    return writer_agency(user, case, DataCategory.LEGAL, doing="record conditions and compliance")
