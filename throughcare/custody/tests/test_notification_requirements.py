from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, Phase
from throughcare.custody import actions, notification_requirements
from throughcare.custody.models import NotificationDue, NotificationRequirement, Offence
from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.test import Cast, join_team, make_user, open_test_case, texts
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db


def _released(cast: Cast, *, end: date = date(2029, 1, 1), terrorism: bool = True) -> Case:
    case = open_test_case(cast.prison_manager, cast.prison, "Nils", "Notifier", phase=Phase.RELEASE_PLANNING)
    join_team(case, cast.lead, cast.probation, "Community offender manager")
    join_team(case, cast.police_liaison, cast.police, "CT liaison")
    actions.record_sentence(
        case,
        actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=end,
            earliest_release=date(2026, 11, 20),
        ),
        [Offence(description="x", terrorism_offence=terrorism)],
        by=cast.prison_manager,
    )
    with time_machine.travel(date(2026, 11, 20)):
        case_actions.change_phase(
            case,
            by=cast.prison_manager,
            to_phase=Phase.COMMUNITY,
            expected_version=case.version,
            reason="Released",
        )
    return case


def test_release_starts_the_requirements_with_an_initial_notification_due_in_3_days(cast: Cast) -> None:
    case = _released(cast)
    requirement = NotificationRequirement.objects.get(case=case)
    assert requirement.ends_on == date(2041, 11, 20)  # 6-year sentence: 15 years
    assert requirement.dues.get().due_on == date(2026, 11, 23)


@pytest.mark.parametrize(("end", "years"), [(date(2027, 1, 1), 10), (date(2033, 1, 1), 30)])
def test_the_duration_depends_on_the_sentence_length(cast: Cast, end: date, years: int) -> None:
    case = _released(cast, end=end)
    assert NotificationRequirement.objects.get(case=case).ends_on.year == 2026 + years


def test_no_requirement_without_a_terrorism_offence(cast: Cast) -> None:
    case = _released(cast, terrorism=False)
    assert not NotificationRequirement.objects.filter(case=case).exists()


def test_recording_the_initial_notification_sets_the_annual_one(cast: Cast) -> None:
    case = _released(cast)
    initial = NotificationDue.objects.get(requirement__case=case)
    notification_requirements.record_notification(
        initial, by=cast.police_liaison, notified_on=date(2026, 11, 22)
    )
    annual = NotificationDue.objects.get(requirement__case=case, kind="annual")
    assert annual.due_on == date(2027, 11, 22)
    with pytest.raises(ActionRefused, match="already been recorded"):
        notification_requirements.record_notification(
            initial, by=cast.police_liaison, notified_on=date(2026, 11, 22)
        )


def test_foreign_travel_of_3_days_or_more_must_be_notified_before_departure(cast: Cast) -> None:
    requirement = NotificationRequirement.objects.get(case=_released(cast))
    assert (
        notification_requirements.plan_travel(
            requirement,
            by=cast.lead,
            departs_on=date(2027, 2, 1),
            returns_on=date(2027, 2, 2),
            destination="Lille",
        )
        is None
    )
    due = notification_requirements.plan_travel(
        requirement,
        by=cast.lead,
        departs_on=date(2027, 2, 1),
        returns_on=date(2027, 2, 3),
        destination="Lille",
    )
    assert due is not None and due.due_on == date(2027, 1, 31)
    with pytest.raises(ActionRefused, match="return cannot be before"):
        notification_requirements.plan_travel(
            requirement,
            by=cast.lead,
            departs_on=date(2027, 2, 5),
            returns_on=date(2027, 2, 1),
            destination="Lille",
        )


def test_an_overdue_notification_needs_attention_and_escalates_once(cast: Cast) -> None:
    case = _released(cast)
    police_manager = make_user("police.manager", cast.police, "manager")
    items = [str(i.text) for i in needs_attention(cast.police_liaison, date(2026, 11, 25))]
    assert "Initial notification after release" in items
    with time_machine.travel(date(2026, 11, 25)):
        call_command("daily_run", stdout=StringIO())
        call_command("daily_run", stdout=StringIO())
    told = texts(Notification.objects.filter(recipient=police_manager), "subject")
    assert told.count(f"Overdue notification on {case.reference}") == 1
    assert not Notification.objects.filter(
        recipient=cast.manager
    ).exists()  # probation does not lead this case
