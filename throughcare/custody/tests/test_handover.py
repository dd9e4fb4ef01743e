from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from throughcare.cases.models import Case, Phase
from throughcare.custody import actions, handover
from throughcare.custody.models import Handover, HandoverState, Offence
from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.test import Cast, join_team, make_user, open_test_case, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def terrorism_case(cast: Cast) -> Case:
    """A terrorism case in release planning: the prison manager leads, probation, police and NGO support."""
    case = open_test_case(cast.prison_manager, cast.prison, "Tarik", "Handover", phase=Phase.RELEASE_PLANNING)
    join_team(case, cast.lead, cast.probation, "Community offender manager (allocated)")
    join_team(case, cast.police_liaison, cast.police, "CT liaison")
    join_team(case, cast.mentor, cast.ngo, "Exit mentor")
    details = actions.SentenceDetails(
        sentence_type="determinate",
        sentence_start=date(2023, 1, 1),
        sentence_end=date(2029, 1, 1),
        earliest_release=date(2027, 3, 1),
    )
    actions.record_sentence(
        case,
        details,
        [Offence(description="preparation of terrorist acts", terrorism_offence=True)],
        by=cast.prison_manager,
    )
    return case


def test_an_enhanced_checklist_is_built_with_owners_and_due_dates(cast: Cast, terrorism_case: Case) -> None:
    started = handover.start_handover(terrorism_case, by=cast.prison_manager)
    assert started.kind == "enhanced"
    items = {item.code: item for item in started.items.all()}
    assert items["behaviour-report"].owner == cast.prison_manager
    assert items["behaviour-report"].due_on == date(2027, 3, 1) - timedelta(days=60)
    assert items["police-notified"].owner == cast.police_liaison
    assert items["release-conference"].owner == cast.lead
    assert "mentor-introduced" not in items  # no consent to share with the NGO yet


def test_the_mentor_item_appears_when_the_person_consented(cast: Cast, terrorism_case: Case) -> None:
    from throughcare.sharing import actions as share

    share.record_consent(
        terrorism_case,
        share.ConsentRequest(
            recipient_agency=cast.ngo,
            categories=["general"],
            purpose="mentoring",
            evidence="signed form",
            given_on=date(2026, 1, 1),
            expires_on=None,
        ),
        by=cast.prison_manager,
    )
    started = handover.start_handover(terrorism_case, by=cast.prison_manager)
    assert started.items.get(code="mentor-introduced").owner == cast.mentor


def test_a_standard_case_gets_the_standard_checklist(cast: Cast) -> None:
    case = open_test_case(cast.prison_manager, cast.prison, "Sam", "Standard", phase=Phase.CUSTODY)
    actions.record_sentence(
        case,
        actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2024, 1, 1),
            sentence_end=date(2028, 1, 1),
            earliest_release=date(2027, 1, 1),
        ),
        [Offence(description="robbery")],
        by=cast.prison_manager,
    )
    assert handover.start_handover(case, by=cast.prison_manager).kind == "standard"


def test_the_handover_life_accept_complete_items_then_complete(cast: Cast, terrorism_case: Case) -> None:
    started = handover.start_handover(terrorism_case, by=cast.prison_manager)
    with pytest.raises(ActionRefused, match="Only a probation officer"):
        handover.accept_handover(started, by=cast.prison_manager)
    handover.accept_handover(started, by=cast.lead)
    assert started.state == HandoverState.ACCEPTED
    with pytest.raises(ActionRefused, match="mandatory items are open: Custody behaviour report shared"):
        handover.complete_handover(started, by=cast.lead)
    assert Handover.objects.get().state == HandoverState.ACCEPTED  # nothing written
    for item in started.items.filter(mandatory=True):
        handover.complete_item(item, by=cast.lead)
    handover.complete_handover(started, by=cast.lead)
    assert Handover.objects.get().state == HandoverState.COMPLETED
    leads = terrorism_case.team.active().filter(responsibility="lead")
    assert [place.user for place in leads] == [cast.lead]  # probation now leads; the prison supports
    assert any(
        t.startswith("Case lead passed from Prison Manager") for t in texts(terrorism_case.timeline.all())
    )


def test_abandoning_needs_a_reason(cast: Cast, terrorism_case: Case) -> None:
    started = handover.start_handover(terrorism_case, by=cast.prison_manager)
    with pytest.raises(ActionRefused, match="Give the reason"):
        handover.abandon_handover(started, by=cast.prison_manager, reason="")
    handover.abandon_handover(started, by=cast.prison_manager, reason="Release deferred by the parole board")
    assert Handover.objects.get().abandon_reason == "Release deferred by the parole board"


def test_overdue_items_escalate_once_to_the_owners_manager(cast: Cast, terrorism_case: Case) -> None:
    governor = make_user("prison.governor", cast.prison, "manager")
    handover.start_handover(terrorism_case, by=cast.prison_manager)
    with time_machine.travel(date(2027, 1, 2)):  # the behaviour report was due on 31 Dec 2026
        call_command("daily_run", stdout=StringIO())
        call_command("daily_run", stdout=StringIO())
    notes = [
        n
        for n in Notification.objects.filter(recipient=governor)
        if str(n.subject).startswith("Overdue handover item")
    ]
    assert len(notes) == 1
    assert "Custody behaviour report shared" in str(notes[0].body)


def test_the_handover_from_the_case_page(cast: Cast, terrorism_case: Case) -> None:
    case = terrorism_case
    prison = cast.client_for(cast.prison_manager)
    page = reverse("custody:section", args=[case.pk])
    response = prison.post(reverse("custody:start_handover", args=[case.pk]), follow=True)
    assert "Handover started." in response.text
    assert "Police notified of the release and address" in response.text
    accepted = cast.client_for(cast.lead).post(
        reverse("custody:accept_handover", args=[case.pk]), follow=True
    )
    assert "Handover accepted." in accepted.text
    refused = cast.client_for(cast.lead).post(
        reverse("custody:complete_handover", args=[case.pk]), follow=True
    )
    assert "cannot be completed while mandatory items are open" in refused.text
    assert cast.client_for(cast.stranger).get(page).status_code == 404
