"""Benchmark: computing a statistics release over a national cohort, against reading its columns.

A synthetic extract of 250,000 people (BENCH_PEOPLE) released over ten years. Side by side in one run,
interleaved (A B A B …) so that drift affects both equally:

  release   figures.compute for one measure grouped by age band: the cohort read from the database, the
            definition applied (NumPy), proportions with Wilson intervals, frequency, Kaplan–Meier curves
            for the cohort and each group (lifelines), disclosure control (secondary suppression with its
            linear programmes) and the audit event of the combination;
  read      the bare read of the columns it needs: the same SQL for the same rows and eight columns, fetched
            as the database driver gives them (the way the release reads them).

Printed: the median and 90th percentile of each and the ratio of the medians (target: at most 3×).
Run with `make bench-outcomes` (SQLite) or `DATABASE_URL=postgres://… make bench-outcomes`.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load
from bench.timing import interleaved, ratio, report  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "250000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
COLUMNS = (
    "released",
    "outcome_date",
    "outcome_kind",
    "proven_date",
    "censor_date",
    "gender",
    "age_band",
    "region",
)


def main() -> None:
    from throughcare.accounts.models import AgencyKind, Role
    from throughcare.outcomes import figures
    from throughcare.outcomes.models import MeasureDefinition
    from throughcare.outcomes.sources import extract_rows, read_columns
    from throughcare.outcomes.synthetic import load_cohort
    from throughcare.test import make_agency, make_user

    call_command("migrate", verbosity=0)
    analyst = make_user("bench.analyst", make_agency("Probation", AgencyKind.PROBATION), Role.ANALYST)
    started = time.perf_counter()
    extract = load_cohort(
        "Bench", PEOPLE, date(2010, 1, 1), date(2019, 12, 31), seed=1, until=date(2025, 1, 1), by=None
    )
    print(f"{PEOPLE:,} people loaded in {time.perf_counter() - started:.1f} s")
    measure = MeasureDefinition.objects.create(
        name="Bench",
        source="extract",
        extract=extract,
        released_from=date(2010, 1, 1),
        released_to=date(2019, 12, 31),
        follow_up_years=2,
        group_by="age_band",
        created_by=analyst,
    )

    def read() -> None:
        read_columns(extract_rows(measure))

    def release() -> None:
        figures.compute([measure], by=analyst)

    timings = interleaved({"release": release, "read": read}, RUNS)
    report(timings, width=8)
    print(f"ratio of medians: {ratio(timings, 'release', 'read'):.2f}× (target ≤ 3×)")


if __name__ == "__main__":
    main()
