"""Documents generated from the record: what must be in them and what must not, read back from the PDF's
text with pdftotext; each generation a disclosure with its recipients."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Any

import pytest
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import TimelineEntry
from throughcare.custody import conditions, handover
from throughcare.custody.models import ConditionTemplate
from throughcare.test import Cast, record_terrorism_sentence, texts

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI must check PDFs by their text, but pdftotext is missing (apt-get install poppler-utils)"
            )
        pytest.skip("pdftotext missing (apt-get install poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(
            [tool, "-layout", pdf.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def _record(cast: Cast) -> None:
    record_terrorism_sentence(cast)
    TimelineEntry.objects.create(
        case=cast.case,
        category="risk",
        nature="assessment",
        body="RISK-NOTE-NEVER-IN-A-LEGAL-DOCUMENT",
        occurred_at=timezone.now(),
        author=cast.lead,
    )


def _generate(cast: Cast, user: Any, key: str, **fields: str) -> Any:
    data = {"recipients": "Jonas Feldkamp, Westmark Probation", "output": "pdf", **fields}
    return cast.client_for(user).post(f"/cases/{cast.case.pk}/documents/{key}/", data)


def test_the_handover_report_holds_the_checklist_and_is_a_logged_disclosure(cast: Cast) -> None:
    _record(cast)
    handover.start_handover(cast.case, by=cast.lead)
    answer = _generate(cast, cast.lead, "handover")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Handover report" in text and "Preparation of terrorist acts" in text
    assert "Jonas Feldkamp, Westmark Probation" in text
    assert "RISK-NOTE-NEVER-IN-A-LEGAL-DOCUMENT" not in text
    disclosure = _disclosure("handover")
    assert disclosure is not None
    assert disclosure.recipients == ["Jonas Feldkamp, Westmark Probation"] and disclosure.actor == cast.lead
    assert any(
        t.startswith("Handover report generated for Jonas") for t in texts(TimelineEntry.objects.all())
    )


def test_a_document_needs_its_categories_and_a_place_on_the_case(cast: Cast) -> None:
    _record(cast)
    handover.start_handover(cast.case, by=cast.lead)
    assert _generate(cast, cast.mentor, "handover").status_code == 404  # an NGO holds no legal data
    assert _generate(cast, cast.stranger, "handover").status_code == 404
    assert cast.client_for(cast.mentor).get(f"/cases/{cast.case.pk}/documents/").status_code == 404
    assert not AuditEvent.objects.filter(operation=Operation.DISCLOSURE).exists()


def test_the_form_says_what_is_missing_and_writes_nothing(cast: Cast) -> None:
    _record(cast)
    handover.start_handover(cast.case, by=cast.lead)
    answer = cast.client_for(cast.lead).post(f"/cases/{cast.case.pk}/documents/handover/", {"recipients": ""})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Say who the document is for" in page and "Choose PDF or a page to print" in page
    assert not AuditEvent.objects.filter(operation=Operation.DISCLOSURE).exists()


def test_a_document_the_record_cannot_make_yet_says_why(cast: Cast) -> None:
    page = cast.client_for(cast.lead).get(f"/cases/{cast.case.pk}/documents/").content.decode()
    assert "No handover has been started on this case." in page
    answer = _generate(cast, cast.lead, "handover")
    assert answer.status_code == 400 and "No handover has been started" in answer.content.decode()
    assert not AuditEvent.objects.filter(operation=Operation.DISCLOSURE).exists()


def _ordered(cast: Cast) -> None:
    _record(cast)
    template = ConditionTemplate.objects.filter(is_current=True, code="CON-01").get()
    condition = conditions.recommend(cast.case, template, {"person": "Ezra Quill"}, by=cast.lead)
    conditions.order(
        condition, by=cast.lead, authority="Westmark Regional Court", ordered_on=timezone.localdate()
    )


def test_the_licence_summary_prints_the_ordered_conditions(cast: Cast) -> None:
    _ordered(cast)
    text = pdf_text(_generate(cast, cast.lead, "licence").content)
    assert "Licence conditions summary" in text and "Ezra Quill" in text and "Westmark Regional Court" in text


CERTIFICATE = {
    "executing_state": "Eastland",
    "executing_authority": "Eastland Probation Service, Central Office",
    "issuing_authority": "Westmark Public Prosecutor",
    "court": "Westmark Regional Court",
    "judgment_on": "2022-03-14",
    "residence": "lawful",
    "address": "12 Harbour Road, Eastport",
}


def test_the_certificate_maps_ordered_conditions_to_the_measures_of_article_4(cast: Cast) -> None:
    _ordered(cast)
    refused = _generate(cast, cast.lead, "certificate")  # what the record cannot say must be asked
    assert (
        refused.status_code == 400
        and "Name the Member State the supervision goes to" in refused.content.decode()
    )
    layout = pdf_text(_generate(cast, cast.lead, "certificate", **CERTIFICATE).content)
    text = " ".join(layout.split())
    assert "Framework Decision 2008/947/JHA" in text and "Eastland" in text and "14 March 2022" in text
    assert "Ada" in text and "Example" in text and "Preparation of terrorist acts" in text
    letter = ConditionTemplate.objects.get(is_current=True, code="CON-01").fd_measure
    (row,) = [line for line in layout.splitlines() if "Ezra Quill" in line]
    assert row.strip().startswith(f"({letter})")  # the condition sits in its measure's row
    assert "RISK-NOTE-NEVER-IN-A-LEGAL-DOCUMENT" not in text


def test_the_breach_report_is_built_from_a_recorded_breach(cast: Cast) -> None:
    _ordered(cast)
    breach = conditions.record_compliance(
        cast.case,
        conditions.EventInput(
            kind="breach", occurred_on=timezone.localdate(), note="Met Ezra Quill at the station"
        ),
        by=cast.lead,
    )
    fields = {
        "breach": str(breach.pk),
        "issuing_authority": "Eastland Court",
        "executing_authority": "Westmark",
    }
    text = " ".join(pdf_text(_generate(cast, cast.lead, "breach", **fields).content).split())
    assert "Breach report" in text and "Met Ezra Quill at the station" in text and "Not yet decided" in text


def test_a_printable_page_is_the_same_document(cast: Cast) -> None:
    _ordered(cast)
    page = _generate(cast, cast.lead, "licence", output="html")
    assert page["Content-Type"].startswith("text/html") and "Ezra Quill" in page.content.decode()


def _disclosure(document: str) -> AuditEvent | None:
    """The disclosure logged for a document (details live in the event's body)."""
    found = [
        e
        for e in AuditEvent.objects.filter(operation=Operation.DISCLOSURE)
        if e.details.get("document") == document
    ]
    return found[-1] if found else None


def test_a_document_reads_in_its_readers_language_to_the_page_numbers(cast: Cast) -> None:
    """The footer's page numbers were English whatever the reader's language (and the PDF said it was)."""
    from throughcare.accounts.models import User

    _record(cast)
    handover.start_handover(cast.case, by=cast.lead)
    User.objects.filter(pk=cast.lead.pk).update(language="de")
    text = " ".join(pdf_text(_generate(cast, cast.lead, "handover").content).split())
    assert "Seite 1 von" in text and "Page 1 of" not in text


def test_a_title_cannot_break_out_of_a_pdfs_footer() -> None:
    from django.template import Context, Template

    footer = Template("{{ title|css_string }} {% page_of_pages %}").render(
        Context({"title": 'A "quoted" title</style><b>\\'})
    )
    assert (
        footer == '"A \\22 quoted\\22  title\\3C /style\\3E \\3C b\\3E \\5C " '
        '"Page " counter(page) " of " counter(pages)'
    )
