from __future__ import annotations

from datetime import date

import pytest

from throughcare.accounts.models import User
from throughcare.outcomes.models import Extract, MeasureDefinition
from throughcare.outcomes.synthetic import load_cohort
from throughcare.test import Cast, make_user


@pytest.fixture
def publisher(cast: Cast) -> User:
    return make_user("head.statistics", cast.probation, "manager", may_publish_statistics=True)


@pytest.fixture
def history(cast: Cast) -> Extract:
    return load_cohort(
        "History", 800, date(2014, 1, 1), date(2020, 12, 31), seed=7, until=date(2024, 6, 30), by=None
    )


def two_years_of(cast: Cast, history: Extract, name: str, outcome: str, group_by: str) -> MeasureDefinition:
    """A measure of the history's 2015–2019 releases, followed for two years."""
    return MeasureDefinition.objects.create(
        name=name,
        source="extract",
        extract=history,
        released_from=date(2015, 1, 1),
        released_to=date(2019, 12, 31),
        follow_up_years=2,
        waiting_months=6,
        outcome=outcome,
        group_by=group_by,
        created_by=cast.analyst,
    )


@pytest.fixture
def by_gender(cast: Cast, history: Extract) -> MeasureDefinition:
    return two_years_of(cast, history, "Any proven reoffence within two years, by gender", "any", "gender")


@pytest.fixture
def by_age(cast: Cast, history: Extract) -> MeasureDefinition:
    """The same cohort by age at release, counting terrorism offences only: small counts, hidden."""
    return two_years_of(cast, history, "Terrorism offence within two years, by age", "terrorism", "age_band")
