"""An anonymised extract supplied from elsewhere (a national database, a published study's data): one row
per person, read whole or refused whole. It is never linked to cases.

Columns: `release_date`, `outcome_date` (empty if none), `outcome_kind` (terrorism, violent, other,
reengagement, recall; empty if none), `proven_date` (empty if not proven), `censor_date` (empty if not
censored), and any number of grouping columns (gender, age band …). Dates are ISO (YYYY-MM-DD).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from throughcare.lib.errors import ActionRefused
from throughcare.outcomes.engine import KINDS, RECALL, REENGAGEMENT, Cohort, Events

COLUMNS = ("release_date", "outcome_date", "outcome_kind", "proven_date", "censor_date")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: "٢٠٢٢" is refused, not read
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)
MAX_ROWS = 5_000_000
MAX_GROUP_LENGTH = 100
SELF_PROVEN = (REENGAGEMENT, RECALL)


class ExtractRefused(ActionRefused):
    """The file is refused whole; the message names the line and the reason."""


@dataclass(frozen=True)
class Extract:
    cohort: Cohort
    events: Events
    rows: int


def read_extract(lines: Iterable[str]) -> Extract:
    reader = csv.DictReader(_clean(lines))
    groups = _check_header(reader.fieldnames)
    people: list[tuple[date, date | None, str, date | None, date | None]] = []
    grouped: dict[str, list[str]] = {name: [] for name in groups}
    for row in reader:
        line = reader.line_num
        if len(people) >= MAX_ROWS:
            raise ExtractRefused(f"Line {line}: the file has more than {MAX_ROWS:,} people")
        if None in row or any(value is None for value in row.values()):
            raise ExtractRefused(
                f"Line {line}: the row does not have the {len(reader.fieldnames or [])} columns of the header"
            )
        people.append(_person(row, line))
        for name in groups:
            grouped[name].append(_group_value(row[name], name, line))
    if not people:
        raise ExtractRefused("The file has no people in it: the cohort would be empty")
    return _arrays(people, grouped)


def _clean(lines: Iterable[str]) -> Iterable[str]:
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise ExtractRefused(f"Line {number}: the line holds a NUL byte; is this a CSV file?")
        yield line


def _check_header(names: Iterable[str] | None) -> list[str]:
    if not names:
        raise ExtractRefused("Line 1: the file is empty; the first line must name the columns")
    names = [n.strip() for n in names]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ExtractRefused(f"Line 1: missing column(s): {', '.join(missing)}")
    if len(set(names)) != len(names):
        raise ExtractRefused("Line 1: a column is named twice")
    return [n for n in names if n not in COLUMNS]


def _person(row: dict[str, str], line: int) -> tuple[date, date | None, str, date | None, date | None]:
    released = _date(row["release_date"], "release_date", line)
    if released is None:
        raise ExtractRefused(f"Line {line}: release_date is empty; every person in the cohort was released")
    outcome = _date(row["outcome_date"], "outcome_date", line)
    kind = row["outcome_kind"].strip()
    proven = _date(row["proven_date"], "proven_date", line)
    censored = _date(row["censor_date"], "censor_date", line)
    _check_outcome(line, outcome, kind, proven)
    if censored is not None and censored < released:
        raise ExtractRefused(f"Line {line}: censor_date {censored} is before release_date {released}")
    return released, outcome, kind, proven, censored


def _check_outcome(line: int, outcome: date | None, kind: str, proven: date | None) -> None:
    if kind and kind not in KINDS:
        raise ExtractRefused(f"Line {line}: outcome_kind '{kind[:20]}' is not one of {', '.join(KINDS)}")
    if bool(kind) != (outcome is not None):
        raise ExtractRefused(f"Line {line}: outcome_date and outcome_kind are given together or not at all")
    if proven is not None and outcome is None:
        raise ExtractRefused(f"Line {line}: proven_date is given without an outcome")
    if proven is not None and outcome is not None and proven < outcome:
        raise ExtractRefused(f"Line {line}: proven_date {proven} is before the offence ({outcome})")


def _date(value: str, column: str, line: int) -> date | None:
    value = value.strip()
    if not value:
        return None
    if not ISO_DATE.fullmatch(value):
        raise ExtractRefused(f"Line {line}: {column} '{value[:20]}' is not a date written YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ExtractRefused(f"Line {line}: {column} {value} is not a day of the calendar") from None
    if not EARLIEST <= parsed <= LATEST:
        raise ExtractRefused(f"Line {line}: {column} {value} is outside {EARLIEST.year}–{LATEST.year}")
    return parsed


def _group_value(value: str, name: str, line: int) -> str:
    value = value.strip()
    if len(value) > MAX_GROUP_LENGTH:
        raise ExtractRefused(f"Line {line}: {name} is longer than {MAX_GROUP_LENGTH} characters")
    return value or "not recorded"


def _arrays(
    people: list[tuple[date, date | None, str, date | None, date | None]], grouped: dict[str, list[str]]
) -> Extract:
    released, outcome, kind, proven, censored = zip(*people, strict=True)
    with_outcome = np.array([i for i, k in enumerate(kind) if k], dtype=np.int64)
    cohort = Cohort(
        released=np.array(released, dtype="datetime64[D]"),
        censored=np.array([c or "NaT" for c in censored], dtype="datetime64[D]"),
        groups={name: np.array(values) for name, values in grouped.items()},
    )
    events = Events(
        person=with_outcome,
        committed=np.array([outcome[i] for i in with_outcome], dtype="datetime64[D]"),
        kind=np.array([kind[i] for i in with_outcome], dtype="U12"),
        # Re-engagement and recall are "proven" when they are recorded: the outcome's own date if none given.
        proven=np.array(
            [proven[i] or (outcome[i] if kind[i] in SELF_PROVEN else "NaT") for i in with_outcome],
            dtype="datetime64[D]",
        ),
    )
    return Extract(cohort, events, len(people))
