"""Every protected page of custody to community: the owner succeeds, a permitted partner succeeds, a partner
without legal data and a stranger get 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from throughcare.custody import actions
from throughcare.custody.models import Offence
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

PAGES = ["custody:licence", "custody:change_dates", "custody:override", "conferences:record_release"]


@pytest.fixture
def sentenced(cast: Cast) -> Cast:
    actions.record_sentence(
        cast.case,
        actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2029, 1, 1),
            earliest_release=date(2026, 6, 1),
        ),
        [Offence(description="x", terrorism_offence=True)],
        by=cast.lead,
    )
    return cast


@pytest.mark.parametrize("page", PAGES)
def test_the_lead_and_a_partner_on_the_team_open_it(sentenced: Cast, page: str) -> None:
    url = reverse(page, args=[sentenced.case.pk])
    assert sentenced.client_for(sentenced.lead).get(url).status_code == 200
    assert sentenced.client_for(sentenced.police_liaison).get(url).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["mentor", "stranger", "auditor"])
def test_others_get_not_found(sentenced: Cast, page: str, who: str) -> None:
    url = reverse(page, args=[sentenced.case.pk])
    assert sentenced.client_for(getattr(sentenced, who)).get(url).status_code == 404


def test_a_change_notification_is_recorded(sentenced: Cast) -> None:
    from throughcare.custody.models import NotificationDue, NotificationRequirement

    NotificationRequirement.objects.create(
        case=sentenced.case, starts_on=date(2026, 6, 1), ends_on=date(2041, 6, 1)
    )
    client = sentenced.client_for(sentenced.police_liaison)
    refused = client.post(
        reverse("custody:change_notified", args=[sentenced.case.pk]),
        {"notified_on": "2026-11-01", "details": ""},
        follow=True,
    )
    assert "Say what changed" in refused.text
    client.post(
        reverse("custody:change_notified", args=[sentenced.case.pk]),
        {"notified_on": "2026-11-01", "details": "New address: 3 Canal Street"},
    )
    assert NotificationDue.objects.get(kind="change").details == "New address: 3 Canal Street"
