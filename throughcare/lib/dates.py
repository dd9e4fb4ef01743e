from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    """The public holidays of a country (and subdivision) in a year; none where no country is set."""
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


SATURDAY_SUNDAY = frozenset({6, 7})


def is_working_day(
    day: date, *, country: str = "", subdivision: str = "", weekend: frozenset[int] = SATURDAY_SUNDAY
) -> bool:
    """Not a weekend day (ISO: 1 Monday … 7 Sunday) and not a public holiday of the country."""
    return day.isoweekday() not in weekend and day not in public_holidays(country, subdivision, day.year)


def working_days_before(
    day: date,
    days: int,
    *,
    country: str = "",
    subdivision: str = "",
    weekend: frozenset[int] = SATURDAY_SUNDAY,
) -> date:
    """`days` working days before `day`: by default Monday to Friday, less the public holidays of the
    country. A weekend of all seven days would never end: at most six are taken."""
    if len(weekend) > 6:
        weekend = SATURDAY_SUNDAY
    current = day
    while days:
        current -= timedelta(days=1)
        if is_working_day(current, country=country, subdivision=subdivision, weekend=weekend):
            days -= 1
    return current


def holiday_regions() -> dict[str, list[str]]:
    """Countries (ISO 3166-1 alpha-2) whose public holidays are known, with their subdivisions."""
    return {code: list(subdivisions) for code, subdivisions in holidays.list_supported_countries().items()}


def midday(day: date) -> datetime:
    """A day as a moment (its midday, local time): to order dated facts among timed ones."""
    return timezone.make_aware(datetime.combine(day, time(12)))
