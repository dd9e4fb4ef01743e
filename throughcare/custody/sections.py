"""What custody contributes to the case page: the Custody and licence section and, on the overview, who is
responsible now and why."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from throughcare.accounts.models import User
from throughcare.cases.contributions import Panel, Section, contribute_panel, contribute_section
from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.custody.models import Sentence


def responsibility_panel(case: Case, standing: Standing, user: User) -> dict[str, Any] | None:
    sentence = Sentence.objects.on_case_as(case, standing).select_related("profile").first()
    return {"sentence": sentence}


def contribute() -> None:
    contribute_section(
        Section("custody", gettext_lazy("Custody and licence"), "custody:section", DataCategory.LEGAL, 20)
    )
    contribute_panel(
        Panel(
            "responsibility",
            10,
            "custody/panel_responsibility.html",
            DataCategory.LEGAL,
            responsibility_panel,
        )
    )
