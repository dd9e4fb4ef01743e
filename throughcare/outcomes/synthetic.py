"""A synthetic historical cohort: invented people released over the years, with outcomes at the low rates
the published studies report. For the demo world and the benchmarks only — every extract made here is
marked synthetic, and the public pages say so."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from throughcare.accounts.models import User
from throughcare.outcomes.models import Extract, ExtractPerson

# Yearly chances after release (invented, in the range the studies report for terrorist offenders).
YEARLY = {"terrorism": 0.012, "violent": 0.02, "other": 0.035, "reengagement": 0.015, "recall": 0.05}
DEATH, ABROAD = 0.003, 0.01
REGIONS = ["Westmark", "Eastbridge", "Northholm"]
AGE_BANDS = ["Under 25", "25 to 34", "35 to 49", "50 and over"]


def people(count: int, first: date, last: date, seed: int, *, until: date) -> Iterator[ExtractPerson]:
    """`count` people released between `first` and `last`, followed until `until` (unsaved rows)."""
    rng = random.Random(seed)
    span = (last - first).days
    for _ in range(count):
        released = first + timedelta(days=rng.randint(0, span))
        yield _person(rng, released, until)


def _person(rng: random.Random, released: date, until: date) -> ExtractPerson:
    years = max(0.0, (until - released).days / 365.25)
    censor = _first_of(rng, {"death": DEATH, "abroad": ABROAD}, years)
    outcome = _first_of(rng, YEARLY, years)
    row = ExtractPerson(
        released=released,
        gender="female" if rng.random() < 0.11 else "male",
        age_band=rng.choices(AGE_BANDS, weights=[30, 40, 22, 8])[0],
        region=rng.choice(REGIONS),
    )
    if censor is not None:
        row.censor_date = released + timedelta(days=int(censor[1] * 365.25))
    if outcome is not None and (censor is None or outcome[1] < censor[1]):
        kind, after = outcome
        row.outcome_kind, row.outcome_date = kind, released + timedelta(days=int(after * 365.25))
        if kind in ("terrorism", "violent", "other"):
            proven = row.outcome_date + timedelta(days=rng.randint(30, 330))
            row.proven_date = proven if proven <= until else None
    return row


def _first_of(rng: random.Random, yearly: dict[str, float], years: float) -> tuple[str, float] | None:
    """Which of these things happens first within `years`, and when (in years), if any."""
    times = [(rng.expovariate(rate), kind) for kind, rate in yearly.items()]
    after, kind = min(times)
    return (kind, after) if after < years else None


def load_cohort(
    name: str, count: int, first: date, last: date, *, seed: int, until: date, by: User | None
) -> Extract:
    extract = Extract.objects.create(
        name=name,
        description=f"{count} invented people released {first.year}–{last.year}, with invented outcomes. "
        "Synthetic: for demonstration only.",
        synthetic=True,
        loaded_by=by,
        rows=count,
    )
    rows = list(people(count, first, last, seed, until=until))
    for row in rows:
        row.extract = extract
    ExtractPerson.objects.bulk_create(rows, batch_size=5000)
    return extract
