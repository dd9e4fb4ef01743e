"""The daily run: what each capability does once a day (recompute, schedule, escalate), registered at
start-up.

Each app registers its jobs in its `AppConfig.ready`; `manage.py daily_run` runs them in order, each in its
own transaction, and prints what each did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class DailyJob:
    order: int
    report: str  # what it did, formatted with {today} and {count}, e.g. "Risk reviews scheduled: {count}."
    run: Callable[[date], int]  # as of the day; returns how many things it changed


_jobs: dict[str, DailyJob] = {}


def register_daily(key: str, job: DailyJob) -> None:
    _jobs[key] = job


def daily_jobs() -> list[DailyJob]:
    return sorted(_jobs.values(), key=lambda j: j.order)


def moment_of(day: date) -> datetime:
    """The run's "now" on `day`: this time of day, on that day (today: exactly now). A job that compares
    moments, not days, uses it so that `daily_run --date` moves it like every other job."""
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.combine(day, now.time().replace(tzinfo=None)))


RUN_LOCK = 7_2026_1204  # the advisory lock key of the daily run (any fixed number, the same everywhere)


@contextmanager
def one_run_at_a_time() -> Iterator[bool]:
    """True while this process is the only daily run: on PostgreSQL a session advisory lock, so that the
    run may be scheduled on several machines and only one does the work (no double escalation). SQLite
    serves one machine."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])
