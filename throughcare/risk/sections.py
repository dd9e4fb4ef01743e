"""What risk management contributes to the case page: the Risk section and the overview's latest judgement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from throughcare.accounts.models import User
from throughcare.cases.contributions import Panel, Section, contribute_panel, contribute_section
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.risk.models import Assessment, PlanVersion, ReviewDue


@dataclass(frozen=True)
class Judgement:
    """A person's judgement of the risk: an assessment's, or a plan review's. Never computed."""

    level: str
    at: datetime
    by: str
    source: str


def latest_judgement(case: Case, standing: Standing) -> Judgement | None:
    assessment = (
        Assessment.objects.on_case_as(case, standing)
        .filter(completed_at__isnull=False)
        .exclude(judgement="")
        .select_related("instrument")
        .prefetch_related("assessors")
        .order_by("-completed_at")
        .first()
    )
    version = (
        PlanVersion.objects.on_case_as(case, standing)
        .exclude(judgement="")
        .select_related("created_by")
        .order_by("-created_at")
        .first()
    )
    found = []
    if assessment is not None and assessment.completed_at is not None:
        by = ", ".join(str(a) for a in assessment.assessors.all())
        found.append(
            Judgement(
                assessment.get_judgement_display(),
                assessment.completed_at,
                by,
                assessment.instrument.translated("name"),
            )
        )
    if version is not None:
        found.append(
            Judgement(
                version.get_judgement_display(),
                version.created_at,
                str(version.created_by),
                gettext("plan review, version %(number)s") % {"number": version.number},
            )
        )
    return max(found, key=lambda j: j.at) if found else None


def judgement_panel(case: Case, standing: Standing, user: User) -> dict[str, Any] | None:
    return {
        "judgement": latest_judgement(case, standing),
        "next_review": ReviewDue.objects.on_case_as(case, standing)
        .filter(done_at__isnull=True)
        .order_by("due_on")
        .first(),
    }


def contribute() -> None:
    contribute_section(Section("risk", gettext_lazy("Risk"), "risk:section", DataCategory.RISK, 30))
    contribute_panel(Panel("judgement", 20, "risk/panel_judgement.html", DataCategory.RISK, judgement_panel))
