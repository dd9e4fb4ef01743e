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


@pytest.fixture
def by_gender(cast: Cast, history: Extract) -> MeasureDefinition:
    return MeasureDefinition.objects.create(
        name="Any proven reoffence within two years, by gender",
        source="extract",
        extract=history,
        released_from=date(2015, 1, 1),
        released_to=date(2019, 12, 31),
        follow_up_years=2,
        waiting_months=6,
        outcome="any",
        group_by="gender",
        created_by=cast.analyst,
    )


@pytest.fixture
def by_age(cast: Cast, history: Extract) -> MeasureDefinition:
    """The same cohort by age at release, counting terrorism offences only: small counts, hidden."""
    return MeasureDefinition.objects.create(
        name="Terrorism offence within two years, by age",
        source="extract",
        extract=history,
        released_from=date(2015, 1, 1),
        released_to=date(2019, 12, 31),
        follow_up_years=2,
        waiting_months=6,
        outcome="terrorism",
        group_by="age_band",
        created_by=cast.analyst,
    )
