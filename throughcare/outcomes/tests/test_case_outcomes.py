"""The team records what happened after release; a correction is a new version; only those who hold the
case's legal data see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Phase, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.outcomes import actions
from throughcare.outcomes.actions import OutcomeInput
from throughcare.outcomes.models import OutcomeEvent
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def released_a_year_ago(cast: Cast) -> None:
    cast.case.phase_changes.update(changed_at=timezone.now() - timedelta(days=365))


def reoffence(**changes: object) -> OutcomeInput:
    values: dict[str, object] = {
        "kind": "proven_reoffence",
        "occurred_on": TODAY() - timedelta(days=1),
        "offence_kind": "violent",
        "proven_by": "conviction",
        "proven_on": TODAY(),
        "source": "Westmark Magistrates' Court register",
    }
    return OutcomeInput(**{**values, **changes})  # type: ignore[arg-type]


def test_a_proven_reoffence_is_recorded_on_the_timeline_and_in_the_audit_log(cast: Cast) -> None:
    event = actions.record_outcome(cast.case, reoffence(), by=cast.lead)
    (entry,) = [
        e for e in TimelineEntry.objects.filter(case=cast.case) if str(e.body).startswith("Outcome recorded")
    ]
    assert entry.category == "legal" and "Other violent offence committed on" in str(entry.body)
    assert AuditEvent.objects.filter(
        operation=Operation.COLLECTION, object_type="outcomes.outcomeevent", object_id=str(event.pk)
    ).exists()


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(cast: Cast) -> None:
    first = actions.record_outcome(cast.case, reoffence(proven_on=None, proven_by=""), by=cast.lead)
    second = actions.correct_outcome(
        first, reoffence(), by=cast.lead, reason="The conviction came through", expected_version=1
    )
    assert second.version == 2 and second.corrects == first
    assert list(OutcomeEvent.objects.filter(case=cast.case).current()) == [second]
    assert OutcomeEvent.objects.filter(case=cast.case).count() == 2
    with pytest.raises(EditConflict):
        actions.correct_outcome(first, reoffence(), by=cast.lead, reason="again", expected_version=1)


def days_from_today(days: int) -> Callable[[date], date]:
    """A date for a case of the test, counted from the day the test runs (not the day it was collected,
    which is another day when the suite runs past midnight)."""
    return lambda today: today + timedelta(days=days)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": None}, "occurred_on"),
        ({"occurred_on": days_from_today(1)}, "occurred_on"),
        ({"occurred_on": days_from_today(-400)}, "occurred_on"),  # before the release a year ago
        ({"offence_kind": ""}, "offence_kind"),
        ({"proven_by": ""}, "proven_by"),
        ({"proven_on": days_from_today(-2)}, "proven_on"),
        ({"source": "  "}, "source"),
        ({"kind": "reengagement", "evidence": ""}, "evidence"),
        ({"kind": "reengagement", "evidence": "Seen recruiting", "reliability": ""}, "reliability"),
        ({"kind": "censored", "censor_reason": ""}, "censor_reason"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_an_outcome_that_cannot_be_true_is_refused_next_to_its_field(
    cast: Cast, changes: dict[str, object], field: str
) -> None:
    on_the_day = {name: value(TODAY()) if callable(value) else value for name, value in changes.items()}
    with pytest.raises(ActionRefused) as refused:
        actions.record_outcome(cast.case, reoffence(**on_the_day), by=cast.lead)
    assert refused.value.field == field
    assert not OutcomeEvent.objects.exists()


def test_outcomes_wait_for_a_release(cast: Cast) -> None:
    in_custody = open_test_case(cast.lead, cast.probation, given="Bo", family="Sample", phase=Phase.CUSTODY)
    with pytest.raises(ActionRefused, match="once the person has been released"):
        actions.record_outcome(in_custody, reoffence(), by=cast.lead)


def test_the_lead_records_through_the_page_and_a_refusal_keeps_what_was_typed(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    url = reverse("outcomes:record", args=[cast.case.pk])
    refused = client.post(
        url, {"kind": "proven_reoffence", "occurred_on": str(TODAY()), "source": "Court list"}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="outcome-offence_kind-error"' in page and "Choose the kind of offence" in page
    assert 'value="Court list"' in page
    data = {
        "kind": "censored",
        "occurred_on": str(TODAY()),
        "censor_reason": "abroad",
        "source": "Home Office",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("outcomes:case", args=[cast.case.pk])).content.decode()
    assert "Left the follow-up on" in page and "deportation or transfer abroad" in page


def test_those_who_hold_legal_data_see_outcomes_and_others_find_nothing(cast: Cast) -> None:
    actions.record_outcome(cast.case, reoffence(), by=cast.lead)
    url = reverse("outcomes:case", args=[cast.case.pk])
    assert "Other violent offence" in cast.client_for(cast.lead).get(url).content.decode()
    assert "Other violent offence" in cast.client_for(cast.police_liaison).get(url).content.decode()
    assert cast.client_for(cast.mentor).get(url).status_code == 404  # an NGO mentor holds no legal data
    assert cast.client_for(cast.stranger).get(url).status_code == 404
    assert cast.client_for(cast.analyst).get(url).status_code == 404
