"""What outcomes contribute to the case page: a section of their own, for those who hold legal data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from throughcare.cases.contributions import Section, contribute_section
from throughcare.cases.models import DataCategory


def contribute() -> None:
    contribute_section(Section("outcomes", gettext_lazy("Outcomes"), "outcomes:case", DataCategory.LEGAL, 45))
