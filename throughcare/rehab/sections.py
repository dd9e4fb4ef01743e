"""What rehabilitation contributes to the case page: its section and, on the overview, how long
rehabilitation has lasted and the criteria met — so that neither is ever implicit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from throughcare.accounts.models import User
from throughcare.cases.contributions import Panel, Section, contribute_panel, contribute_section
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.rehab.closure import progress


def progress_panel(case: Case, standing: Standing, user: User) -> dict[str, Any] | None:
    return {"progress": progress(case)}


def contribute() -> None:
    contribute_section(
        Section(
            "rehabilitation", gettext_lazy("Rehabilitation"), "rehab:overview", DataCategory.INTERVENTIONS, 40
        )
    )
    contribute_panel(
        Panel("progress", 30, "rehab/panel_progress.html", DataCategory.INTERVENTIONS, progress_panel)
    )
