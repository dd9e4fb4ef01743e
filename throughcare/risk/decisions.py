"""What risk management adds to a case review's chronology: information acknowledged (and how late),
assessments and plan reviews completed or overdue, escalations; and the instrument certifications a
training record shows. Contributed in `RiskConfig.ready`."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from throughcare.cases.contributions import DecisionPoint, contribute_decision_points
from throughcare.cases.facts import Certificate, provide_certifications
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.lib.dates import midday
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
            hours = (info.acknowledged_at - info.recorded_at).total_seconds() / 3600
            found.append(
                DecisionPoint(
                    f"risk.information:{info.pk}",
                    info.acknowledged_at,
                    "Information acknowledged late" if late else "Information acknowledged",
                    f"Information from {info.source} acknowledged after {hours:.0f} hours"
                    + (f" — {info.get_decision_display().lower()}" if info.decision else "")
                    + (f": {info.decision_note}" if info.decision_note else "."),
                    info.category,
                    decision=bool(info.decision),
                    late=late,
                )
            )
        elif late:
            found.append(
                DecisionPoint(
                    f"risk.information:{info.pk}",
                    info.acknowledge_by,
                    "Information not acknowledged",
                    f"Information from {info.source} was due to be acknowledged by "
                    f"{timezone.localtime(info.acknowledge_by):%d %b %Y %H:%M} and has not been.",
                    info.category,
                    late=True,
                )
            )
        if info.escalated_at is not None:
            found.append(
                DecisionPoint(
                    f"risk.information-escalated:{info.pk}",
                    info.escalated_at,
                    "Escalation",
                    f"Information from {info.source}, not acknowledged in time, was escalated to managers.",
                    info.category,
                    late=True,
                )
            )
    return found


def _reviews(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    today = timezone.localdate()
    for due in ReviewDue.objects.on_case_as(case, standing):
        done_on = timezone.localdate(due.done_at) if due.done_at else None
        if (done_on or today) <= due.due_on:
            continue
        days = ((done_on or today) - due.due_on).days
        found.append(
            DecisionPoint(
                f"risk.review:{due.pk}",
                midday(due.due_on),
                "Review overdue",
                f"{due.get_kind_display()} ({due.get_reason_display().lower()}) was due "
                f"{due.due_on:%d %b %Y}: "
                + (f"done {days} day(s) late." if done_on else f"not done, {days} day(s) overdue.")
                + (" Escalated to managers." if due.escalated_at else ""),
                RISK,
                late=True,
            )
        )
    return found


def _judgements(case: Case, standing: Standing) -> list[DecisionPoint]:
    found: list[DecisionPoint] = []
    for assessment in Assessment.objects.on_case_as(case, standing).exclude(completed_at=None):
        found.append(
            DecisionPoint(
                f"risk.assessment:{assessment.pk}",
                assessment.completed_at,
                "Assessment completed",
                f"Structured professional judgement: {assessment.get_judgement_display().lower() or '—'}. "
                f"{assessment.rationale}",
                RISK,
                decision=True,
            )
        )
    for version in PlanVersion.objects.on_case_as(case, standing):
        found.append(
            DecisionPoint(
                f"risk.plan:{version.pk}",
                version.created_at,
                "Risk management plan reviewed",
                f"Plan version {version.number} ({version.get_reason_display().lower()})"
                + (f": {version.judgement_rationale}" if version.judgement_rationale else "."),
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
