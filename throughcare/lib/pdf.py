"""A page's printable part as a PDF (WeasyPrint): the same partial the page shows, in a plain print layout,
saying who generated it, when, and for whom."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded only for a PDF

    return bytes(HTML(string=html).write_pdf())


def pdf_response(
    request: HttpRequest, *, title: str, body: str, context: dict[str, Any], recipients: str, filename: str
) -> HttpResponse:
    """`body`: a partial of the page's template, e.g. "rehab/own_plan.html#body"."""
    html = render_to_string(
        "includes/pdf.html",
        context
        | {
            "pdf_title": title,
            "pdf_body": body,
            "pdf_generated_at": timezone.now(),
            "pdf_generated_by": request.user,
            "pdf_recipients": recipients,
        },
        request=request,
    )
    return file_response(pdf_bytes(html), filename)


def file_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
