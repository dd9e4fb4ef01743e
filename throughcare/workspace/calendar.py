"""A user's calendar: their cases' appointments, their conferences and their deadlines, by month or as an
agenda, and the same as a private iCalendar feed for the calendar app they already use.

What is on it is read through the gate (rows `visible_to` the user). The feed leaves the building — it is
read by a calendar app — so it carries no case content: the kind of event and the case reference only.
Each read of the feed is logged as a disclosure to the user's calendar.
"""

from __future__ import annotations

import calendar as monthly
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from throughcare.accounts.models import CalendarFeed, User
from throughcare.audit.log import record, record_consultation
from throughcare.audit.models import Operation
from throughcare.cases.contributions import deadlines
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.conferences.access import conferences_for
from throughcare.conferences.models import Conference
from throughcare.lib.http import AuthedRequest
from throughcare.lib.wording import english, label_of
from throughcare.rehab.models import Appointment
from throughcare.workspace.deadlines import is_moment

AGENDA_DAYS = 28
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 30, 180


@dataclass(frozen=True)
class Entry:
    day: date
    at: time | None  # None: all day (a deadline)
    kind: str  # "Risk review", "Appointment", "Release conference" …
    detail: str  # shown on the page only, never in the feed
    reference: str  # the case reference ("" for a conference of several cases)
    link: str
    uid: str  # stable across reads of the feed
    case_id: int | None = None
    overdue: bool = False

    @property
    def summary(self) -> str:
        """What the feed says: the kind of event and the case reference, nothing else."""
        kind = gettext(self.kind)  # kept in English, read in the reader's language
        return f"{kind} · {self.reference}" if self.reference else kind


def entries(user: User, start: date, end: date, today: date) -> list[Entry]:
    """Everything on the user's calendar from `start` to `end` (inclusive), by day and time."""
    found = (
        _deadlines(user, start, end, today) + _appointments(user, start, end) + _conferences(user, start, end)
    )
    return sorted(found, key=lambda e: (e.day, e.at or time.min, e.kind, e.reference))


def _deadlines(user: User, start: date, end: date, today: date) -> list[Entry]:
    """Work not yet done that is due in the range: the user's own where the work has an owner, otherwise
    on the cases they lead."""
    found = []
    for deadline in deadlines():
        path = deadline.model.case_path
        leads = Exists(
            CaseTeamMember.objects.active().filter(
                case=OuterRef(path), user=user, responsibility=CaseTeamMember.Responsibility.LEAD
            )
        )
        mine = (
            (Q(**{deadline.owner: user}) | Q(**{f"{deadline.owner}__isnull": True}) & leads)
            if deadline.owner
            else leads
        )
        due, model = deadline.due, deadline.model
        moment = is_moment(model, due)
        window = {f"{due}__date__range": (start, end)} if moment else {f"{due}__range": (start, end)}
        rows = (
            model.objects.visible_to(user)  # type: ignore[attr-defined]
            .filter(mine, **window, **{f"{deadline.done}__isnull": True})
            .values("pk", due, case_pk=F(path), reference=F(f"{path}__reference"))
        )
        for row in rows:
            when = row[due]
            day = timezone.localdate(when) if moment else when
            found.append(
                Entry(
                    day,
                    None,
                    deadline.title,
                    "",
                    row["reference"],
                    reverse("cases:detail", args=[row["case_pk"]]),
                    f"{deadline.key}-{row['pk']}@throughcare",
                    row["case_pk"],
                    overdue=day < today,
                )
            )
    return found


def _appointments(user: User, start: date, end: date) -> list[Entry]:
    on_my_cases = Case.objects.on_caseload_of(user)
    rows = (
        Appointment.objects.visible_to(user)
        .filter(case__in=on_my_cases, starts_at__date__range=(start, end))
        .select_related("case")
    )
    return [
        Entry(
            timezone.localdate(a.starts_at),
            timezone.localtime(a.starts_at).time(),
            gettext_noop("Appointment"),
            f"{a.purpose} — {a.with_whom}, {a.place}",
            a.case.reference,
            reverse("cases:own_plan", args=[a.case_id]),
            f"appointment-{a.pk}@throughcare",
            a.case_id,
        )
        for a in rows
    ]


def _conferences(user: User, start: date, end: date) -> list[Entry]:
    rows = (
        conferences_for(user)
        .filter(held_on__range=(start, end))
        .exclude(status=Conference.Status.CANCELLED)
        .select_related("chair")
    )
    return [
        Entry(
            c.held_on,
            c.starts_at,
            english(label_of(c, "kind")),  # translated where it is shown, like the other kinds
            _chaired(c, user),
            "",
            reverse("conferences:detail", args=[c.pk]),
            f"conference-{c.pk}@throughcare",
        )
        for c in rows
    ]


