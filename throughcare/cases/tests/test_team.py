"""The case team managed in the app: the lead adds, changes and ends places; every change is on the
timeline and in the audit log; nothing is silently overwritten; residual access stays as the gate says."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions
from throughcare.cases.models import CaseTeamMember, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.test import Cast, make_user, texts

pytestmark = pytest.mark.django_db


def _place(cast: Cast, user: User) -> CaseTeamMember:
    return cast.case.team.active().get(user=user)


def test_the_lead_adds_a_worker_for_an_agency_they_belong_to(cast: Cast) -> None:
    worker = make_user("ngo.second", cast.ngo)
    with pytest.raises(ActionRefused, match="does not work for"):
        actions.add_to_team(
            cast.case, by=cast.lead, user=worker, agency=cast.prison, responsibility="supporting"
        )
    place = actions.add_to_team(
        cast.case, by=cast.lead, user=worker, agency=cast.ngo, responsibility="supporting", function="Mentor"
    )
    assert place.is_active and place.function == "Mentor"
    entry = TimelineEntry.objects.filter(case=cast.case, kind=TimelineEntry.Kind.TEAM_CHANGE).latest("pk")
    assert str(entry.body).startswith("Ngo Second (") and "joined the case team: supporting, Mentor." in str(
        entry.body
    )
    event = AuditEvent.objects.filter(justification="case team administration").latest("id")
    assert event.operation == Operation.COLLECTION and event.actor == cast.lead
    assert event.details["fields"] == ["created"] and event.case_id == cast.case.pk
    with pytest.raises(ActionRefused, match="already on the case team"):
        actions.add_to_team(
            cast.case, by=cast.lead, user=worker, agency=cast.ngo, responsibility="supporting"
        )


@pytest.mark.parametrize("who", ["mentor", "police_liaison", "stranger"])
def test_only_the_lead_or_a_manager_of_the_lead_agency_changes_the_team(cast: Cast, who: str) -> None:
    worker = make_user("ngo.second", cast.ngo)
    with pytest.raises(ActionRefused, match="case lead or a manager of the lead agency"):
        actions.add_to_team(
            cast.case, by=getattr(cast, who), user=worker, agency=cast.ngo, responsibility="supporting"
        )
    actions.add_to_team(cast.case, by=cast.manager, user=worker, agency=cast.ngo, responsibility="supporting")


def test_making_another_worker_lead_hands_the_lead_over(cast: Cast) -> None:
    place = _place(cast, cast.prison_manager)
    actions.change_place(
        place,
        by=cast.lead,
        responsibility="lead",
        function=place.function,
        expected=actions.place_state(place),
    )
    assert cast.case.team.lead().user == cast.prison_manager  # type: ignore[union-attr]
    assert _place(cast, cast.lead).responsibility == "supporting"  # the lead before stays on the team
    written = texts(cast.case.timeline.filter(kind="team_change"))
    assert any("is now lead" in t for t in written) and any("is now supporting" in t for t in written)


def test_a_place_changed_by_someone_else_in_between_is_not_overwritten(cast: Cast) -> None:
    place = _place(cast, cast.mentor)
    seen = actions.place_state(place)
    actions.change_place(
        place, by=cast.lead, responsibility="supporting", function="Faith mentor", expected=seen
    )
    with pytest.raises(EditConflict, match="Someone else changed"):
        actions.change_place(
            place, by=cast.manager, responsibility="supporting", function="Other", expected=seen
        )
    assert _place(cast, cast.mentor).function == "Faith mentor"


def test_the_lead_cannot_be_left_without_a_lead(cast: Cast) -> None:
    place = _place(cast, cast.lead)
    with pytest.raises(ActionRefused, match="A case always has a lead"):
        actions.change_place(
            place, by=cast.lead, responsibility="supporting", function="", expected=actions.place_state(place)
        )
    with pytest.raises(ActionRefused, match="Make someone else the lead"):
        actions.end_place(place, by=cast.lead, reason="Leaving", expected=actions.place_state(place))


def test_an_ended_place_keeps_read_only_access_for_the_residual_period(cast: Cast) -> None:
    place = _place(cast, cast.mentor)
    with pytest.raises(ActionRefused, match="Give the reason"):
        actions.end_place(place, by=cast.lead, reason=" ", expected=actions.place_state(place))
    actions.end_place(place, by=cast.lead, reason="Programme finished", expected=actions.place_state(place))
    entry = cast.case.timeline.filter(kind="team_change").latest("pk")
    assert "left the case team" in str(entry.body) and "Reason: Programme finished" in str(entry.body)
    url = reverse("cases:detail", args=[cast.case.pk])
    mentor = cast.client_for(cast.mentor)
    page = mentor.get(url)
    assert page.status_code == 200 and "(read only)" in page.text
    later = timezone.now() + timedelta(days=settings.RESIDUAL_ACCESS_DAYS + 1)
    with time_machine.travel(later):
        assert cast.client_for(cast.mentor).get(url).status_code == 404


def test_the_team_page_shows_errors_next_to_the_field_and_keeps_the_entries(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    place = _place(cast, cast.mentor)
    url = reverse("cases:end_place", args=[cast.case.pk, place.pk])
    response = client.post(
        url, {f"end-{place.pk}-reason": "", f"end-{place.pk}-state": actions.place_state(place)}
    )
    assert response.status_code == 400
    assert f'id="id_end-{place.pk}-reason-error"' in response.text and "Give the reason" in response.text
    add = reverse("cases:add_place", args=[cast.case.pk])
    worker = make_user("ngo.second", cast.ngo)
    refused = client.post(
        add,
        {"user": worker.pk, "agency": cast.prison.pk, "responsibility": "supporting", "function": "Mentor"},
    )
    assert refused.status_code == 400 and "does not work for" in refused.text
    assert 'value="Mentor"' in refused.text  # what was typed is kept
    for garbage in [{"user": "x\x00"}, {"user": "١٢"}, {"function": "f" * 5000}, {}]:
        assert client.post(add, garbage).status_code == 400


def test_a_partner_sees_the_team_but_no_forms(cast: Cast) -> None:
    page = cast.client_for(cast.mentor).get(reverse("cases:team", args=[cast.case.pk])).text
    assert "Add to the team" not in page and "The case lead or a manager of the lead agency" in page
