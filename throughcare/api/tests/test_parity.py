"""The API lists exactly what the pages show the same user, on random worlds of memberships, team places,
agreements, consent, restriction lists and break-glass (the worlds the gate's own properties are tested
on)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase

from throughcare.accounts.models import User
from throughcare.cases.tests.test_gate_properties import Builder, World, worlds


def _walk(client: Client, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        answer = client.get(path, params)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        items += body["items"]
        if not body["next_cursor"]:
            return items
        params["cursor"] = body["next_cursor"]


def _page_cases(client: Client) -> dict[int, bool]:
    """The caseload page (all cases I may see): each case and whether it names the person."""
    page = client.get("/caseload/", {"scope": "all"}).context["page"]
    return {case.pk: bool(case.shows_identity) for case in page.object_list}


def _page_timeline(client: Client, case_id: int) -> list[int]:
    answer = client.get(f"/cases/{case_id}/timeline/")
    if answer.status_code == 404:
        return []
    return [entry.pk for entry in answer.context["timeline_page"].object_list]


class ApiPageParity(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds)
    def test_the_api_lists_what_the_pages_show(self, world: World) -> None:
        built = Builder(world)
        for user in built.users:
            self._same_for(user, built)

    def _same_for(self, user: User, built: Builder) -> None:
        cache.clear()
        client = Client()
        client.force_login(user)
        listed = _walk(client, "/api/v1/cases")
        assert {c["id"]: c["person"] is not None for c in listed} == _page_cases(client), user
        for case in built.cases:
            api = client.get(f"/api/v1/cases/{case.pk}/timeline")
            on_page = _page_timeline(client, case.pk)
            if api.status_code == 404:
                assert on_page == [] and client.get(f"/cases/{case.pk}/").status_code == 404
                continue
            assert [e["id"] for e in _walk(client, f"/api/v1/cases/{case.pk}/timeline")] == on_page, (
                user,
                case,
            )
