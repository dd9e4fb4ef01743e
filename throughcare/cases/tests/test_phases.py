from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions
from throughcare.cases.models import Case, Phase, PhaseChange, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db


def test_the_lead_moves_the_case_to_its_next_phase(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    url = reverse("cases:change_phase", args=[cast.case.pk])
    response = client.post(
        url,
        {"to_phase": "reintegration", "version": 1, "reason": "Licence ended", "confirm": "on"},
        follow=True,
    )
    assert "The case is now in Reintegration." in response.text
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.REINTEGRATION
    change = PhaseChange.objects.filter(case=cast.case).last()
    assert change is not None and change.changed_by == cast.lead and change.reason == "Licence ended"
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.PHASE_CHANGE)
    assert (
        str(entry.body) == "Phase changed from community supervision to reintegration. Reason: Licence ended"
    )
    assert entry.author == cast.lead
    assert AuditEvent.objects.filter(operation=Operation.ALTERATION, case_id=cast.case.pk).exists()


def test_a_case_walks_the_whole_journey_and_keeps_one_history(cast: Cast) -> None:
    case = open_test_case(cast.lead, cast.probation, "Journey", "Whole", phase=Phase.CUSTODY)
    for phase in [Phase.RELEASE_PLANNING, Phase.COMMUNITY, Phase.REINTEGRATION]:
        actions.change_phase(
            case, by=cast.lead, to_phase=phase, expected_version=case.version, reason="Planned move"
        )
    with pytest.raises(ActionRefused, match="closed from “Criteria and closure”"):
        actions.change_phase(
            case, by=cast.lead, to_phase=Phase.CLOSED, expected_version=case.version, reason="Planned move"
        )
    actions.change_phase(
        case,
        by=cast.lead,
        to_phase=Phase.CLOSED,
        expected_version=case.version,
        reason="Planned move",
        closing=True,
    )
    assert [c.to_phase for c in case.phase_changes.all()] == list(Phase.values)
    with pytest.raises(ActionRefused, match="A closed case cannot move on"):
        actions.change_phase(
            case, by=cast.lead, to_phase=Phase.CUSTODY, expected_version=case.version, reason="Planned move"
        )


def test_skipping_a_phase_is_refused_with_a_message_and_nothing_written(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    response = client.post(
        reverse("cases:change_phase", args=[cast.case.pk]),
        {"to_phase": "closed", "version": 1, "reason": "Done", "confirm": "on"},
        follow=True,
    )
    assert "cannot move to Closed. It can only move to Reintegration." in response.text
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.COMMUNITY
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.PHASE_CHANGE).exists()


def test_a_stale_form_is_detected_and_does_not_overwrite_the_other_change(cast: Cast) -> None:
    stale_version = cast.case.version
    actions.change_phase(
        cast.case, by=cast.lead, to_phase=Phase.REINTEGRATION, expected_version=stale_version, reason="Ended"
    )
    stale = Case.objects.get(pk=cast.case.pk)
    stale.phase = Phase.COMMUNITY  # what the other user's form still shows
    with pytest.raises(EditConflict, match="changed by Lead Officer"):
        actions.change_phase(
            stale,
            by=cast.manager,
            to_phase=Phase.REINTEGRATION,
            expected_version=stale_version,
            reason="Ended",
        )
    assert PhaseChange.objects.filter(case=cast.case).count() == 2


def test_a_stale_phase_form_in_the_browser_gets_a_clear_message(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    url = reverse("cases:change_phase", args=[cast.case.pk])
    Case.objects.filter(pk=cast.case.pk).update(version=2)  # someone else edited the case meanwhile
    response = client.post(
        url, {"to_phase": "reintegration", "version": 1, "reason": "Ended", "confirm": "on"}, follow=True
    )
    assert "after you opened it, so your change was not saved" in response.text
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.COMMUNITY


def test_a_garbled_phase_form_is_refused_politely(cast: Cast) -> None:
    response = cast.client_for(cast.lead).post(
        reverse("cases:change_phase", args=[cast.case.pk]), {"to_phase": "moon"}, follow=True
    )
    assert response.status_code == 200
    assert "The phase change was not understood" in response.text