def _chaired(conference: Conference, user: User) -> str:
    if conference.chair_id == user.pk:
        said = gettext("you chair it, %(place)s") if conference.place else gettext("you chair it")
    else:
        said = (
            gettext("chaired by %(chair)s, %(place)s")
            if conference.place
            else gettext("chaired by %(chair)s")
        )
    return said % {"chair": conference.chair, "place": conference.place}


# The page ---------------------------------------------------------------------------------------------


@require_GET
def calendar_page(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    view = "agenda" if request.GET.get("view") == "agenda" else "month"
    first = _month(request.GET.get("month", ""), today)
    if view == "agenda":
        start, end = today, today + timedelta(days=AGENDA_DAYS - 1)
    else:
        weeks = monthly.Calendar().monthdatescalendar(first.year, first.month)
        start, end = weeks[0][0], weeks[-1][-1]
    found = entries(request.user, start, end, today)
    by_day: dict[date, list[Entry]] = {}
    for entry in found:
        by_day.setdefault(entry.day, []).append(entry)
    _log_shown(request.user, found, channel="calendar")
    context: dict[str, Any] = {"view": view, "today": today, "first": first, "count": len(found)}
    if view == "agenda":
        context["days"] = sorted(by_day.items())
    else:
        context["weeks"] = [[(day, by_day.get(day, [])) for day in week] for week in weeks]
        context["previous"] = (first - timedelta(days=1)).replace(day=1)
        context["next"] = (first + timedelta(days=32)).replace(day=1)
    context["feed"] = CalendarFeed.objects.filter(user=request.user).first()
    context["feed_url"] = request.session.pop("new_feed_url", "")
    return render(request, "workspace/calendar.html", context)


def _month(value: str, today: date) -> date:
    """`2026-12` → 1 December 2026; anything else (or a year out of range) → this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def _log_shown(user: User, found: list[Entry], *, channel: str) -> None:
    """The page is a consultation of each case it lists; the feed a disclosure to the user's calendar app,
    logged once per read with the cases it names (calendar apps read feeds every hour or so)."""
    cases = sorted({e.case_id for e in found if e.case_id is not None})
    if channel == "calendar":
        record_consultation(
            by=user,
            agency=user.primary_agency(),
            object_type="cases.case",
            shown={pk: [pk] for pk in cases},
            justification="my calendar",
            channel=channel,
        )
        return
    with transaction.atomic():
        record(
            Operation.DISCLOSURE,
            user,
            by=user,
            agency=user.primary_agency(),
            justification="my calendar feed",
            recipients=[f"calendar app of {user}"],
            details={"channel": channel, "cases": cases[:500], "entries": len(found)},
        )


@require_POST
def new_feed(request: AuthedRequest) -> HttpResponse:
    """Make (or replace) the user's feed address. The secret is shown once; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=request.user, defaults={"token_hash": _hash(token), "last_read_at": None}
        )
        record(
            Operation.ALTERATION, request.user, by=request.user, justification="calendar feed address made"
        )
    request.session["new_feed_url"] = request.build_absolute_uri(reverse("cases:calendar_feed", args=[token]))
    messages.success(
        request, gettext("Your calendar feed address is ready. Copy it now: it is shown only once.")
    )
    return redirect(reverse("cases:calendar") + "#feed")


@require_POST
def stop_feed(request: AuthedRequest) -> HttpResponse:
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(user=request.user).delete()
        if deleted:
            record(Operation.ALTERATION, request.user, by=request.user, justification="calendar feed stopped")
    messages.success(request, gettext("Your calendar feed is stopped. Its address no longer works."))
    return redirect(reverse("cases:calendar") + "#feed")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: no session, the secret in the address. An unknown secret is simply not found."""
    subscription = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404("Not found")
    user = subscription.user
    today = timezone.localdate()
    found = entries(
        user, today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS), today
    )
    _log_shown(user, found, channel="calendar feed")
    CalendarFeed.objects.filter(pk=subscription.pk).update(last_read_at=timezone.now())
    response = HttpResponse(_ics(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="throughcare.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _ics(found: list[Entry]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Throughcare//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Throughcare")
    zone = timezone.get_current_timezone()
    stamp = timezone.now()
    for entry in found:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        if entry.at is None:
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + timedelta(days=1))
        else:
            begins = datetime.combine(entry.day, entry.at, tzinfo=zone)
            event.add("dtstart", begins)
            event.add("dtend", begins + timedelta(hours=1))
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics
