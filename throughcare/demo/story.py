"""The demo world told in order.

A thread of the story is a generator that yields the moment of its next step. The story runs the steps of
all threads in the order they happened, with the clock set to each step's moment (time-machine), so the
actions the demo calls write what users' actions write — timeline entries, audit events, notifications,
review dates — with the story's date. The audit log's sequence follows time as a real one does.

Code before a thread's first `yield` runs when the thread is added: it may read, never write.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from datetime import date, datetime, time

import time_machine
from django.utils import timezone

from throughcare.cases.models import Case, Phase

Thread = Generator[datetime, None, None]


class StoryOutOfOrder(RuntimeError):
    """A step would happen before the step already told, or after the world's present."""


class Story:
    def __init__(self, *, present: datetime) -> None:
        self.present = present
        self.now: datetime | None = None
        self._queue: list[tuple[datetime, int, Thread]] = []
        self._added = 0

    def add(self, thread: Thread) -> None:
        self._schedule(thread, next(thread, None))

    def at(self, moment: datetime, step: Callable[[], object]) -> None:
        """A thread of one step."""

        def once() -> Thread:
            yield moment
            step()

        self.add(once())

    def tell(self) -> None:
        while self._queue:
            moment, _, thread = heapq.heappop(self._queue)
            self.now = moment
            with time_machine.travel(moment, tick=False):
                following = next(thread, None)
            self._schedule(thread, following)

    def _schedule(self, thread: Thread, moment: datetime | None) -> None:
        if moment is None:
            return
        if moment > self.present:
            raise StoryOutOfOrder(f"A step at {moment:%Y-%m-%d %H:%M} is after the present ({self.present})")
        if self.now is not None and moment < self.now:
            raise StoryOutOfOrder(f"A step at {moment:%Y-%m-%d %H:%M} comes after one at {self.now}")
        heapq.heappush(self._queue, (moment, self._added, thread))
        self._added += 1


def at_hour(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of the story: this time of day, local time, on that day."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def fresh(case: Case) -> Case:
    """The case as it is at this moment of the story (its phase moves as the story is told)."""
    return Case.objects.get(pk=case.pk)


def phase_started(case: Case, phase: str) -> datetime:
    return case.phase_changes.get(to_phase=phase).changed_at


def released_at(case: Case) -> datetime | None:
    change = case.phase_changes.filter(to_phase=Phase.COMMUNITY).first()
    return change.changed_at if change is not None else None
