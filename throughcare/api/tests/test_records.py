"""The records partner systems need first: each through the gate, in its category, logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from throughcare.api.tests.conftest import Api
from throughcare.audit.models import AuditEvent, Operation
from throughcare.conferences import meetings
from throughcare.custody import conditions
from throughcare.custody.models import ConditionTemplate
from throughcare.risk.models import IncomingInformation, ReviewDue
from throughcare.test import Cast, record_terrorism_sentence

pytestmark = pytest.mark.django_db

ApiFor = Callable[..., Api]


def _sentence(cast: Cast) -> None:
    record_terrorism_sentence(cast)


def test_the_sentence_and_responsibility_for_those_who_hold_legal_data(cast: Cast, api_for: ApiFor) -> None:
    _sentence(cast)
    answer = api_for(cast.police_liaison).get(f"/cases/{cast.case.pk}/sentence")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["offences"] == ["Preparation of terrorist acts"] and body["is_terrorism"]
    assert body["responsibility"] and body["responsibility_reason"]
    assert api_for(cast.mentor).get(f"/cases/{cast.case.pk}/sentence").status_code == 404  # no legal data
    read = AuditEvent.objects.filter(object_type="custody.sentence", operation=Operation.CONSULTATION).get()
    assert read.actor == cast.police_liaison and read.details["channel"] == "api"


def test_licence_conditions_in_their_wording(cast: Cast, api_for: ApiFor) -> None:
    _sentence(cast)
    template = ConditionTemplate.objects.filter(is_current=True, code="CON-01").get()
    conditions.recommend(cast.case, template, {"person": "Ezra Quill"}, by=cast.lead)
    (condition,) = api_for(cast.lead).get(f"/cases/{cast.case.pk}/licence-conditions").json()
    assert "Ezra Quill" in condition["wording"] and condition["status"] == "recommended"
    assert condition["fd_measure"]


def test_a_police_system_pushes_a_foreign_report_to_the_lead(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.police_liaison)
    report = {
        "source": "Partner service, neighbouring country",
        "received_on": timezone.localdate().isoformat(),
        "reliability": "B",
        "credibility": "2",
        "category": "risk",
        "summary": "Seen meeting a known recruiter at the border",
    }
    sent = api.post(f"/cases/{cast.case.pk}/information", report, HTTP_IDEMPOTENCY_KEY="report-77")
    again = api.post(f"/cases/{cast.case.pk}/information", report, HTTP_IDEMPOTENCY_KEY="report-77")
    assert sent.status_code == again.status_code == 201, sent.content
    info = IncomingInformation.objects.get()
    assert info.routed_to == cast.lead and sent.json()["routed_to"] == str(cast.lead)
    refused = api.post(f"/cases/{cast.case.pk}/information", {**report, "reliability": "Z"})
    assert refused.status_code == 422
    mentor = api_for(cast.mentor).post(f"/cases/{cast.case.pk}/information", {**report, "category": "risk"})
    assert mentor.status_code == 422 and IncomingInformation.objects.count() == 1


def test_reviews_due_on_my_cases_and_requests_in_the_risk_category(cast: Cast, api_for: ApiFor) -> None:
    ReviewDue.objects.create(
        case=cast.case, kind="plan", due_on=timezone.localdate() - timedelta(days=2), reason="change"
    )
    meetings.make_request(cast.case, by=cast.lead, kind="travel", details="To the coast for a funeral")
    lead = api_for(cast.lead)
    due = lead.get("/me/reviews-due").json()["items"]
    assert (cast.case.reference, "change", True) in [
        (d["case_reference"], d["reason"], d["overdue"]) for d in due
    ]
    assert api_for(cast.mentor).get("/me/reviews-due").json()["items"] == []  # no risk data
    (request,) = lead.get(f"/cases/{cast.case.pk}/requests").json()
    assert request["kind"] == "travel" and request["outcome"] == "pending"
    assert api_for(cast.mentor).get(f"/cases/{cast.case.pk}/requests").status_code == 404


def test_the_published_statistics_need_no_token(cast: Cast) -> None:
    from django.test import Client

    answer = Client().get("/api/v1/statistics")
    assert answer.status_code == 200 and answer.json() == []


def test_a_provider_sees_no_referral_without_one(cast: Cast, api_for: ApiFor) -> None:
    body: dict[str, Any] = api_for(cast.mentor).get("/me/referrals").json()
    assert body == {"items": [], "next_cursor": None}


def test_needs_attention_lists_what_the_page_lists(cast: Cast, api_for: ApiFor) -> None:
    ReviewDue.objects.create(
        case=cast.case, kind="plan", due_on=timezone.localdate() - timedelta(days=2), reason="change"
    )
    body = api_for(cast.lead).get("/me/attention").json()
    items = body["items"]
    page = cast.client_for(cast.lead).get("/needs-attention/").context["items"]
    assert [(i["text"], i["overdue"]) for i in items] == [(str(p.text), p.overdue) for p in page]
    assert any(i["overdue"] and i["case_reference"] == cast.case.reference for i in items)
    assert body["total"] == len(items) and body["overdue"] >= 1 and body["next_cursor"] is None
    risk = sum(1 for i in items if i["group"] == "Risk")
    assert risk >= 1 and {"group": "Risk", "count": risk} in body["counts"]


def test_a_long_attention_list_is_walked_a_page_at_a_time(cast: Cast, api_for: ApiFor) -> None:
    """A manager's agencies' list runs to thousands: it comes in pages, each logged as it is shown."""
    today = timezone.localdate()
    for days in range(1, 8):
        ReviewDue.objects.create(
            case=cast.case, kind="plan", due_on=today - timedelta(days=days), reason="change"
        )
    client = api_for(cast.manager)
    first = client.get("/me/attention?scope=agency&limit=3").json()
    assert len(first["items"]) == 3 and first["total"] >= 7 and first["next_cursor"]
    walked, cursor = list(first["items"]), first["next_cursor"]
    while cursor:
        body = client.get(f"/me/attention?scope=agency&limit=3&cursor={cursor}").json()
        walked += body["items"]
        cursor = body["next_cursor"]
    assert len(walked) == first["total"]
    assert [i["due_on"] for i in walked if i["overdue"]] == sorted(
        i["due_on"] for i in walked if i["overdue"]
    )
    risk = client.get("/me/attention?scope=agency&group=Risk&limit=100").json()
    assert {i["group"] for i in risk["items"]} == {"Risk"} and len(risk["items"]) >= 7
    assert client.get("/me/attention?group=Nothing+of+the+kind").json()["items"] == []
    assert client.get("/me/attention?cursor=bm90IGEgY3Vyc29y").status_code == 400


def test_a_conference_reads_each_case_as_far_as_the_reader_may(cast: Cast, api_for: ApiFor) -> None:
    from tests.test_url_matrix import _conference

    conference = _conference(cast)
    lead = api_for(cast.lead)
    assert [c["id"] for c in lead.get("/conferences").json()] == [conference.pk]
    detail = lead.get(f"/conferences/{conference.pk}").json()
    assert detail["agenda"] and detail["agenda"][0]["case_id"] == cast.case.pk
    assert api_for(cast.stranger).get(f"/conferences/{conference.pk}").status_code == 404


def test_a_provider_reads_its_referrals_a_page_at_a_time(cast: Cast, api_for: ApiFor) -> None:
    from throughcare.rehab import referrals
    from throughcare.rehab.access import get_referral_for_user
    from throughcare.rehab.models import Programme
    from throughcare.test import open_test_case

    mentoring = Programme.objects.create(
        name="Mentoring", description="Weekly mentoring.", provider=cast.ngo, setting="community",
        audience="general", capacity=30, requires_consent=False,
    )  # fmt: skip
    sent = []
    for n, case in enumerate(
        [cast.case, *(open_test_case(cast.lead, cast.probation, f"P{n}") for n in range(2))]
    ):
        with time_machine.travel(timezone.now() + timedelta(minutes=n), tick=False):
            referral = referrals.make_referral(
                case, mentoring, by=cast.lead, reason="Weekly mentoring on release", sections=[]
            )
            team = get_referral_for_user(cast.lead, referral.pk)[1]
            referrals.move(referral, "submitted", by=cast.lead, standing=team)
        sent.append(referral.pk)
    first = api_for(cast.mentor).get("/me/referrals", limit=2).json()
    assert [r["id"] for r in first["items"]] == sent[:0:-1] and first["next_cursor"]
    rest = api_for(cast.mentor).get("/me/referrals", limit=2, cursor=first["next_cursor"]).json()
    assert [r["id"] for r in rest["items"]] == sent[:1] and rest["next_cursor"] is None
