"""Needs attention kept ahead (`workspace.kept`) shows exactly what computing it live shows: for every
person of the demo world, both lists, several days, and after changes written every way there is."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases.contributions import AttentionItem
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.conferences.models import ActionItem, Conference
from throughcare.custody.models import HandoverItem, Sentence
from throughcare.demo import snapshot
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.risk.models import IncomingInformation, ReviewDue
from throughcare.sharing.access import standing_on_case
from throughcare.test import sign_in
from throughcare.workspace import attention, kept
from throughcare.workspace.models import KeptCount, KeptDay, KeptItem, StaleCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    snapshot.load_world()


def _key(item: AttentionItem) -> tuple[Any, ...]:
    return (
        item.case.pk if item.case else 0,
        item.group,
        str(item.text),
        item.due_on or date.max,
        item.overdue,
        item.owner.pk if item.owner else 0,
        item.url,
        item.anchor,
    )


def _same(user: User, day: date, scope: str) -> None:
    shown = attention.needs_attention(user, day, scope=scope)
    live = attention.computed(user, day, scope=scope)
    assert sorted(map(_key, shown)) == sorted(map(_key, live)), (user.username, scope, day)
    assert [item.sort_key for item in shown] == sorted(item.sort_key for item in shown)


def _kept_for(days: int) -> date:
    """Today plus `days`, for which every case's items are kept (as after that day's run)."""
    day = timezone.localdate() + timedelta(days=days)
    kept.rebuild(day)
    assert kept.refresh(day)
    return day


def _everyone() -> list[User]:
    return list(User.objects.filter(is_active=True).order_by("username"))


def test_the_demo_world_is_kept_for_the_day_it_was_built(demo: None) -> None:
    today = timezone.localdate()
    assert KeptDay.objects.get().day == today
    assert KeptItem.objects.exists()
    assert not StaleCase.objects.exists()
    assert kept.refresh(today)


@pytest.mark.parametrize("days", [0, 12, -20])
def test_every_case_overview_of_every_person_is_what_computing_it_shows(demo: None, days: int) -> None:
    day = _kept_for(days)
    shown = 0
    for user in _everyone():
        for case in Case.objects.visible_to(user).exclude(phase=Phase.CLOSED).order_by("pk"):
            standing = standing_on_case(user, case)
            assert kept.current_for(case.pk, day)
            from_kept = attention.for_case(user, case, standing, day)
            live = attention.computed_for_case(user, case, standing, day)
            assert list(map(_key, from_kept)) == list(map(_key, live)), (user.username, case.reference, day)
            shown += len(from_kept)
    assert shown > 0


def test_a_changed_case_overview_is_computed_until_it_is_kept_again(demo: None) -> None:
    today = timezone.localdate()
    case = Case.objects.exclude(phase=Phase.CLOSED).order_by("pk").first()
    assert case is not None and kept.current_for(case.pk, today)
    StaleCase.objects.create(case_id=case.pk)  # as the triggers mark a change
    assert not kept.current_for(case.pk, today)
    assert not kept.current_for(case.pk, today + timedelta(days=1))


@pytest.mark.parametrize("days", [0, 12, -20])
def test_every_list_of_every_person_is_what_computing_it_shows(demo: None, days: int) -> None:
    day = _kept_for(days)
    shown = 0
    for user in _everyone():
        for scope in ("mine", "agency"):
            _same(user, day, scope)
        shown += len(attention.needs_attention(user, day, scope="agency"))
    assert shown > 0


def _summary(summary: attention.Overdue) -> tuple[Any, ...]:
    """The figures, and the oldest items' days (items due the same day may come in either order)."""
    owners = [(owner.pk if owner else 0, n) for owner, n in summary.by_owner]
    return summary.total, owners, summary.by_kind, [item.sort_key for item in summary.oldest]


@pytest.mark.parametrize("days", [0, 30])
def test_the_overdue_work_counted_where_it_is_kept_is_what_computing_it_counts(demo: None, days: int) -> None:
    """A manager's home counts the agencies' overdue items by owner and by kind in the database: the
    same figures, owners (the case lead where an item names none) and oldest items as computing them."""
    day = timezone.localdate() + timedelta(days=days)
    kept.rebuild(day)
    counted = 0
    for user in _everyone():
        for scope in ("mine", "agency"):
            shown = attention.overdue(user, day, scope)
            KeptDay.objects.update(day=day - timedelta(days=1))  # not kept for the day: computed
            live = attention.overdue(user, day, scope)
            KeptDay.objects.update(day=day)
            assert _summary(shown) == _summary(live), (user.username, scope)
            everything = {_key(item) for item in attention.computed(user, day, scope=scope) if item.overdue}
            assert {_key(item) for item in shown.oldest} <= everything
            assert shown.total == sum(n for _, n in shown.by_owner) == sum(n for _, n in shown.by_kind)
            counted += shown.total
    assert counted > 0


