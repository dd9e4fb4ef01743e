from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.risk import information
from throughcare.risk.models import IncomingInformation
from throughcare.test import Cast
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db


def _record(cast: Cast, category: str = "risk") -> IncomingInformation:
    return information.record_information(
        cast.case,
        by=cast.police_liaison,
        source="Police of a neighbouring country",
        received_on=date(2026, 11, 26),
        reliability="B",
        credibility="2",
        category=category,
        summary="Tried to buy ammunition at a border town",
    )


def test_information_is_routed_to_the_lead_with_a_24_hour_deadline(cast: Cast) -> None:
    info = _record(cast)
    assert info.routed_to == cast.lead
    assert abs((info.acknowledge_by - info.recorded_at) - timedelta(hours=24)) < timedelta(seconds=1)
    assert Notification.objects.filter(recipient=cast.lead, subject__contains="to acknowledge").exists()
    texts = [str(i.text) for i in needs_attention(cast.lead, timezone.localdate())]
    assert any(
        t.startswith("Information from Police of a neighbouring country to acknowledge") for t in texts
    )


def test_the_lead_acknowledges_once_with_a_decision(cast: Cast) -> None:
    info = _record(cast)
    with pytest.raises(ActionRefused, match="Only the case lead"):
        information.acknowledge(info, by=cast.police_liaison, decision="plan_review")
    information.acknowledge(info, by=cast.lead, decision="plan_review", note="Review the plan this week")
    with pytest.raises(ActionRefused, match="already been acknowledged"):
        information.acknowledge(info, by=cast.lead, decision="no_action")
    info.refresh_from_db()
    assert info.decision == "plan_review"


def test_unacknowledged_information_escalates_once_to_the_leads_manager(cast: Cast) -> None:
    _record(cast)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        call_command("daily_run", stdout=StringIO())
        call_command("daily_run", stdout=StringIO())
    assert (
        Notification.objects.filter(
            recipient=cast.manager, subject__contains="not acknowledged in time"
        ).count()
        == 1
    )


def test_the_daily_run_as_of_a_later_day_escalates_information_too(cast: Cast) -> None:
    """Every escalation follows `daily_run --date`; unacknowledged information used the real clock."""
    _record(cast)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    call_command("daily_run", "--date", later, stdout=StringIO())
    assert Notification.objects.filter(
        recipient=cast.manager, subject__contains="not acknowledged in time"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reliability": "Z"}, "Grade the reliability"),
        ({"credibility": "9"}, "Grade the credibility"),
        ({"summary": " "}, "Summarise the information"),
        ({"source": ""}, "Name the source"),
    ],
)
def test_bad_information_is_refused_and_nothing_is_written(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    values = {
        "source": "Partner police",
        "reliability": "B",
        "credibility": "2",
        "category": "risk",
        "summary": "Something seen",
    } | changes
    with pytest.raises(ActionRefused, match=message):
        information.record_information(
            cast.case, by=cast.police_liaison, received_on=date(2026, 11, 1), **values
        )
    assert not IncomingInformation.objects.exists()


def test_partners_see_that_information_exists_but_not_its_content_outside_their_categories(
    cast: Cast,
) -> None:
    _record(cast)
    page = cast.client_for(cast.mentor).get(reverse("risk:information", args=[cast.case.pk])).text
    assert "Information in a category not shared with you" in page
    assert "ammunition" not in page
    lead_page = cast.client_for(cast.lead).get(reverse("risk:information", args=[cast.case.pk])).text
    assert "Tried to buy ammunition" in lead_page and "Acknowledge" in lead_page


def test_the_form_records_and_acknowledges(cast: Cast) -> None:
    url = reverse("risk:record_information", args=[cast.case.pk])
    bad = cast.client_for(cast.police_liaison).post(
        url, {"source": "Partner police", "received_on": "tomorrow"}
    )
    assert bad.status_code == 400 and "Enter the date received as a real date" in bad.text
    assert 'value="Partner police"' in bad.text  # what was typed is kept
    cast.client_for(cast.police_liaison).post(
        url,
        {
            "source": "Partner police",
            "received_on": "2026-11-25",
            "reliability": "B",
            "credibility": "2",
            "category": "risk",
            "summary": "Met foreign extremists",
        },
    )
    info = IncomingInformation.objects.get()
    done = cast.client_for(cast.lead).post(
        reverse("risk:acknowledge_information", args=[cast.case.pk, info.pk]),
        {"decision": "conference"},
        follow=True,
    )
    assert "Information acknowledged." in done.text
