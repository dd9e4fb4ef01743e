from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_date(value: str, name: str, *, field: str | None = None, past: bool = False) -> date:
    """A date typed in a form (ISO, as date inputs send it), or a refusal naming the field in words.
    `past`: the date cannot be after today (something that has happened)."""
    from django.utils import timezone

    from throughcare.lib.errors import ActionRefused

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ActionRefused(f"Enter the {name} as a real date, e.g. 2027-03-01", field=field) from None
    if past and day > timezone.localdate():
        raise ActionRefused(f"The {name} cannot be in the future", field=field)
    return day


def parse_optional_date(value: str, name: str, *, field: str | None = None) -> date | None:
    return parse_date(value, name, field=field) if value.strip() else None
