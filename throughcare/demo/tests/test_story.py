"""The demo world tells one story, in order, at whatever date it is loaded: nothing in it happened at the
moment it was loaded, nothing after its present day began, and what depends on what happened in that order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from throughcare.audit.models import AuditEvent
from throughcare.cases.models import Case, TimelineEntry
from throughcare.conferences.models import Decision
from throughcare.custody.models import CaseCondition, Sentence
from throughcare.demo import world
from throughcare.demo.story import Story, StoryOutOfOrder, Thread
from throughcare.test import texts

pytestmark = pytest.mark.django_db

LOADED = datetime(2026, 7, 15, 15, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # an afternoon in summer
PRESENT = LOADED.replace(hour=0, minute=0)  # the world's present: the start of that day


@pytest.fixture(scope="module")
def told(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One world for the module's tests, loaded on a summer afternoon, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(LOADED, tick=False):
            world.load("pw-one-two-three")
        yield
        transaction.set_rollback(True)


ENDS = {"sharing.BreakGlass.expires_at", "sharing.SharingAgreement.valid_until"}  # may lie ahead


def _datetime_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Every moment something happened: each date-time field of ours but those that say when a thing ends."""
    for model in apps.get_models():
        if model.__module__.startswith("throughcare."):
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.DateTimeField)
                    and f"{model._meta.label}.{field.name}" not in ENDS
                ):
                    yield model, field.name


def test_nothing_happened_after_the_worlds_present_began(told: None) -> None:
    late = {
        f"{model._meta.label}.{name}": model._default_manager.filter(**{f"{name}__gt": PRESENT}).count()
        for model, name in _datetime_fields()
    }
    assert {where: count for where, count in late.items() if count} == {}


def test_the_story_is_spread_over_years_not_piled_on_one_day(told: None) -> None:
    days = {timezone.localdate(at) for at in TimelineEntry.objects.values_list("recorded_at", flat=True)}
    assert len(days) > 500
    per_day = Counter(
        timezone.localdate(at) for at in TimelineEntry.objects.values_list("recorded_at", flat=True)
    )
    assert max(per_day.values()) < 60


def test_the_audit_log_is_in_the_order_things_happened(told: None) -> None:
    moments = list(AuditEvent.objects.order_by("seq").values_list("occurred_at", flat=True))
    assert moments == sorted(moments)


def test_every_entry_is_recorded_after_it_happened_and_after_its_case_opened(told: None) -> None:
    for case in Case.objects.all():
        entries = TimelineEntry.objects.filter(case=case)
        assert not entries.filter(occurred_at__lt=case.opened_at - timedelta(seconds=1)).exists(), case
        assert all(e.recorded_at >= e.occurred_at for e in entries), case


def test_conditions_are_ordered_after_they_were_recommended_and_before_release(told: None) -> None:
    ordered = CaseCondition.objects.filter(ordered_on__isnull=False).select_related("case")
    assert ordered.exists()
    for condition in ordered:
        assert condition.recommended_on is not None and condition.recommended_on <= condition.ordered_on
        release = Sentence.objects.get(case=condition.case).release_date
        assert release is not None and condition.ordered_on <= release


def test_a_conference_decides_on_the_day_it_is_held(told: None) -> None:
    decisions = Decision.objects.select_related("item__conference")
    assert decisions.exists()
    for decision in decisions:
        assert timezone.localdate(decision.decided_at) == decision.item.conference.held_on


def test_a_case_had_its_phase_of_the_time_when_its_sentence_was_recorded(told: None) -> None:
    recorded = [t for t in texts(TimelineEntry.objects.all()) if t.startswith("Sentence recorded:")]
    assert len(recorded) == Case.objects.count()
    assert not any("Released: probation is responsible" in t for t in recorded)


def test_a_case_last_activity_is_its_latest_entry(told: None) -> None:
    for case in Case.objects.all()[:20]:
        latest = TimelineEntry.objects.filter(case=case).order_by("-occurred_at").first()
        assert latest is not None and case.last_activity_at == latest.occurred_at


class TestTheStory:
    def test_it_tells_the_steps_of_all_threads_in_the_order_they_happened(self) -> None:
        told: list[tuple[str, datetime]] = []
        start = datetime(2026, 1, 1, 9, tzinfo=ZoneInfo("Europe/Brussels"))

        def thread(name: str, *hours: int) -> Thread:
            for hour in hours:
                yield start + timedelta(hours=hour)
                told.append((name, timezone.now()))

        story = Story(present=start + timedelta(days=1))
        story.add(thread("a", 1, 5, 9))
        story.add(thread("b", 2, 3, 10))
        story.tell()
        assert [name for name, _ in told] == ["a", "b", "b", "a", "a", "b"]
        assert [at.hour for _, at in told] == [9, 10, 11, 13, 17, 18]  # UTC+1: the clock was each step's

    def test_it_refuses_a_step_before_the_one_already_told(self) -> None:
        start = datetime(2026, 1, 1, 9, tzinfo=ZoneInfo("Europe/Brussels"))
        story = Story(present=start + timedelta(days=1))

        def late_arrival() -> Thread:
            yield start + timedelta(hours=5)
            story.at(start + timedelta(hours=1), lambda: None)

        story.add(late_arrival())
        with pytest.raises(StoryOutOfOrder):
            story.tell()

    def test_it_refuses_a_step_after_the_present(self) -> None:
        start = datetime(2026, 1, 1, 9, tzinfo=ZoneInfo("Europe/Brussels"))
        story = Story(present=start)
        with pytest.raises(StoryOutOfOrder):
            story.at(start + timedelta(minutes=1), lambda: None)
