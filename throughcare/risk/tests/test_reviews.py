"""Reviews that cannot be forgotten: schedules from the profile, events that require a review at once,
escalation when overdue — tested by travelling in time."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from throughcare.cases import actions as case_actions
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.risk import information, plans, reviews
from throughcare.risk.models import ReviewDue
from throughcare.risk.tests.test_plans import _content
from throughcare.sharing.actions import flag_intelligence
from throughcare.test import Cast, open_test_case
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db


def _open(cast: Cast, kind: str) -> list[ReviewDue]:
    return list(ReviewDue.objects.filter(case=cast.case, kind=kind, done_at__isnull=True))


def _daily() -> str:
    out = StringIO()
    call_command("daily_run", stdout=out)
    return out.getvalue()


def test_a_new_case_has_its_first_assessment_and_plan_due_within_14_days(cast: Cast) -> None:
    opened = timezone.localdate(cast.case.opened_at)
    for kind in (ReviewDue.Kind.ASSESSMENT, ReviewDue.Kind.PLAN):
        (due,) = _open(cast, kind)
        assert (due.due_on, due.reason) == (opened + timedelta(days=14), "first")
    texts = [str(i.text) for i in needs_attention(cast.lead, opened)]
    assert "Risk management plan review due (first plan)" in texts


def test_a_review_left_undone_escalates_once_to_the_leads_manager(cast: Cast) -> None:
    # The Vienna lesson: an assessment ordered and then left for ten months.
    with time_machine.travel(timezone.now() + timedelta(days=300)):
        assert "Overdue risk reviews escalated to managers: 2." in _daily()
        assert "Overdue risk reviews escalated to managers: 0." in _daily()
        today = timezone.localdate()
        items = [
            i for i in needs_attention(cast.manager, today, scope="agency") if "review due" in str(i.text)
        ]
        assert items and all(i.overdue and "escalated to managers" in str(i.text) for i in items)
    subjects = [str(n.subject) for n in Notification.objects.filter(recipient=cast.manager)]
    assert sorted(s.split(" overdue")[0] for s in subjects if "overdue" in s) == [
        "Risk assessment review",
        "Risk management plan review",
    ]


def test_a_new_plan_version_completes_every_open_plan_review_and_schedules_the_next(cast: Cast) -> None:
    reviews.require_plan_review(cast.case, by=cast.lead, reason="change", note="Moved to a new hostel")
    version = plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    done = ReviewDue.objects.filter(case=cast.case, done_by_version=version)
    assert done.count() == 2
    (next_due,) = _open(cast, ReviewDue.Kind.PLAN)
    assert next_due.due_on == timezone.localdate() + timedelta(days=90)
    assert next_due.reason == "scheduled"


def test_the_schedule_is_profile_data(cast: Cast) -> None:
    profile = JurisdictionProfile.default()
    profile.plan_review_days = 30
    profile.save()
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    (next_due,) = _open(cast, ReviewDue.Kind.PLAN)
    assert next_due.due_on == timezone.localdate() + timedelta(days=30)


def test_release_requires_a_plan_review_at_once(cast: Cast) -> None:
    case = open_test_case(cast.lead, cast.probation, "Bo", "Sample", phase="release_planning")
    case_actions.change_phase(
        case, by=cast.lead, to_phase="community", expected_version=case.version, reason="Planned move"
    )
    due = ReviewDue.objects.get(case=case, reason="phase")
    assert due.due_on == timezone.localdate() and due.kind == "plan"


def test_information_acknowledged_for_a_plan_review_requires_one(cast: Cast) -> None:
    info = information.record_information(
        cast.case,
        by=cast.police_liaison,
        source="Police of a neighbouring country",
        received_on=date(2026, 11, 26),
        reliability="B",
        credibility="2",
        category="risk",
        summary="Seen with a known recruiter",
    )
    information.acknowledge(info, by=cast.lead, decision="plan_review")
    due = ReviewDue.objects.get(case=cast.case, reason="new_information")
    assert "acknowledged by" in str(due.note) and "recruiter" not in str(due.note)


def test_the_owner_of_intelligence_requires_a_review_without_revealing_it(cast: Cast) -> None:
    flag_intelligence(cast.case, by=cast.police_liaison, owner=cast.police_liaison)
    url = reverse("risk:require_review", args=[cast.case.pk]) + "?intelligence=1"
    assert cast.client_for(cast.mentor).post(url).status_code == 404
    assert cast.client_for(cast.mentor).get(url).status_code == 404
    # First a confirmation page that says who is told what; nothing happens until it is confirmed.
    page = cast.client_for(cast.police_liaison).get(url).content.decode()
    assert "Require a plan review without revealing the intelligence?" in page
    assert "The case lead (Lead Officer) is told to review the plan" in page
    assert not ReviewDue.objects.filter(case=cast.case, reason="new_information").exists()
    response = cast.client_for(cast.police_liaison).post(url)
    assert response.status_code == 302
    due = ReviewDue.objects.get(case=cast.case, reason="new_information")
    assert (due.note, due.requested_by) == ("", cast.police_liaison)  # no trace; the flag names whom to ask
    (told,) = [
        n
        for n in Notification.objects.filter(recipient=cast.lead)
        if str(n.subject).startswith("Plan review")
    ]
    assert "ntelligence" not in str(told.body)
    entry = cast.case.timeline.get(body__contains="Intelligence held")
    assert entry.category == "intelligence"


def test_a_change_of_circumstances_must_say_what_changed(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="Say what changed"):
        reviews.require_plan_review(cast.case, by=cast.lead, reason="change", note="")
    with pytest.raises(ActionRefused, match="Only members of the case team"):
        reviews.require_plan_review(cast.case, by=cast.manager, reason="change", note="Lost his job today")
    with pytest.raises(Http404):
        reviews.require_plan_review(cast.case, by=cast.stranger, reason="change", note="Lost his job today")
    assert not ReviewDue.objects.filter(case=cast.case, reason="change").exists()


def test_completing_an_assessment_schedules_the_next_in_70_days(cast: Cast) -> None:
    from throughcare.risk import actions
    from throughcare.risk.instrument_file import load
    from throughcare.risk.tests.test_instruments import DEMO

    assessment = actions.start_assessment(cast.case, load(DEMO, by=None), by=cast.lead)
    actions.complete(assessment, by=cast.lead, judgement="medium", rationale="Stable at home, work steady.")
    (next_due,) = _open(cast, ReviewDue.Kind.ASSESSMENT)
    assert next_due.due_on == timezone.localdate() + timedelta(days=70)


def test_a_changed_profile_moves_scheduled_reviews_at_the_daily_run(cast: Cast) -> None:
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    reviews.require_plan_review(cast.case, by=cast.lead, reason="change", note="Moved to a new hostel")
    JurisdictionProfile.objects.filter(is_default=True).update(plan_review_days=60)
    _daily()
    scheduled = ReviewDue.objects.get(case=cast.case, kind="plan", reason="scheduled", done_at__isnull=True)
    assert scheduled.due_on == timezone.localdate() + timedelta(days=60)
    required = ReviewDue.objects.get(case=cast.case, reason="change")
    assert required.due_on == timezone.localdate()  # an event's review keeps its date
