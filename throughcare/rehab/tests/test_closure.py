"""Criteria with evidence and sign-off; closing with a reason and multi-agency sign-off; follow-up after
exit; resettlement needs, family and the person's own plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from throughcare.cases.models import Phase
from throughcare.custody.models import Offence, Sentence
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.people.models import SubjectCategory
from throughcare.rehab import closure, support
from throughcare.rehab.models import Closure, CriterionReview, FollowUp, OwnPlanRecord
from throughcare.test import Cast
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db

EVIDENCE = "Seen in supervision and confirmed by the mentor's reports"


def _review_all(cast: Cast, state: str = "met") -> None:
    for criterion in closure.criteria_for(cast.case):
        closure.review_criterion(cast.case, criterion, by=cast.lead, state=state, evidence=EVIDENCE)


def _terrorism(cast: Cast) -> None:
    from throughcare.jurisdictions.models import JurisdictionProfile

    Sentence.objects.create(
        case=cast.case,
        profile=JurisdictionProfile.default(),
        sentence_type="determinate",
        sentence_start=timezone.localdate() - timedelta(days=900),
    )
    Offence.objects.create(case=cast.case, description="Preparing acts", terrorism_offence=True)


def test_a_criterion_is_reviewed_with_evidence_and_signed_off_by_a_named_person(cast: Cast) -> None:
    criterion = closure.criteria_for(cast.case)[0]
    with pytest.raises(ActionRefused, match="Give the evidence"):
        closure.review_criterion(cast.case, criterion, by=cast.lead, state="met", evidence="yes")
    closure.review_criterion(cast.case, criterion, by=cast.lead, state="partly", evidence=EVIDENCE)
    closure.review_criterion(cast.case, criterion, by=cast.prison_manager, state="met", evidence=EVIDENCE)
    current = closure.current_reviews(cast.case)[criterion.pk]
    assert (current.state, current.signed_off_by) == ("met", cast.prison_manager)
    assert CriterionReview.objects.count() == 2  # the history is kept
    with pytest.raises(Http404):  # not on the case: the case does not exist for them
        closure.review_criterion(cast.case, criterion, by=cast.stranger, state="met", evidence=EVIDENCE)


def test_closing_needs_every_criterion_reviewed_and_mandatory_ones_met_or_a_reason(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="Review every criterion with evidence first"):
        closure.propose(cast.case, by=cast.lead, reason="licence_end")
    _review_all(cast, state="not_yet")
    with pytest.raises(ActionRefused, match="Mandatory criteria are not met: Rejects violence"):
        closure.propose(cast.case, by=cast.lead, reason="licence_end")
    assert not Closure.objects.exists()
    proposal = closure.propose(
        cast.case, by=cast.lead, reason="moved_away", override_reason="Moved abroad; supervision transferred."
    )
    assert proposal.override_reason.startswith("Moved abroad")


def test_a_terrorism_case_closes_only_with_sign_off_by_two_agencies_then_follow_ups(cast: Cast) -> None:
    _terrorism(cast)
    _review_all(cast)
    proposal = closure.propose(cast.case, by=cast.lead, reason="licence_end", note="Licence ended well")
    with pytest.raises(ActionRefused, match="needs sign-off by 2 agencies; so far: Probation"):
        closure.close(proposal, by=cast.lead)
    items = needs_attention(cast.police_liaison, timezone.localdate())
    assert any("your agency's sign-off" in str(i.text) for i in items)
    closure.sign_off(proposal, by=cast.police_liaison, note="No intelligence concerns")
    with pytest.raises(ActionRefused, match="signed off already"):
        closure.sign_off(proposal, by=cast.police_liaison)
    closure.close(proposal, by=cast.lead)
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.CLOSED
    dues = list(FollowUp.objects.filter(case=cast.case).values_list("due_on", flat=True))
    assert len(dues) == 2 and dues[0] > timezone.localdate() + timedelta(days=170)
    with time_machine.travel(timezone.now() + timedelta(days=180)):
        texts = [str(i.text) for i in needs_attention(cast.lead, timezone.localdate())]
        assert any(t.startswith("Follow-up after exit") for t in texts)


def test_any_other_case_closes_with_one_agency(cast: Cast) -> None:
    _review_all(cast)
    proposal = closure.propose(cast.case, by=cast.lead, reason="no_further_support")
    closure.close(proposal, by=cast.lead)
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.CLOSED
    assert str(cast.case.phase_changes.last().reason).startswith("No further support required")  # type: ignore[union-attr]


def test_the_criteria_page_closes_a_case_and_refuses_without_a_reason(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    case = cast.case.pk
    form = {f"state-{c.pk}": "met" for c in closure.criteria_for(cast.case)} | {
        f"evidence-{c.pk}": EVIDENCE for c in closure.criteria_for(cast.case)
    }
    reviewed = client.post(reverse("rehab:review_criteria", args=[case]), form, follow=True)
    assert "Criteria reviewed" in reviewed.text
    propose = reverse("rehab:propose_closing", args=[case])
    refused = client.post(propose, {"note": "Licence ends this week"})
    assert refused.status_code == 400 and not Closure.objects.exists()
    assert "Choose the reason for closing" in refused.text
    assert "Licence ends this week" in refused.text  # what was typed is kept
    client.post(propose, {"reason": "licence_end"})
    proposal = Closure.objects.get()
    close = reverse("rehab:close_case", args=[case, proposal.pk])
    confirm = client.get(close).text  # a confirmation page first: closing is not undone
    assert "Close the case?" in confirm and "Follow-ups after exit are scheduled" in confirm
    assert Closure.objects.get().closed_at is None
    page = client.post(close, follow=True).text
    assert "Case closed. Follow-ups after exit are scheduled." in page and "Check-in due" in page
    case_page = client.get(reverse("cases:detail", args=[cast.case.pk])).text
    assert "criteria met 7 of 7" in case_page


def test_a_stale_status_change_of_a_resettlement_need_is_refused(cast: Cast) -> None:
    need = support.add_need(
        cast.case,
        by=cast.lead,
        pathway="accommodation",
        need="A flat near her mother",
        owner_kind="probation",
        owner_agency=cast.probation,
    )
    support.update_need(need, by=cast.lead, state="in_progress", expected_version=1)
    with pytest.raises(EditConflict, match="Someone updated"):
        support.update_need(need, by=cast.prison_manager, state="met", expected_version=1)
    need.refresh_from_db()
    assert need.state == "in_progress"


def test_children_are_their_own_data_subjects_seen_only_by_those_holding_family(cast: Cast) -> None:
    child = support.add_dependant(
        cast.case,
        by=cast.lead,
        given_name="Lina",
        family_name="Example",
        date_of_birth=None,
        relation="child",
        lives_with=True,
        care_arrangement="With her grandmother until release",
    )
    assert child.person.subject_category == SubjectCategory.OTHER
    url = reverse("rehab:overview", args=[cast.case.pk])
    assert "With her grandmother" in cast.client_for(cast.lead).get(url).text
    mentor_view = cast.client_for(cast.mentor).get(url)  # the NGO holds family only with consent
    assert mentor_view.status_code == 200 and "With her grandmother" not in mentor_view.text
    with pytest.raises(ActionRefused, match="safety plan"):
        support.add_support_need(cast.case, by=cast.lead, kind="domestic_abuse", detail="Former partner")


def test_the_person_sees_their_plan_and_their_own_words_are_kept(cast: Cast) -> None:
    support.add_need(
        cast.case,
        by=cast.lead,
        pathway="education_work",
        need="A training place",
        owner_kind="partner",
        owner_agency=cast.ngo,
    )
    client = cast.client_for(cast.lead)
    url = reverse("cases:own_plan", args=[cast.case.pk])
    respond = reverse("cases:record_own_plan", args=[cast.case.pk])
    page = client.get(url).text
    assert "Your plan, Ada" in page and "A training place" in page and "Who knows what about you" in page
    refused = client.post(respond, {"shown_on": timezone.localdate().isoformat(), "response": "disagreed"})
    assert refused.status_code == 400 and not OwnPlanRecord.objects.exists()
    assert 'id="id_own_words-error"' in refused.text and "Write what they disagree with" in refused.text
    assert 'value="disagreed" checked' in refused.text  # what they chose is kept
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert "cannot be in the future" in client.post(respond, {"shown_on": future, "response": "agreed"}).text
    client.post(
        respond,
        {
            "shown_on": timezone.localdate().isoformat(),
            "response": "partly",
            "own_words": "I want to work sooner",
        },
    )
    assert "“I want to work sooner”" in client.get(url).text


def test_closing_from_the_phase_control_is_refused(cast: Cast) -> None:
    from throughcare.cases import actions

    with pytest.raises(ActionRefused):
        actions.change_phase(
            cast.case, by=cast.lead, to_phase=Phase.CLOSED, expected_version=cast.case.version
        )
