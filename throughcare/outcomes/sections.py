"""What outcomes contribute to the case page: a section of their own, for those who hold legal data."""

from __future__ import annotations

from throughcare.cases.contributions import Section, contribute_section
from throughcare.cases.models import DataCategory


def contribute() -> None:
    contribute_section(Section("outcomes", "Outcomes", "outcomes:case", DataCategory.LEGAL, 45))
