"""A user's calendar (month and agenda) and their private iCalendar feed: appointments, conferences and
deadlines; the feed names only the kind of event and the case reference, and its address is a secret."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from throughcare.audit.models import AuditEvent, Operation
from throughcare.conferences.models import Conference, ConferenceKind
from throughcare.rehab.models import Appointment
from throughcare.risk.models import ReviewDue
from throughcare.test import Cast

TODAY = date(2026, 12, 1)


def _world(cast: Cast) -> None:
    ReviewDue.objects.filter(case=cast.case).delete()
    ReviewDue.objects.create(
        case=cast.case, kind=ReviewDue.Kind.PLAN, due_on=date(2026, 12, 9), reason="scheduled"
    )
    Appointment.objects.create(
        case=cast.case,
        starts_at=datetime(2026, 12, 3, 10, 30, tzinfo=timezone.get_current_timezone()),
        with_whom="Housing officer",
        place="Town hall, room 4",
        purpose="Sign the tenancy",
        recorded_by=cast.lead,
    )
    Conference.objects.create(
        kind=ConferenceKind.CASE, held_on=date(2026, 12, 15), chair=cast.lead, created_by=cast.lead
    )


def _feed_address(client: Client) -> str:
    response = client.post(reverse("cases:new_calendar_feed"), follow=True)
    address: str = response.context["feed_url"]
    assert address.startswith("http://testserver/calendar/feed/")
    return address.removeprefix("http://testserver")


@time_machine.travel(TODAY)
def test_the_month_shows_appointments_conferences_and_deadlines_on_their_days(cast: Cast) -> None:
    _world(cast)
    response = cast.client_for(cast.lead).get(reverse("cases:calendar"), {"month": "2026-12"})
    page = response.content.decode()
    assert "December 2026" in page
    days = {day: [e.kind for e in found] for week in response.context["weeks"] for day, found in week}
    assert days[date(2026, 12, 3)] == ["Appointment"]
    assert days[date(2026, 12, 9)] == ["Risk review"]
    assert days[date(2026, 12, 15)] == ["Case conference"]
    assert "Sign the tenancy — Housing officer" in page  # the page may say what it is about
    # Another month, and nonsense in the address, do not fail.
    assert cast.client_for(cast.lead).get(reverse("cases:calendar"), {"month": "2027-01"}).status_code == 200
    for bad in ["13-2026", "abc", "99999-01", "2026-13", "٢٠٢٦-١٢"]:
        assert cast.client_for(cast.lead).get(reverse("cases:calendar"), {"month": bad}).status_code == 200


@time_machine.travel(TODAY)
def test_the_agenda_lists_the_next_four_weeks_by_day(cast: Cast) -> None:
    _world(cast)
    response = cast.client_for(cast.lead).get(reverse("cases:calendar"), {"view": "agenda"})
    assert [day for day, _ in response.context["days"]] == [
        date(2026, 12, 3),
        date(2026, 12, 9),
        date(2026, 12, 15),
    ]


@time_machine.travel(TODAY)
def test_someone_not_on_the_case_sees_none_of_it(cast: Cast) -> None:
    _world(cast)
    page = (
        cast.client_for(cast.stranger).get(reverse("cases:calendar"), {"month": "2026-12"}).content.decode()
    )
    assert cast.case.reference not in page and "Sign the tenancy" not in page


@time_machine.travel(TODAY)
def test_the_feed_names_the_kind_and_the_reference_only(cast: Cast) -> None:
    _world(cast)
    address = _feed_address(cast.client_for(cast.lead))
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = Client().get(address)  # a calendar app: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    reference = cast.case.reference
    assert set(events) == {f"Appointment · {reference}", f"Risk review · {reference}", "Case conference"}
    assert events[f"Risk review · {reference}"].decoded("dtstart") == date(2026, 12, 9)  # all day
    text = response.content.decode()
    assert "Example" not in text and "tenancy" not in text and "Housing" not in text
    logged = AuditEvent.objects.get(pk__gt=before, operation=Operation.DISCLOSURE)
    assert logged.details["channel"] == "calendar feed" and logged.details["cases"] == [cast.case.pk]


@time_machine.travel(TODAY)
def test_a_feed_address_is_a_secret_that_a_new_one_revokes(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    first = _feed_address(client)
    assert Client().get(first.replace(first[-8:-4], "xxxx")).status_code == 404
    second = _feed_address(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("cases:stop_calendar_feed"))
    assert Client().get(second).status_code == 404
    # The address is shown once: reloading the page does not show it again.
    assert client.get(reverse("cases:calendar")).context["feed_url"] == ""


@time_machine.travel(TODAY)
def test_a_feed_of_someone_who_left_stops(cast: Cast) -> None:
    address = _feed_address(cast.client_for(cast.lead))
    cast.lead.is_active = False
    cast.lead.save()
    assert Client().get(address).status_code == 404


def test_overdue_deadlines_stay_on_the_calendar_marked(cast: Cast) -> None:
    with time_machine.travel(TODAY):
        ReviewDue.objects.filter(case=cast.case).update(
            due_on=TODAY - timedelta(days=1)
        )  # Monday 30 November
        response = cast.client_for(cast.lead).get(reverse("cases:calendar"))
        overdue = [e for week in response.context["weeks"] for _, found in week for e in found if e.overdue]
        assert overdue and all(e.day < TODAY for e in overdue)


@time_machine.travel(TODAY)
def test_the_calendar_reads_in_its_readers_language(cast: Cast) -> None:
    """Each kind of event, and who chairs a conference, on the page and in the feed; what people wrote (an
    appointment's purpose) as written."""
    _world(cast)
    cast.lead.language = "de"
    cast.lead.save(update_fields=["language"])
    client = cast.client_for(cast.lead)
    page = client.get(reverse("cases:calendar"), {"month": "2026-12"}).content.decode()
    assert "Risikoüberprüfung" in page and "Termin" in page and "Fallkonferenz" in page
    assert "unter Ihrem Vorsitz" in page and "Sign the tenancy" in page
    assert "Risk review" not in page and "you chair it" not in page
    feed = Calendar.from_ical(client.get(_feed_address(client)).content)
    events = {str(event["summary"]) for event in feed.walk("VEVENT")}
    assert any(summary.startswith("Risikoüberprüfung · ") for summary in events)