@pytest.mark.parametrize("days", [0, 30, -20])
def test_the_weeks_of_a_managers_chart_kept_are_what_counting_them_shows(demo: None, days: int) -> None:
    """The chart of a manager's home (how many items were overdue at the start of each of the last weeks)
    read from the counts kept with the items: the same weeks as counting the rows, for every person."""
    day = _kept_for(days)
    counted = 0
    for user in _everyone():
        shown = attention.overdue_weeks(user, day, kept_today=True)
        assert shown == attention.overdue_weeks(user, day, kept_today=False), user.username
        counted += sum(week.overdue for week in shown)
    assert counted > 0
    assert KeptCount.objects.exists()


def test_a_conference_action_moved_marks_its_case_and_the_chart_follows(demo: None) -> None:
    """Conference actions are counted on the chart: a change of their dates marks their case (however it
    is written), and the next view counts it again; escalating one changes no count and marks nothing."""
    today = timezone.localdate()
    manager = User.objects.get(username="probation.manager")
    on_chart = ActionItem.objects.visible_to(manager).exclude(item__case__phase=Phase.CLOSED)
    since = today - timedelta(weeks=5)
    action = (
        on_chart.filter(Q(done_at__isnull=False) | Q(due_on__gt=since)).select_related("item__case").first()
    )
    assert action is not None
    before = attention.overdue_weeks(manager, today, kept_today=True)
    ActionItem.objects.filter(pk=action.pk).update(escalated_at=timezone.now())
    assert not StaleCase.objects.exists()
    ActionItem.objects.filter(pk=action.pk).update(due_on=since, done_at=None)
    assert list(StaleCase.objects.values_list("case_id", flat=True)) == [action.item.case_id]
    assert kept.refresh(today)
    after = attention.overdue_weeks(manager, today, kept_today=True)
    assert after == attention.overdue_weeks(manager, today, kept_today=False)
    assert after != before  # overdue since five weeks ago


def test_a_list_of_another_day_is_computed(demo: None) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert not kept.refresh(tomorrow)
    officer = User.objects.get(username="probation.officer")
    assert attention.needs_attention(officer, tomorrow) == attention.computed(officer, tomorrow)


def _lists_follow(today: date, *cases: Case) -> None:
    stale = set(StaleCase.objects.values_list("case_id", flat=True))
    assert {case.pk for case in cases} <= stale
    working = CaseTeamMember.objects.filter(case__in=cases).values("user")
    for user in User.objects.filter(pk__in=working) | User.objects.filter(username__endswith=".manager"):
        for scope in ("mine", "agency"):
            _same(user, today, scope)
    assert not StaleCase.objects.exists()  # the first list computed them again


def test_changes_written_any_way_mark_their_cases_and_the_lists_follow(demo: None) -> None:
    today = timezone.localdate()
    item = HandoverItem.objects.filter(done_at__isnull=True).select_related("handover__case").first()
    assert item is not None
    HandoverItem.objects.filter(pk=item.pk).update(done_at=timezone.now())  # a bulk update: no signals
    _lists_follow(today, item.handover.case)

    due = ReviewDue.objects.filter(done_at__isnull=True).select_related("case").first()
    assert due is not None
    due.due_on = today - timedelta(days=3)
    due.save()
    _lists_follow(today, due.case)

    info = IncomingInformation.objects.filter(acknowledged_at__isnull=True).select_related("case").first()
    if info is not None:
        info.delete()
        _lists_follow(today, info.case)


def test_a_new_lead_moves_the_items_that_are_the_leads(demo: None) -> None:
    today = timezone.localdate()
    place = CaseTeamMember.objects.active().filter(responsibility="lead").select_related("case").first()
    assert place is not None
    CaseTeamMember.objects.filter(pk=place.pk).update(responsibility="support")
    _lists_follow(today, place.case)


def test_a_conference_and_a_profile_reach_their_cases(demo: None) -> None:
    today = timezone.localdate()
    conference = Conference.objects.filter(items__isnull=False).first()
    assert conference is not None
    cases = list(Case.objects.filter(agenda_items__conference=conference))
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.CANCELLED)
    _lists_follow(today, *cases)

    sentence = Sentence.objects.select_related("profile", "case").first()
    assert sentence is not None
    JurisdictionProfile.objects.filter(pk=sentence.profile_id).update(licence_ready_working_days=25)
    _lists_follow(today, sentence.case)


