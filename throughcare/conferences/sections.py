"""What the conferences contribute to the case page: the section with the case's conferences and
risk-relevant requests (the release conference among them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from throughcare.cases.contributions import Section, contribute_section
from throughcare.cases.models import DataCategory


def contribute() -> None:
    contribute_section(
        Section("conferences", gettext_lazy("Conferences"), "conferences:requests", DataCategory.RISK, 50)
    )
