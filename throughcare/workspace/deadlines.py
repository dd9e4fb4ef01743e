"""Deadlines across capabilities, counted over time: how many were overdue on each of the last weeks.

Each capability declares its dated work once (`cases.contributions.Deadline`); the counts come from the
rows' own due and done dates, so the history is what happened, not a snapshot someone had to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from throughcare.cases.contributions import AttentionScope, Deadline, deadlines

WEEKS = 8


@dataclass(frozen=True)
class Week:
    day: date  # the counts are as at the start of this day
    overdue: int


def overdue_history(scope: AttentionScope, weeks: int = WEEKS) -> list[Week]:
    """Overdue items in scope at the start of today and of the same weekday in each of the weeks before:
    due before that day and not done before it. One query per kind of deadline."""
    days = [scope.today - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(days, 0)
    for deadline in deadlines():
        rows = scope.rows(deadline.model, among_cases=deadline.among_cases)
        counts = rows.aggregate(
            **{f"d{i}": Count("pk", filter=_overdue_at(deadline, day)) for i, day in enumerate(days)}
        )
        for i, day in enumerate(days):
            totals[day] += counts[f"d{i}"] or 0
    return [Week(day, totals[day]) for day in days]


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