def test_a_note_on_a_case_does_not_mark_it_but_a_new_phase_does(demo: None) -> None:
    """Every note touches its case's last activity, which no item is computed from."""
    case = Case.objects.filter(phase=Phase.CUSTODY).first()
    assert case is not None
    StaleCase.objects.all().delete()
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now(), version=case.version + 1)
    assert not StaleCase.objects.exists()
    Case.objects.filter(pk=case.pk).update(phase=Phase.RELEASE_PLANNING)
    assert list(StaleCase.objects.values_list("case_id", flat=True)) == [case.pk]


def test_too_many_stale_cases_are_not_waited_for_but_drain(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = timezone.localdate()
    monkeypatch.setattr(kept, "WAIT_FOR", 2)
    open_cases = Case.objects.exclude(phase=Phase.CLOSED)
    CaseTeamMember.objects.filter(case__in=open_cases).update(user=F("user"))  # an import rewriting teams
    stale = StaleCase.objects.count()
    assert stale > 4
    assert not kept.refresh(today)  # two computed again; the list is computed live
    assert StaleCase.objects.count() == stale - 2
    officer = User.objects.get(username="probation.officer")
    _same(officer, today, "mine")
    while not kept.refresh(today):  # the marks drain as lists are shown
        pass
    assert not StaleCase.objects.exists()
    _same(officer, today, "mine")


@pytest.mark.parametrize(
    ("username", "scope"), [("probation.manager", "agency"), ("probation.officer", "mine")]
)
def test_the_page_of_a_list_is_read_a_page_at_a_time(
    demo: None, settings: Any, username: str, scope: str
) -> None:
    """Every item once, across the pages, overdue first: the same as the list computed live. A whole
    agency's list reads a page of rows at a time; one's own is read whole, in one query of kept items."""
    settings.ATTENTION_PAGE_SIZE = 4
    manager = User.objects.get(username=username)
    today = timezone.localdate()
    client = Client()
    sign_in(client, manager)
    shown: list[AttentionItem] = []
    number = 1
    while True:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("cases:needs_attention"), {"scope": scope, "page": str(number)})
        assert response.status_code == 200
        reads = [q for q in captured.captured_queries if 'FROM "workspace_keptitem"' in q["sql"]]
        assert len(reads) == (1 if scope == "mine" else 2)
        shown += response.context["items"]
        if not response.context["page"].has_next():
            break
        number += 1
    assert number > 1
    live = attention.computed(manager, today, scope=scope)
    assert sorted(map(_key, shown)) == sorted(map(_key, live))
    assert [item.sort_key for item in shown] == sorted(item.sort_key for item in shown)
    assert response.context["total"] == len(live)
    assert response.context["overdue"] == sum(1 for item in live if item.overdue)


def test_every_feed_has_a_trigger(db: None) -> None:
    from throughcare.cases.contributions import attention_feeds

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    for model, path, _ in attention_feeds():
        assert any(name.startswith(kept._name(model, path)) for name in names), (model, path)


def test_every_kind_of_dated_work_marks_its_case_when_its_dates_change() -> None:
    """The chart's weeks are kept: each deadline's rows must be a feed, with its due and done fields and
    its way to the case read (a kind of work added without one would leave the chart behind its rows)."""
    from throughcare.cases.contributions import attention_feeds, deadlines

    feeds: dict[tuple[object, str], tuple[str, ...]] = {
        (feed.model, feed.path): feed.ignoring for feed in attention_feeds()
    }
    for deadline in deadlines():
        model = deadline.model
        ignoring = feeds.get((model, model.case_path))
        assert ignoring is not None, f"{model.__name__} is dated work but not a feed"
        read = {deadline.due, deadline.done, model.case_path.split("__")[0]}
        assert not read & set(ignoring), (model.__name__, ignoring)


def test_an_empty_list_is_a_page_saying_so(demo: None) -> None:
    analyst = User.objects.get(username="analyst")
    client = Client()
    sign_in(client, analyst)
    response = client.get(reverse("cases:needs_attention"), {"page": "3"})
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_the_daily_run_keeps_the_day_last(demo: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    tomorrow = timezone.localdate() + timedelta(days=1)
    out = StringIO()
    call_command("daily_run", date=tomorrow.isoformat(), stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith(f"Needs attention kept for {tomorrow}:")
    assert KeptDay.objects.get().day == tomorrow
    assert kept.refresh(tomorrow)
    manager = User.objects.get(username="probation.manager")
    _same(manager, tomorrow, "agency")
