"""What risk management adds to a case review's chronology: information acknowledged (and how late),
assessments and plan reviews completed or overdue, escalations; and the instrument certifications a
training record shows. Contributed in `RiskConfig.ready`."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_noop

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.facts import Certificate, provide_certifications
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.lib.dates import midday
from throughcare.lib.wording import label_of, midsentence, paragraph, worded, worded_count
from throughcare.risk.models import Assessment, Certification, IncomingInformation, PlanVersion, ReviewDue

RISK = DataCategory.RISK


def points(case: Case, standing: Standing) -> list[DecisionPoint]:
    return _information(case, standing) + _reviews(case, standing) + _judgements(case, standing)


def _information(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    now = timezone.now()
    for info in IncomingInformation.objects.on_case_as(case, standing):
        late = (info.acknowledged_at or now) > info.acknowledge_by
        if info.acknowledged_at is not None:
            found.append(_acknowledged(info, late))
        elif late:
            text = worded(
                "Information from %(source)s was due to be acknowledged by %(when)s and has not been.",
                source=info.source,
                when=info.acknowledge_by,
            )
            found.append(
                DecisionPoint(
                    f"risk.information:{info.pk}",
                    info.acknowledge_by,
                    gettext_noop("Information not acknowledged"),
                    text,
                    info.category,
                    late=True,
                )
            )
        if info.escalated_at is not None:
            text = worded(
                "Information from %(source)s, not acknowledged in time, was escalated to managers.",
                source=info.source,
            )
            found.append(
                DecisionPoint(
                    f"risk.information-escalated:{info.pk}",
                    info.escalated_at,
                    gettext_noop("Escalation"),
                    text,
                    info.category,
                    late=True,
                )
            )
    return found


def _acknowledged(info: IncomingInformation, late: bool) -> DecisionPoint:
    assert info.acknowledged_at is not None
    hours = round((info.acknowledged_at - info.recorded_at).total_seconds() / 3600)
    acknowledged = worded_count(
        "Information from %(source)s acknowledged after %(count)s hour.",
        "Information from %(source)s acknowledged after %(count)s hours.",
        hours,
        source=info.source,
    )
    decided = worded("Decided: %(decision)s.", decision=midsentence(label_of(info, "decision")))
    return DecisionPoint(
        f"risk.information:{info.pk}",
        info.acknowledged_at,
        gettext_noop("Information acknowledged late") if late else gettext_noop("Information acknowledged"),
        paragraph([acknowledged, decided if info.decision else None, info.decision_note]),
        info.category,
        decision=bool(info.decision),
        late=late,
    )


def _reviews(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    today = timezone.localdate()
    for due in ReviewDue.objects.on_case_as(case, standing):
        done_on = timezone.localdate(due.done_at) if due.done_at else None
        if (done_on or today) <= due.due_on:
            continue
        days = ((done_on or today) - due.due_on).days
        said = [
            worded(
                "%(kind)s (%(reason)s) was due on %(date)s.",
                kind=label_of(due, "kind"),
                reason=midsentence(label_of(due, "reason")),
                date=due.due_on,
            ),
            worded_count("Done %(count)s day late.", "Done %(count)s days late.", days)
            if done_on
            else worded_count("Not done, %(count)s day overdue.", "Not done, %(count)s days overdue.", days),
            worded("Escalated to managers.") if due.escalated_at else None,
        ]
        found.append(
            DecisionPoint(
                f"risk.review:{due.pk}",
                midday(due.due_on),
                gettext_noop("Review overdue"),
                paragraph(said),
                RISK,
                late=True,
            )
        )
    return found


def _judgements(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    for assessment in Assessment.objects.on_case_as(case, standing).exclude(completed_at=None):
        judged = midsentence(label_of(assessment, "judgement")) if assessment.judgement else "—"
        said = worded("Structured professional judgement: %(judgement)s.", judgement=judged)
        found.append(
            DecisionPoint(
                f"risk.assessment:{assessment.pk}",
                assessment.completed_at,
                gettext_noop("Assessment completed"),
                paragraph([said, assessment.rationale]),
                RISK,
                decision=True,
            )
        )
    for version in PlanVersion.objects.on_case_as(case, standing):
        said = worded(
            "Plan version %(number)s (%(reason)s).",
            number=str(version.number),
            reason=midsentence(label_of(version, "reason")),
        )
        found.append(
            DecisionPoint(
                f"risk.plan:{version.pk}",
                version.created_at,
                gettext_noop("Risk management plan reviewed"),
                paragraph([said, version.judgement_rationale]),
                RISK,
                decision=True,
            )
        )
    return found


class CertificationFacts:
    """Risk's answer to `cases.facts.CertificationFacts`: who is certified for which instrument."""

    def certificates(self, user_ids: Iterable[int]) -> dict[int, list[Certificate]]:
        found: dict[int, list[Certificate]] = {}
        for c in Certification.objects.filter(user_id__in=list(user_ids)).order_by("-expires_on"):
            found.setdefault(c.user_id, []).append(
                Certificate(c.instrument_code, c.certified_on, c.expires_on, c.evidence)
            )
        return found


def contribute() -> None:
    contribute_decision_points("risk", points)
    provide_certifications(CertificationFacts())
