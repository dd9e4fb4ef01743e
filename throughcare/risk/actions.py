"""Assessments: start, rate, complete. A human judges; the software records, and computes no risk level
(Law Enforcement Directive, Art. 11). Counts of ratings are shown as information only."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, Nature, TimelineEntry
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import in_each_language, label_of, midsentence, worded
from throughcare.risk import reviews
from throughcare.risk.models import (
    MISSING,
    Assessment,
    Certification,
    HarmJudgement,
    HarmLevel,
    HarmTarget,
    Instrument,
    Item,
    Rating,
    ReviewDue,
    Setting,
)
from throughcare.sharing.access import writer_agency


def certified(user: User, instrument: Instrument) -> bool:
    today = timezone.localdate()
    return Certification.objects.filter(
        user=user, instrument_code=instrument.code, certified_on__lte=today, expires_on__gte=today
    ).exists()


def _check_licence(users: list[User], instrument: Instrument) -> None:
    if not instrument.licensed:
        return
    missing = [str(user) for user in users if not certified(user, instrument)]
    if missing:
        raise ActionRefused(
            gettext(
                "%(name)s is licensed: only certified users may rate with it. Not "
                "certified (or certification expired): %(join)s."
            )
            % {"name": instrument.translated("name"), "join": ", ".join(missing)},
            field="instrument",
        )


def risk_writer(user: User, case: Case) -> Agency:
    agency = writer_agency(user, case, DataCategory.RISK, doing="assess")
    return agency


def start_assessment(
    case: Case, instrument: Instrument, *, by: User, assessors: list[User] | None = None
) -> Assessment:
    agency = risk_writer(by, case)
    team = assessors or [by]
    _check_licence(team, instrument)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case,
            instrument=instrument,
            started_by=by,
            kind=Assessment.Kind.TEAM if len(team) > 1 else Assessment.Kind.SINGLE,
        )
        assessment.assessors.set(team)
        record(
            Operation.COLLECTION,
            assessment,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="risk assessment started",
            details={"instrument": f"{instrument.code} {instrument.version}"},
        )
    return assessment


def rate(
    assessment: Assessment, item: Item, *, by: User, value: str, evidence: str = "", source: str = ""
) -> Rating:
    agency = risk_writer(by, assessment.case)
    if assessment.completed_at is not None:
        raise ActionRefused(gettext("This assessment is completed; start a new one to rate again."))
    if not assessment.assessors.filter(pk=by.pk).exists():
        raise ActionRefused(gettext("Only the assessors of this assessment can rate it."))
    _check_licence([by], assessment.instrument)
    if item.domain.instrument_id != assessment.instrument_id:
        raise ActionRefused(gettext("That item is not part of this instrument."), field="item")
    if value not in assessment.instrument.scale_values() + [MISSING]:
        allowed = ", ".join(assessment.instrument.scale_values() + [MISSING])
        raise ActionRefused(
            gettext("'%(value)s' is not on the scale of %(code)s (choose %(allowed)s)")
            % {"value": value, "code": item.code, "allowed": allowed},
            field="value",
        )
    with transaction.atomic():
        rating, _ = Rating.objects.update_or_create(
            assessment=assessment,
            item=item,
            defaults={
                "value": value,
                "evidence": evidence.strip(),
                "source": source.strip(),
                "rated_by": by,
                "rated_at": timezone.now(),
            },
        )
        record(
            Operation.COLLECTION,
            rating,
            by=by,
            agency=agency,
            case_id=assessment.case_id,
            justification="risk assessment rating",
            details={"item": item.code},
        )
    return rating


def rating_counts(assessment: Assessment) -> dict[str, int]:
    """How many items got each rating — information for the assessor, never a score or a level."""
    return dict(Counter(assessment.ratings.values_list("value", flat=True)))


def complete(assessment: Assessment, *, by: User, judgement: str, rationale: str) -> None:
    agency = risk_writer(by, assessment.case)
    if not assessment.assessors.filter(pk=by.pk).exists():
        raise ActionRefused(gettext("Only the assessors of this assessment can complete it."))
    if judgement not in Assessment.Priority.values:
        raise ActionRefused(gettext("Give your own overall judgement"), field="judgement")
    if len(rationale.strip()) < 20:
        raise ActionRefused(
            gettext("Explain your judgement: what drives the risk, for whom, how soon"), field="rationale"
        )
    with transaction.atomic():
        updated = Assessment.objects.filter(pk=assessment.pk, completed_at__isnull=True).update(
            judgement=judgement, rationale=rationale.strip(), completed_at=timezone.now()
        )
        if updated != 1:
            raise ActionRefused(gettext("This assessment is already completed."))
        assessment.refresh_from_db()
        text = worded(
            "Risk assessment completed with %(instrument)s: judged %(judgement)s by %(person)s. "
            "%(rationale)s",
            instrument=in_each_language(lambda code: assessment.instrument.translated("name", code)),
            judgement=midsentence(label_of(assessment, "judgement")),
            person=str(by),
            rationale=assessment.rationale,
        )
        entry = record_on_timeline(
            assessment.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.RISK
        )
        TimelineEntry.objects.filter(pk=entry.pk).update(nature=Nature.ASSESSMENT)
        record(
            Operation.ALTERATION,
            assessment,
            by=by,
            agency=agency,
            case_id=assessment.case_id,
            justification="risk assessment completed",
            details={"judgement": judgement},
        )
        reviews.reviewed(assessment.case, ReviewDue.Kind.ASSESSMENT)


def judge_harm(
    case: Case, *, by: User, levels: dict[tuple[str, str], str], explanation: str
) -> HarmJudgement:
    """Record who may be seriously harmed, where and how likely — as the person judges and explains it."""
    agency = risk_writer(by, case)
    given = {cell: level for cell, level in levels.items() if level}
    if not given:
        raise ActionRefused(gettext("Give a level for at least one group who may be harmed"), field="levels")
    for (target, setting), level in given.items():
        if (
            target not in HarmTarget.values
            or setting not in Setting.values
            or level not in Assessment.Priority.values
        ):
            raise ActionRefused(
                gettext(
                    "'%(level)s' for %(target)s %(setting)s is not a level (low, medium, high, very high)"
                )
                % {"level": level, "target": target, "setting": setting},
                field="levels",
            )
    if len(explanation.strip()) < 20:
        raise ActionRefused(
            gettext("Explain the judgement: who, in what circumstances, how soon"), field="explanation"
        )
    with transaction.atomic():
        judgement = HarmJudgement.objects.create(case=case, judged_by=by, explanation=explanation.strip())
        HarmLevel.objects.bulk_create(
            HarmLevel(judgement=judgement, target=t, setting=s, level=lvl)
            for (t, s), lvl in sorted(given.items())
        )
        summary = [
            worded(
                "%(target)s %(setting)s: %(level)s",
                target=midsentence(HarmTarget(t).label),
                setting=midsentence(Setting(s).label),
                level=midsentence(Assessment.Priority(lvl).label),
            )
            for (t, s), lvl in sorted(given.items())
        ]
        entry = record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "Risk of serious harm judged by %(person)s: %(levels)s. %(explanation)s",
                person=str(by),
                levels=summary,
                explanation=explanation.strip(),
            ),
            by,
            agency,
            category=DataCategory.RISK,
        )
        TimelineEntry.objects.filter(pk=entry.pk).update(nature=Nature.ASSESSMENT)
        record(
            Operation.COLLECTION,
            judgement,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="risk of serious harm judged",
            details={"cells": len(given)},
        )
    return judgement
