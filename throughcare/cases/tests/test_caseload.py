from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.cases.models import Case, Phase
from throughcare.demo import snapshot
from throughcare.lib import paging
from throughcare.test import Cast, join_team, open_test_case, sign_in

pytestmark = pytest.mark.django_db


def test_my_caseload_lists_the_cases_where_i_am_on_the_team(cast: Cast) -> None:
    open_test_case(cast.stranger, cast.probation, "Bea", "Elsewhere")
    response = cast.client_for(cast.lead).get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert "Example, Ada" in response.text
    assert "Elsewhere" not in response.text
    assert "Community supervision" in response.text
    assert "Lead · Community offender manager" in response.text
    assert "Probation" in response.text  # lead agency


def test_a_partner_sees_their_role_on_the_case(cast: Cast) -> None:
    response = cast.client_for(cast.police_liaison).get(reverse("cases:caseload"))
    assert "Supporting · CT liaison" in response.text


def test_the_caseload_filters_by_phase(cast: Cast) -> None:
    open_test_case(cast.lead, cast.probation, "Cem", "Custodial", phase=Phase.CUSTODY)
    client = cast.client_for(cast.lead)
    response = client.get(reverse("cases:caseload"), {"phase": "custody"})
    assert "Custodial, Cem" in response.text
    assert "Example, Ada" not in response.text
    assert "1 case in Custody" in response.text


def test_the_caseload_sorts_by_person(cast: Cast) -> None:
    open_test_case(cast.lead, cast.probation, "Zed", "Aardvark")
    client = cast.client_for(cast.lead)
    ascending = client.get(reverse("cases:caseload"), {"sort": "person", "order": "asc"}).text
    descending = client.get(reverse("cases:caseload"), {"sort": "person", "order": "desc"}).text
    assert ascending.index("Aardvark") < ascending.index("Example")
    assert descending.index("Example") < descending.index("Aardvark")
    assert 'aria-sort="ascending"' in ascending


def test_the_caseload_sorts_by_lead_agency_and_shows_each_role(cast: Cast) -> None:
    """The lead agency and the officer's own place are read for each row (one current lead per case, one
    current place per person): a case the prison leads, on which the officer supports."""
    prison_led = open_test_case(cast.prison_manager, cast.prison, "Pia", "Prisonled")
    join_team(prison_led, cast.lead, cast.probation, "Resettlement")
    client = cast.client_for(cast.lead)
    ascending = client.get(reverse("cases:caseload"), {"sort": "agency", "order": "asc"}).text
    descending = client.get(reverse("cases:caseload"), {"sort": "agency", "order": "desc"}).text
    assert ascending.index("Prisonled") < ascending.index("Example, Ada")
    assert descending.index("Example, Ada") < descending.index("Prisonled")
    assert "Supporting · Resettlement" in ascending
    assert "Lead · Community offender manager" in ascending


def test_the_caseload_is_paginated(cast: Cast) -> None:
    for n in range(30):
        open_test_case(cast.lead, cast.probation, f"Person{n:02d}", "Paged")
    client = cast.client_for(cast.lead)
    first = client.get(reverse("cases:caseload"), {"sort": "person"}).text
    second = client.get(reverse("cases:caseload"), {"sort": "person", "page": "2"}).text
    assert "31 cases" in first
    assert len(re.findall(r'href="/cases/\d+/"', first)) == 25
    assert len(re.findall(r'href="/cases/\d+/"', second)) == 6
    assert 'rel="next"' in first


def test_a_manager_can_list_all_cases_of_their_agency(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    assert "Example, Ada" not in client.get(reverse("cases:caseload")).text
    everything = client.get(reverse("cases:caseload"), {"scope": "all"}).text
    assert "Example, Ada" in everything
    assert "Manager (not on team)" in everything


def test_a_nonsense_filter_is_ignored_not_an_error(cast: Cast) -> None:
    response = cast.client_for(cast.lead).get(
        reverse("cases:caseload"), {"phase": "nope", "sort": "x", "page": "z"}
    )
    assert response.status_code == 200


def _queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_caseload_runs_the_same_number_of_queries_for_3_or_25_cases(
    cast: Cast, django_assert_num_queries: Callable[[int], AbstractContextManager[None]]
) -> None:
    client = cast.client_for(cast.lead)
    for n in range(2):
        open_test_case(cast.lead, cast.probation, f"Few{n}", "Cases")
    few = _queries(lambda: client.get(reverse("cases:caseload")))
    for n in range(22):
        case = open_test_case(cast.lead, cast.probation, f"Many{n}", "Cases")
        join_team(case, cast.police_liaison, cast.police)
    assert Case.objects.on_caseload_of(cast.lead).count() == 25
    with django_assert_num_queries(few):
        client.get(reverse("cases:caseload"))


@pytest.mark.parametrize("page", ["1", "2", "4"])
def test_a_managers_list_walked_by_activity_shows_what_sorting_shows(
    page: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walking the activity index (a manager of much of the service) and sorting the scope (anyone else)
    show the same cases, in the same order, with the same names."""
    snapshot.load_world()
    settings.CASELOAD_PAGE_SIZE = 3
    client = Client()
    sign_in(client, User.objects.get(username="probation.manager"))
    shown: dict[Any, Any] = {}
    decided: list[bool] = []
    pays = paging.walking_pays

    def spy(*args: Any, **kwargs: Any) -> bool:
        decided.append(pays(*args, **kwargs))
        return decided[-1]

    monkeypatch.setattr(paging, "walking_pays", spy)
    for cost, walks in ((0, True), (10**9, False)):
        monkeypatch.setattr(paging, "PROBE_COST", cost)
        response = client.get(reverse("cases:caseload"), {"scope": "all", "page": page})
        assert response.status_code == 200
        rows = list(response.context["page"].object_list)
        assert rows, page
        assert decided.pop() == walks
        shown[walks] = [(case.pk, case.shows_identity, case.my_responsibility) for case in rows]
        shown[walks, "text"] = re.sub(r"csrf[^>]*", "", response.text)
    assert shown[True] == shown[False]
    assert shown[True, "text"] == shown[False, "text"]


def test_walking_pays_when_the_scope_is_much_of_the_service() -> None:
    assert paging.walking_pays(count=20_000, end=25, total=50_000)  # a manager: ~60 rows walked
    assert not paging.walking_pays(count=10, end=25, total=50_000)  # an officer: all 50,000
    assert not paging.walking_pays(count=10_000, end=10_000, total=250_000)  # page 400
    assert not paging.walking_pays(count=0, end=0, total=50_000)
