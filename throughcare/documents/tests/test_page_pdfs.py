"""The pages people print also come as PDFs — the minutes (each reader's own copy), the person's copy of a
subject access answer, the person's own plan — each a disclosure with its recipient, each showing exactly
what its page shows."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.test_url_matrix import _conference
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import TimelineEntry
from throughcare.documents.tests.test_documents import pdf_text
from throughcare.rights import report
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def test_the_minutes_as_pdf_are_the_readers_own_copy(cast: Cast) -> None:
    conference = _conference(cast)
    answer = cast.client_for(cast.lead).get(f"/conferences/{conference.pk}/minutes.pdf")
    assert answer.status_code == 200, answer.content[:300]
    text = " ".join(pdf_text(answer.content).split())
    assert "Approved premises" in text and "Visit the address" in text
    assert cast.client_for(cast.stranger).get(f"/conferences/{conference.pk}/minutes.pdf").status_code == 404
    disclosure = _disclosure("minutes")
    assert disclosure is not None
    assert disclosure.recipients == [str(cast.lead)] and disclosure.case_id == cast.case.pk


def test_the_persons_copy_of_a_subject_access_answer_leaves_intelligence_out(cast: Cast) -> None:
    for category in ("general", "intelligence"):
        TimelineEntry.objects.create(
            case=cast.case,
            category=category,
            nature="fact",
            body=f"An entry in {category.upper()}-CATEGORY",
            occurred_at=timezone.now(),
            author=cast.lead,
        )
    request = report.open_request(
        cast.case.person, by=cast.auditor, received_on=timezone.localdate(), how_received="letter"
    )
    answer = cast.client_for(cast.auditor).get(f"/subject-access/{request.pk}/letter.pdf")
    assert answer.status_code == 200, answer.content[:300]
    text = " ".join(pdf_text(answer.content).split())
    assert "Your information" in text and "GENERAL-CATEGORY" in text and "INTELLIGENCE-CATEGORY" not in text
    assert cast.client_for(cast.lead).get(f"/subject-access/{request.pk}/letter.pdf").status_code == 404
    disclosure = _disclosure("subject access report")
    assert disclosure is not None
    assert disclosure.recipients == ["Ada Example (the person's copy)"]


def test_the_persons_own_plan_as_pdf(cast: Cast) -> None:
    answer = cast.client_for(cast.lead).get(f"/cases/{cast.case.pk}/own-plan.pdf")
    assert answer.status_code == 200, answer.content[:300]
    text = " ".join(pdf_text(answer.content).split())
    assert "Your plan, Ada" in text and "Who knows what about you" in text
    assert "Record that Ada saw this plan" not in text  # the form is the page's, not the plan's
    assert cast.client_for(cast.stranger).get(f"/cases/{cast.case.pk}/own-plan.pdf").status_code == 404
    assert _disclosure("own plan") is not None


def _disclosure(document: str) -> AuditEvent | None:
    """The disclosure logged for a document (details live in the event's body)."""
    found = [
        e
        for e in AuditEvent.objects.filter(operation=Operation.DISCLOSURE)
        if e.details.get("document") == document
    ]
    return found[-1] if found else None
