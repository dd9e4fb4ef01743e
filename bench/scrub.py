"""Benchmark: scrubbing the free text of a case with 1,000 timeline entries for a training case.

Each entry is a note of about 300 characters naming the person, an alias, a child, staff, an identifier, an
e-mail address and a telephone number in the ways notes do; the record knows 30 identifiers (names, aliases,
identifiers, staff). Printed: the time to scrub all entries (median of BENCH_RUNS) and per entry.
Run with `.venv/bin/python bench/scrub.py`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from throughcare.learning.scrub import Known, scrub  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _known() -> list[Known]:
    people = [
        ("Nourdin", "Yilmazer", "[the person]"),
        ("Yara", "Yilmazer", "[a child]"),
        ("Samir", "Ouali", "[a contact]"),
    ]
    known = [Known(f"{g} {f}", r, "name") for g, f, r in people]
    known += [Known(f"Abu {n}", "[an alias]", "name") for n in ("Karim", "Tarik", "Bilal")]
    known += [Known(f"WM{n:03d}{n * 7 % 1000:03d}", "[prison number]", "identifier") for n in range(10)]
    staff = ["Maren Holt", "Tomas Reyvaert", "Ilse Brandvold", "Yannick Deveraux", "Ruth Achterveld"]
    known += [Known(name, "the worker", "staff") for name in staff]
    known += [Known(f"PRB-{10000 + n}-0{n}", "[reference]", "identifier") for n in range(9)]
    return known


def _entry(n: int) -> str:
    return (
        f"Visit {n}: Maren Holt met NOURDIN at home (ref PRB-1000{n % 9}-0{n % 9}); yilmazer said Yara is "
        f"well and that Abu Karim rang twice. Tomas\nReyvaert to check WM00{n % 10}0{n % 10 * 7 % 10}0. "
        f"Contact n.yilmazer{n}@example.org or +32 470 {n % 100:02d} 34 56 before 12/03/2024. Nothing else."
    )


def main() -> None:
    known, entries = _known(), [_entry(n) for n in range(ENTRIES)]
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for text in entries:
            scrub(text, known)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    per_entry = 1000 * median / ENTRIES
    print(f"{ENTRIES:,} entries, {len(known)} known identifiers:", end=" ")
    print(f"median {median:.2f} s ({per_entry:.2f} ms an entry)")


if __name__ == "__main__":
    main()
