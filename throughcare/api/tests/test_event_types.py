"""Each action that others must hear of leaves its event in the outbox, in its own transaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from throughcare.accounts.models import Membership
from throughcare.api.models import OutboxEvent
from throughcare.conferences import meetings
from throughcare.custody import actions as custody_actions
from throughcare.custody import handover
from throughcare.custody.models import Offence, Sentence
from throughcare.risk import reviews
from throughcare.risk.models import ReviewDue
from throughcare.sharing import actions as share
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _new_types(since: int) -> list[str]:
    return list(OutboxEvent.objects.filter(pk__gt=since).order_by("pk").values_list("type", flat=True))


def _last() -> int:
    last = OutboxEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_custody_emits_responsibility_and_handover_events(cast: Cast) -> None:
    mark = _last()
    custody_actions.record_sentence(
        cast.case,
        custody_actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2031, 1, 1),
            earliest_release=timezone.localdate() + timedelta(days=90),
        ),
        [Offence(description="Preparation", terrorism_offence=True)],
        by=cast.lead,
    )
    handover.start_handover(cast.case, by=cast.lead)
    sentence = Sentence.objects.get(case=cast.case)
    other = "community" if sentence.responsibility != "community" else "custody"
    custody_actions.override_responsibility(
        sentence, by=cast.lead, responsibility=other, reason="The panel decided so at its last meeting"
    )
    types = _new_types(mark)
    assert types[-2:] == ["handover.state_changed", "case.responsibility_changed"]
    assert OutboxEvent.objects.get(type="case.responsibility_changed").data["responsible"] == other
    event = OutboxEvent.objects.filter(type="handover.state_changed").get()
    assert event.data["state"] == "created" and event.category == "legal"


def test_risk_emits_review_due_and_overdue(cast: Cast) -> None:
    mark = _last()
    reviews.require_plan_review(cast.case, by=cast.lead, reason="change", note="Moved to a new address")
    ReviewDue.objects.filter(case=cast.case).update(due_on=timezone.localdate() - timedelta(days=3))
    reviews.escalate_overdue(timezone.localdate())
    types = _new_types(mark)
    assert types[0] == "review.due" and "review.overdue" in types


def test_a_decided_request_and_withdrawn_consent_are_told(cast: Cast) -> None:
    Membership.objects.filter(user=cast.lead).update(may_decide_requests=True)
    request = meetings.make_request(cast.case, by=cast.lead, kind="travel", details="To the coast")
    consent = share.record_consent(
        cast.case,
        share.ConsentRequest(
            recipient_agency=cast.ngo,
            categories=["risk"],
            purpose="mentoring",
            evidence="signed form",
            given_on=timezone.localdate(),
            expires_on=None,
        ),
        by=cast.lead,
    )
    mark = _last()
    meetings.decide_by_delegate(request, by=cast.lead, outcome="approved", conditions="", rationale="Family")
    share.withdraw_consent(consent, cast.case, by=cast.lead, note="")
    assert _new_types(mark) == ["request.decided", "consent.withdrawn"]
    assert OutboxEvent.objects.get(type="request.decided").data["outcome"] == "approved"


def test_closing_a_case_is_told_as_closed(cast: Cast) -> None:
    from throughcare.cases import actions

    mark = _last()
    actions.change_phase(cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x")
    cast.case.refresh_from_db()
    actions.change_phase(
        cast.case,
        by=cast.lead,
        to_phase="closed",
        expected_version=cast.case.version,
        reason="x",
        closing=True,
    )
    assert _new_types(mark)[-2:] == ["case.phase_changed", "case.closed"]


def test_incoming_information_is_told_without_its_content_and_intelligence_only_as_such(cast: Cast) -> None:
    from throughcare.risk import information

    mark = _last()
    told = {
        "by": cast.police_liaison,
        "source": "A partner service",
        "received_on": timezone.localdate(),
        "reliability": "B",
        "credibility": "2",
        "summary": "SUMMARY-NEVER-IN-AN-EVENT",
    }
    info = information.record_information(cast.case, category="risk", **told)  # type: ignore[arg-type]
    information.acknowledge(info, by=cast.lead, decision="no_action")
    late = information.record_information(cast.case, category="legal", **told)  # type: ignore[arg-type]
    information.record_information(cast.case, category="intelligence", **told)  # type: ignore[arg-type]
    information.escalate_unacknowledged(timezone.now() + timedelta(days=30))
    types = _new_types(mark)
    assert types.count("information.recorded") == 2 and "information.acknowledged" in types
    assert "case.intelligence_recorded" in types
    escalated = OutboxEvent.objects.filter(type="information.escalated")
    assert [e.data["information_id"] for e in escalated] == [late.pk]  # not the intelligence one
    assert "SUMMARY-NEVER-IN-AN-EVENT" not in str(list(OutboxEvent.objects.values_list("data", flat=True)))
