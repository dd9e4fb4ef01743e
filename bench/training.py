"""Benchmark: turning a case with 1,000 timeline entries into a training case, end to end.

A fresh database (a temporary SQLite file, or the one in DATABASE_URL) holds a national-looking world:
BENCH_STAFF users in a dozen agencies and BENCH_CASES other cases (the rare-combination check's population).
One case has 1,000 notes (BENCH_ENTRIES) naming the person, an alias, a child, staff, identifiers, e-mail
addresses, telephone numbers, dates and addresses the way notes do, and a handful of recorded decisions.

Side by side in one run, interleaved (A B A B …) so that drift affects both equally:

  pipeline  pipeline.build_training_case: the gate's training channel, the material read, every known
            identifier gathered (the whole staff list filtered by the words of the case), the rarity check
            over every case, scrubbing of every entry and stage, the rows written and the audit event —
            in a transaction rolled back after each run;
  scrub     scrub.scrub of the same 1,000 texts against the same known identifiers: the text work alone.

Printed: the median and 90th percentile of each, and their ratio.
Run with `make bench-training` (SQLite) or `DATABASE_URL=postgres://… make bench-training`.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load
from bench.timing import interleaved, ratio, report  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
STAFF = int(os.environ.get("BENCH_STAFF", "2000"))
CASES = int(os.environ.get("BENCH_CASES", "500"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

GIVEN = ["Maren", "Tomas", "Ilse", "Yannick", "Ruth", "Jonas", "Leila", "Greta", "Karel", "Mikkel", "Samira"]
FAMILY = ["Holt", "Reyvaert", "Brandvold", "Deveraux", "Achterveld", "Feldkamp", "Moreau-Stein", "Ostervald"]


class Rollback(Exception):
    pass


def main() -> None:
    from throughcare.cases.models import TimelineEntry
    from throughcare.learning import pipeline
    from throughcare.learning.scrub import scrub

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    case, trainer = _world()
    print(
        f"World: {STAFF:,} staff, {CASES + 1:,} cases, {ENTRIES:,} entries; built in "
        f"{time.perf_counter() - started:.1f} s"
    )

    texts = list(TimelineEntry.objects.filter(case=case).values_list("body", flat=True))
    known = pipeline.known_identifiers(case, "Adam B.", texts)
    print(f"Known identifiers after the filter by the case's words: {len(known)}")

    def build() -> None:
        try:
            with transaction.atomic():
                made = pipeline.build_training_case(case.pk, by=trainer, title="Bench")
                assert made.entries.count() == len(texts)
                raise Rollback
        except Rollback:
            pass

    def text_only() -> None:
        for text in texts:
            scrub(text, known, shift=timedelta(days=-400))

    timings = interleaved({"pipeline": build, "scrub": text_only}, RUNS)
    report(timings)
    print(f"pipeline / scrub: {ratio(timings, 'pipeline', 'scrub'):.2f}×")


def _world() -> tuple[Any, Any]:
    """Staff and agencies, the population of cases, and the case with its entries and decisions."""
    import time_machine

    from throughcare.accounts.models import Agency, AgencyKind, Membership, User
    from throughcare.cases import actions as case_actions
    from throughcare.cases.models import DataCategory, Nature, Phase
    from throughcare.people.models import Alias, Identifier
    from throughcare.rehab.support import add_dependant
    from throughcare.test import join_team, make_agency, make_user

    kinds = list(AgencyKind.values)
    agencies = [
        make_agency(f"Agency {n} of {kinds[n % len(kinds)]}", kinds[n % len(kinds)]) for n in range(12)
    ]
    probation = Agency.objects.filter(kind=AgencyKind.PROBATION).first()
    assert probation is not None
    users = User.objects.bulk_create(
        User(
            username=f"staff{n}", first_name=GIVEN[n % len(GIVEN)], last_name=f"{FAMILY[n % len(FAMILY)]}{n}"
        )
        for n in range(STAFF)
    )
    Membership.objects.bulk_create(Membership(user=u, agency=agencies[n % 12]) for n, u in enumerate(users))
    lead = make_user("lead.officer", probation)
    trainer = make_user("bench.trainer", probation, may_train=True)
    for n in range(CASES):
        person = case_actions.NewPerson(
            given_name=f"Other{n}",
            family_name="Person",
            date_of_birth=date(1970 + n % 30, 1, 1),
            gender="male" if n % 3 else "female",
            nationality=["Dutch", "Belgian", "Westland"][n % 3],
        )
        case_actions.open_case(person, by=lead, agency=probation, function="Offender manager")
    begin = date(2020, 1, 6)
    with time_machine.travel(begin, tick=False):
        details = case_actions.NewPerson(
            given_name="Nourdin",
            family_name="Yilmazer",
            date_of_birth=date(1991, 4, 2),
            gender="male",
            nationality="Dutch",
        )
        case = case_actions.open_case(details, by=lead, agency=probation, function="Offender manager")
        Alias.objects.create(person=case.person, name="Abu Karim", kind=Alias.Kind.KUNYA)
        Identifier.objects.create(person=case.person, kind=Identifier.Kind.PRISON_NUMBER, value="WM004070")
        join_team(case, trainer, probation, "Practice supervisor")
        add_dependant(
            case,
            by=lead,
            given_name="Yara",
            family_name="Yilmazer",
            date_of_birth=date(2016, 5, 1),
            relation="child",
            lives_with=False,
        )
    for n in range(ENTRIES):
        with time_machine.travel(begin + timedelta(days=1 + n * 2), tick=False):
            case_actions.add_note(
                case, by=lead, body=_note(n), category=DataCategory.GENERAL, nature=Nature.FACT
            )
            if n in (ENTRIES // 5, ENTRIES // 2):
                case.refresh_from_db()
                following: dict[str, str] = {
                    Phase.CUSTODY: Phase.RELEASE_PLANNING,
                    Phase.RELEASE_PLANNING: Phase.COMMUNITY,
                }
                case_actions.change_phase(
                    case,
                    by=lead,
                    to_phase=following[case.phase],
                    expected_version=case.version,
                    reason="Moved on",
                )
    return case, trainer


def _note(n: int) -> str:
    return (
        f"Visit {n}: Maren Holt0 met NOURDIN at home; yilmazer said Yara is well and that Abu Karim rang "
        f"twice. Tomas\nReyvaert1 to check WM004070. Contact n.yilmazer{n}@example.org or +32 470 "
        f"{n % 100:02d} 34 56 before {1 + n % 27} Mar 2024, at 14 Harbour Road. Nothing else."
    )


if __name__ == "__main__":
    main()
