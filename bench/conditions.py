"""Benchmark: the gate's SQL conditions written by hand against the ORM form they replaced, side by side.

Every list of a wide scope (a manager's agency) asks the gate for SQL conditions: which cases the viewer
may open (their candidates read once, or probed case by case for a list that walks an index), which cases
they hold a category of, which rows of a case they may see. Until session 11 these were built with the
ORM (querysets, `Exists`, `OuterRef`, `union`); they are now written by hand (`sharing/conditions.py`).
The ORM form is kept as the specification in `sharing/tests/test_conditions.py`, and is built here from
there. For each persona and condition, interleaved (hand, orm, hand, orm …):

- **build**: building the condition and compiling the list's query to SQL (Python only, no database);
- **run**: reading a page through it as its list does (compiled again, then run: the database's part is
  not slower): the first 50 cases by last activity (read once: sorted; probed: walking the activity
  index, which `lib.paging.walking_pays` chooses only for a scope that is much of the service — an
  officer's walk reads the whole table), or the newest 50 entries of one of the viewer's cases.

Runs against a scale world in `DATABASE_URL` (`make scale-world`); prints medians in milliseconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale10k make bench-conditions
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db.models import Exists, Q, QuerySet  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load
from bench.timing import interleaved  # noqa: E402
from throughcare.accounts.models import User  # noqa: E402
from throughcare.cases.models import Case, TimelineEntry  # noqa: E402
from throughcare.sharing.access import CASE_ROWS, Policy, Refs, Viewer, _read_viewer  # noqa: E402
from throughcare.sharing.tests.test_conditions import (  # noqa: E402
    OrmGrants,
    candidates_by_orm,
    not_restricted_by_orm,
)

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
PERSONAS = ["scale.manager", "scale.officer"]
ENTRIES = Refs(case="case", person="case__person", category="category")


Form = Callable[[], QuerySet[Any]]


def forms(v: Viewer) -> dict[str, tuple[Form, Form]]:
    """Each condition as the list it serves: (hand-written, ORM)."""
    cases, entries = Policy(v, CASE_ROWS), Policy(v, ENTRIES)
    orm_cases, orm_entries = OrmGrants(v, CASE_ROWS), OrmGrants(v, ENTRIES)

    def candidates(outer: str) -> Q:
        return Q(**{f"{outer}__in": candidates_by_orm(v, None)})

    return {
        "cases, read once": (
            lambda: Case.objects.filter(cases.case_q()),
            lambda: Case.objects.filter(not_restricted_by_orm(v, "pk") & candidates("pk")),
        ),
        "cases, probed per case": (
            lambda: Case.objects.filter(cases.case_q(per_case=True)),
            lambda: Case.objects.filter(not_restricted_by_orm(v, "pk"), Exists(candidates_by_orm(v, "pk"))),
        ),
        "cases holding a category": (
            lambda: Case.objects.filter(cases.category_q("risk")),
            lambda: Case.objects.filter(
                candidates("pk") & not_restricted_by_orm(v, "pk") & orm_cases.granted_q("risk")
            ),
        ),
        "a case's rows (timeline)": (
            lambda: TimelineEntry.objects.filter(entries.category_q()),
            lambda: TimelineEntry.objects.filter(
                candidates("case")
                & not_restricted_by_orm(v, "case")
                & orm_entries.granted_q(None)
                & ~Q(category="intelligence")
            ),
        ),
    }


def built(make: Callable[[], QuerySet[Any]]) -> Callable[[], None]:
    def run() -> None:
        rows = make()
        rows.query.get_compiler(rows.db).as_sql()

    return run


def read(make: Form, one_case: int) -> Callable[[], None]:
    rows = make()
    if rows.model is Case:
        rows = rows.order_by("-last_activity_at", "pk")
    else:
        rows = rows.filter(case_id=one_case).order_by("-occurred_at", "-pk")
    rows = rows.values_list("pk", flat=True)[:50]

    def run() -> None:
        list(rows.all())

    return run


def main() -> None:
    print(
        f"{'persona':<15} {'condition':<26} {'build hand':>10} {'orm':>7} {'×':>5} {'run hand':>9} {'orm':>7}"
    )
    for username in PERSONAS:
        v = _read_viewer(User.objects.get(username=username), timezone.now())
        one_case = Case.objects.filter(Policy(v, CASE_ROWS).case_q()).values_list("pk", flat=True)[0]
        for name, (hand, orm) in forms(v).items():
            build = interleaved({"hand": built(hand), "orm": built(orm)}, RUNS)
            run = interleaved({"hand": read(hand, one_case), "orm": read(orm, one_case)}, max(RUNS // 20, 5))
            b = {k: statistics.median(t) * 1000 for k, t in build.items()}
            r = {k: statistics.median(t) * 1000 for k, t in run.items()}
            print(
                f"{username:<15} {name:<26} {b['hand']:10.2f} {b['orm']:7.2f} {b['orm'] / b['hand']:5.1f} "
                f"{r['hand']:9.2f} {r['orm']:7.2f}"
            )


if __name__ == "__main__":
    main()
