from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions
from throughcare.cases.models import DataCategory, Nature
from throughcare.people.models import Alias, Identifier
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_person_and_team_and_the_timeline_section_the_entries(cast: Cast) -> None:
    Alias.objects.create(person=cast.case.person, name="Umm Testa", kind=Alias.Kind.KUNYA)
    Identifier.objects.create(person=cast.case.person, kind=Identifier.Kind.PRISON_NUMBER, value="TX1234")
    actions.add_note(
        cast.case,
        by=cast.police_liaison,
        body="Visited the mosque committee.",
        category=DataCategory.RISK,
        nature=Nature.ASSESSMENT,
    )
    client = cast.client_for(cast.lead)
    page = client.get(reverse("cases:detail", args=[cast.case.pk])).text
    page += client.get(reverse("cases:timeline", args=[cast.case.pk])).text
    for expected in [
        "Ada Example",
        "Umm Testa",
        "Prison number: TX1234",
        "17 May 1990",
        "Testland",
        "Testish",
        "Convicted person",
        "Community supervision",
        "Police CT",
        "CT liaison",
        "Exit mentor",
        "Visited the mosque committee.",
        "Assessment",
        "Police.Liaison" if False else "Police Liaison",
        "Case opened in phase community supervision.",
    ]:
        assert expected in page, expected


def test_the_timeline_can_be_filtered_by_category(cast: Cast) -> None:
    actions.add_note(
        cast.case, by=cast.lead, body="Health note", category=DataCategory.HEALTH, nature=Nature.FACT
    )
    actions.add_note(
        cast.case, by=cast.lead, body="Family note", category=DataCategory.FAMILY, nature=Nature.FACT
    )
    response = cast.client_for(cast.lead).get(
        reverse("cases:timeline", args=[cast.case.pk]), {"category": "health"}
    )
    assert "Health note" in response.text
    assert "Family note" not in response.text


def test_opening_the_case_page_is_logged_as_a_consultation(cast: Cast) -> None:
    cast.client_for(cast.police_liaison).get(reverse("cases:detail", args=[cast.case.pk]))
    event = AuditEvent.objects.filter(operation=Operation.CONSULTATION).get()
    assert event.actor == cast.police_liaison
    assert event.actor_agency == cast.police
    assert event.case_id == cast.case.pk
    assert event.justification == "case team: supporting"


def test_a_managers_consultation_is_justified_by_management(cast: Cast) -> None:
    cast.client_for(cast.manager).get(reverse("cases:detail", args=[cast.case.pk]))
    event = AuditEvent.objects.filter(operation=Operation.CONSULTATION).get()
    assert event.justification == "manager of Probation on the case team"


def test_a_read_only_manager_gets_no_note_form_but_may_move_the_phase_of_a_case_their_agency_leads(
    cast: Cast,
) -> None:
    page = cast.client_for(cast.manager).get(reverse("cases:detail", args=[cast.case.pk])).text
    assert "(read only)" in page
    assert "Add note" not in page
    assert reverse("cases:change_phase", args=[cast.case.pk]) in page  # a manager of the lead agency decides


def test_partners_on_the_team_get_no_phase_control_and_are_told_who_decides(cast: Cast) -> None:
    for partner in (cast.mentor, cast.prison_manager, cast.police_liaison):
        page = cast.client_for(partner).get(reverse("cases:detail", args=[cast.case.pk])).text
        assert reverse("cases:change_phase", args=[cast.case.pk]) not in page
        assert "The case lead or a manager of the lead agency moves the case" in page


@pytest.mark.parametrize("name", ["cases:detail", "cases:timeline"])
def test_the_case_pages_run_the_same_number_of_queries_for_3_or_60_entries(
    cast: Cast, name: str, django_assert_num_queries: Callable[[int], AbstractContextManager[None]]
) -> None:
    client = cast.client_for(cast.lead)
    url = reverse(name, args=[cast.case.pk])
    for n in range(2):
        actions.add_note(cast.case, by=cast.mentor, body=f"n{n}", category="general", nature="fact")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(58):
        author = [cast.lead, cast.mentor, cast.police_liaison, cast.prison_manager][n % 4]
        actions.add_note(cast.case, by=author, body=f"m{n}", category="general", nature="fact")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    if name == "cases:timeline":
        assert "Older entries" in response.text  # 61 entries: the first 50 are shown
