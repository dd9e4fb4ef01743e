"""Needs attention names the person and the case, who should act and by when, in the parts of a working
day (overdue, today, this week, later), each item linking to where it is done."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from throughcare.conferences.models import ActionItem, AgendaItem, Conference, ConferenceKind
from throughcare.risk.models import ReviewDue
from throughcare.test import Cast

TODAY = date(2026, 12, 1)


@time_machine.travel(TODAY)
def test_items_name_person_reference_owner_and_fall_into_the_parts_of_the_day(cast: Cast) -> None:
    ReviewDue.objects.filter(case=cast.case).delete()
    for days, kind in [(-2, ReviewDue.Kind.PLAN), (0, ReviewDue.Kind.ASSESSMENT), (4, ReviewDue.Kind.PLAN)]:
        ReviewDue.objects.create(
            case=cast.case, kind=kind, due_on=TODAY + timedelta(days=days), reason="scheduled"
        )
    conference = Conference.objects.create(
        kind=ConferenceKind.CASE,
        held_on=TODAY - timedelta(days=5),
        chair=cast.lead,
        created_by=cast.lead,
        status="held",
    )
    item = AgendaItem.objects.create(conference=conference, case=cast.case)
    action = ActionItem.objects.create(
        item=item, description="Check the address", owner=cast.lead, due_on=TODAY + timedelta(days=12)
    )
    response = cast.client_for(cast.lead).get(reverse("cases:needs_attention"))
    parts = {part.title: part.rows for part in response.context["parts"]}
    assert list(parts) == ["Overdue", "Due today", "Due this week", "Later"]
    assert [r.item.due_on for r in parts["Due this week"]] == [TODAY + timedelta(days=4)]
    page = response.content.decode()
    overdue = page.split("Overdue <span")[1].split("</table>")[0]
    assert "Ada Example" in overdue and cast.case.reference in overdue and ">You<" in overdue
    later = page.split("Later <span")[1].split("</table>")[0]
    assert "Conference action: Check the address" in later
    assert f'href="/conferences/{conference.pk}/#action-{action.pk}"' in later  # where it is marked done
    assert f'href="/cases/{cast.case.pk}/risk/plan/"' in overdue
    # A manager sees who owns each item.
    agency = cast.client_for(cast.manager).get(reverse("cases:needs_attention")).content.decode()
    assert "Lead Officer" in agency.split("Overdue <span")[1].split("</table>")[0]


@time_machine.travel(TODAY)
def test_a_manager_sees_the_agencies_work_first(cast: Cast) -> None:
    ReviewDue.objects.filter(case=cast.case).update(due_on=TODAY - timedelta(days=1))
    page = cast.client_for(cast.manager).get(reverse("cases:needs_attention")).content.decode()
    assert "Nothing needs your attention" not in page and cast.case.reference in page
    own = (
        cast.client_for(cast.manager)
        .get(reverse("cases:needs_attention"), {"scope": "mine"})
        .content.decode()
    )
    assert "See your agencies' cases" in own


@time_machine.travel(TODAY)
def test_a_request_leads_to_the_agenda_item_where_it_is_put_before_the_meeting(cast: Cast) -> None:
    from throughcare.conferences.models import RiskRequest

    RiskRequest.objects.create(
        case=cast.case, kind=RiskRequest.Kind.TRAVEL, details="A wedding", requested_by=cast.lead
    )
    url = reverse("cases:needs_attention")
    alone = cast.client_for(cast.lead).get(url).content.decode()
    assert f'href="/cases/{cast.case.pk}/requests/"' in alone  # no conference coming: the case's requests
    conference = Conference.objects.create(
        kind=ConferenceKind.CASE, held_on=TODAY + timedelta(days=3), chair=cast.lead, created_by=cast.lead
    )
    item = AgendaItem.objects.create(conference=conference, case=cast.case)
    page = cast.client_for(cast.lead).get(url).content.decode()
    assert (
        "Travel request waiting for a decision: put it on the agenda of the conference of 4 Dec 2026" in page
    )
    assert f'href="/conferences/{conference.pk}/#item-{item.pk}"' in page
