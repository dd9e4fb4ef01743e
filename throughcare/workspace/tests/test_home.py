"""Each role lands on a home that starts their day: what a practitioner, a manager, a panel chair, the data
protection officer, an analyst and an administrator see first after signing in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import Membership
from throughcare.audit.models import AuditEvent, Operation
from throughcare.conferences.models import Conference, ConferenceKind, RiskRequest
from throughcare.rights.models import SubjectAccessRequest
from throughcare.risk.models import ReviewDue
from throughcare.test import PASSWORD, Cast

TODAY = date(2026, 12, 1)


def _only_review(cast: Cast, due_on: date, done_on: date | None = None) -> ReviewDue:
    """The case's review schedule replaced by one review, due (and perhaps done) on the given days."""
    ReviewDue.objects.filter(case=cast.case).delete()
    done_at = timezone.make_aware(datetime.combine(done_on, time.min)) if done_on else None
    return ReviewDue.objects.create(
        case=cast.case, kind=ReviewDue.Kind.PLAN, due_on=due_on, reason="scheduled", done_at=done_at
    )


def test_signing_in_lands_on_home(cast: Cast) -> None:
    response = cast.client_for(cast.lead).get(reverse("login"))
    assert response.status_code == 302  # already signed in
    fresh = cast.client_for(cast.lead)
    fresh.logout()
    signed_in = fresh.post(reverse("login"), {"username": "lead.officer", "password": PASSWORD})
    assert signed_in["Location"] == reverse("cases:home") == "/"


@time_machine.travel(TODAY)
def test_a_practitioner_sees_todays_and_this_weeks_deadlines_then_the_caseload(cast: Cast) -> None:
    _only_review(cast, TODAY)
    page = cast.client_for(cast.lead).get("/").content.decode()
    today_part = page.split("Due today")[1].split("</table>")[0]
    assert "Ada Example" in today_part and cast.case.reference in today_part
    assert "Risk management plan review due" in today_part
    assert ">You<" in today_part  # the lead owns a review
    assert "Your caseload" in page and "Example, Ada" in page
    # Later work is not on the home page, but in Needs attention.
    _only_review(cast, TODAY + timedelta(days=20))
    page = cast.client_for(cast.lead).get("/").content.decode()
    assert "Nothing is due on your cases today or in the next seven days." in page


@time_machine.travel(TODAY)
def test_a_manager_sees_the_agencies_overdue_work_by_officer_and_kind_and_over_the_weeks(cast: Cast) -> None:
    # Due three weeks ago, done a week ago: overdue at the start of the two weeks in between.
    _only_review(cast, TODAY - timedelta(days=21), done_on=TODAY - timedelta(days=7))
    ReviewDue.objects.create(
        case=cast.case, kind=ReviewDue.Kind.ASSESSMENT, due_on=TODAY - timedelta(days=3), reason="scheduled"
    )
    response = cast.client_for(cast.manager).get("/")
    page = response.content.decode()
    assert "1</strong> item overdue in your agencies" in page
    part = response.context["parts"][0]
    assert part.kind == "manager"
    assert [(str(owner), n) for owner, n in part.context["by_owner"]] == [("Lead Officer", 1)]
    assert part.context["by_kind"] == [("Risk", 1)]
    weeks = {w.day: w.overdue for w in part.context["weeks"]}
    assert weeks[TODAY] == 1  # the assessment review
    assert weeks[TODAY - timedelta(weeks=1)] == 1  # the plan review, done later that day
    assert weeks[TODAY - timedelta(weeks=2)] == 1
    assert weeks[TODAY - timedelta(weeks=3)] == 0  # not yet due
    assert "<svg" in page and "Overdue items at the start of each week" in page


@time_machine.travel(TODAY)
def test_a_panel_chair_sees_their_conferences_and_the_requests_waiting_for_a_decision(cast: Cast) -> None:
    Membership.objects.filter(user=cast.lead).update(may_chair_conferences=True)
    Conference.objects.create(
        kind=ConferenceKind.PANEL_2, held_on=TODAY + timedelta(days=10), chair=cast.lead, created_by=cast.lead
    )
    RiskRequest.objects.create(
        case=cast.case,
        kind=RiskRequest.Kind.TRAVEL,
        details="A wedding",
        starts_on=TODAY + timedelta(days=30),
        requested_by=cast.lead,
    )
    response = cast.client_for(cast.lead).get("/")
    page = response.content.decode()
    assert [p.kind for p in response.context["parts"]] == ["chair", "practitioner"]
    assert "11 December 2026" in page.split("Coming up")[1].split("</ul>")[0]
    requests = page.split("Requests waiting for a decision")[1].split("</ul>")[0]
    assert "Travel: Ada Example" in requests and "not on an agenda yet" in requests


@time_machine.travel(TODAY)
def test_the_data_protection_officer_sees_requests_against_their_time_limit(cast: Cast) -> None:
    SubjectAccessRequest.objects.create(
        person=cast.case.person, received_on=date(2026, 10, 20), how_received="letter", opened_by=cast.auditor
    )
    SubjectAccessRequest.objects.create(
        person=cast.case.person, received_on=date(2026, 11, 25), how_received="email", opened_by=cast.auditor
    )
    page = cast.client_for(cast.auditor).get("/").content.decode()
    table = page.split("Subject access requests to answer")[1].split("</table>")[0]
    late, on_time = table.split('<tr class="govuk-table__row">')[2:4]
    assert "20 Nov 2026" in late and "Overdue" in late  # one month after 20 October
    assert "25 Dec 2026" in on_time and "Overdue" not in on_time
    assert "No break-glass access waits for review." in page
    assert "Caseload" not in page.split("<main")[0].split('id="navigation"')[1]  # no case work in the menu


def test_an_analyst_sees_the_reference_data_and_no_case(cast: Cast) -> None:
    page = cast.client_for(cast.analyst).get("/").content.decode()
    assert "Who may hold which data" in page and "The programme catalogue" in page
    assert cast.case.reference not in page and "Example" not in page


def test_an_administrator_lands_on_the_administration_entry_points(cast: Cast) -> None:
    cast.stranger.is_staff = cast.stranger.is_superuser = True
    cast.stranger.save()
    Membership.objects.filter(user=cast.stranger).update(role="admin")
    page = cast.client_for(cast.stranger).get("/").content.decode()
    assert reverse("admin:jurisdictions_jurisdictionprofile_changelist") in page


@time_machine.travel(TODAY)
def test_what_a_home_names_is_logged_as_consulted(cast: Cast) -> None:
    _only_review(cast, TODAY)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    cast.client_for(cast.lead).get("/")
    shown = AuditEvent.objects.filter(pk__gt=before, operation=Operation.CONSULTATION, case_id=cast.case.pk)
    assert {e.object_type for e in shown} >= {"cases.case", "people.person"}
