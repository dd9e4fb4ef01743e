"""Deadlines across capabilities, counted over time: how many were overdue on each of the last weeks.

Each capability declares its dated work once (`cases.contributions.Deadline`); the counts come from the
rows' own due and done dates, so the history is what happened, not a snapshot someone had to keep. They are
kept with Needs attention for the day (`workspace.kept`: each case's counts by category, a column a week,
counted as here) and read from there when they hold; otherwise counted from the rows, one query per kind of
work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from throughcare.cases.contributions import AttentionScope, Deadline, deadlines
from throughcare.workspace.models import KeptCount

WEEKS = KeptCount.WEEKS


@dataclass(frozen=True)
class Week:
    day: date  # the counts are as at the start of this day
    overdue: int


def days_of(today: date) -> list[date]:
    """The start of today and of the same weekday in each of the weeks before, oldest first."""
    return [today - timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]


def overdue_history(scope: AttentionScope, *, kept: bool = False) -> list[Week]:
    """Overdue items in scope at the start of today and of the same weekday in each of the weeks before:
    due before that day and not done before it. `kept`: the counts kept for `scope.today` hold (the caller
    asked `kept.refresh`), summed in one query; otherwise one query per kind of deadline."""
    days = days_of(scope.today)
    totals = dict.fromkeys(days, 0)
    if kept:
        # Work counted among open cases is kept for open cases only: the rows the user may see are
        # the scope's when it is every open case they may see; otherwise those on its cases, or past closing.
        rows = KeptCount.objects.visible_to(scope.person)
        if not scope.every_visible:
            rows = rows.filter(Q(after_closing=True) | Q(case__in=scope.cases))
        counted = [rows.aggregate(**{f"d{i}": Sum(f"weeks_ago_{WEEKS - 1 - i}") for i in range(WEEKS)})]
    else:
        counted = [
            scope.rows(deadline.model, among_cases=deadline.among_cases).aggregate(
                **_counted_on(deadline, days)
            )
            for deadline in deadlines()
        ]
    for counts in counted:
        for i, day in enumerate(days):
            totals[day] += counts[f"d{i}"] or 0
    return [Week(day, totals[day]) for day in days]


def counts_to_keep(scope: AttentionScope) -> list[KeptCount]:
    """Each case's overdue items by category on each day of the history, as `overdue_history` counts them,
    for a scope without a user (every row of its cases, its category kept for the gate to read). One query
    per kind of deadline."""
    days = days_of(scope.today)
    kept: dict[tuple[int, int, str, bool], list[int]] = {}
    for deadline in deadlines():
        model, path = deadline.model, deadline.model.case_path
        rows = scope.rows(model, among_cases=deadline.among_cases)
        keys = {"c": F(path), "p": F(f"{path}__person"), "category_of": model.category_expression()}
        for row in rows.values(**keys).annotate(**_counted_on(deadline, days)).order_by():
            key = (row["c"], row["p"], row["category_of"], not deadline.among_cases)
            counts = kept.setdefault(key, [0] * WEEKS)
            for i in range(WEEKS):
                counts[i] += row[f"d{WEEKS - 1 - i}"]  # weeks ago: the history is oldest first
    return [
        KeptCount(
            case_id=case,
            person_id=person,
            category=category,
            after_closing=after_closing,
            **{f"weeks_ago_{i}": n for i, n in enumerate(counts)},
        )
        for (case, person, category, after_closing), counts in kept.items()
        if any(counts)
    ]


def _counted_on(deadline: Deadline, days: list[date]) -> dict[str, Count]:
    return {f"d{i}": Count("pk", filter=_overdue_at(deadline, day)) for i, day in enumerate(days)}


def _overdue_at(deadline: Deadline, day: date) -> Q:
    due, done = deadline.due, deadline.done
    not_done = Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gte": _start(deadline.model, done, day)})
    return Q(**{f"{due}__lt": _start(deadline.model, due, day)}) & not_done


def _start(model: Any, field: str, day: date) -> date | datetime:
    """The start of `day` in the field's own terms: the date, or midnight where the field is a moment."""
    return timezone.make_aware(datetime.combine(day, time.min)) if is_moment(model, field) else day


def is_moment(model: Any, field: str) -> bool:
    """Whether a deadline's field is a moment (date and time) rather than a day."""
    return isinstance(model._meta.get_field(field), models.DateTimeField)
