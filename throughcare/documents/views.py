"""The Documents section of a case: what can be generated from the record, and generating it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.documents import actions
from throughcare.documents.kinds import KINDS, Kind, form_for
from throughcare.lib.errors import ActionRefused
from throughcare.lib.http import AuthedRequest
from throughcare.lib.pdf import file_response, pdf_bytes
from throughcare.sharing.access import get_case_for_user, standing_on_case


def _open(request: AuthedRequest, case_id: int) -> tuple[Case, Standing]:
    case = get_case_for_user(request.user, case_id, category=DataCategory.LEGAL)
    standing = standing_on_case(request.user, case)
    if not standing.works_on_case:
        raise Http404("No case found")
    return case, standing


@require_GET
def documents(request: AuthedRequest, case_id: int) -> HttpResponse:
    case, standing = _open(request, case_id)
    kinds = [(kind, kind.missing(case, standing)) for kind in KINDS.values() if kind.shown_to(standing)]
    context = {
        "case": case,
        "standing": standing,
        "section": "documents",
        "heading": gettext("Documents"),
        "kinds": kinds,
    }
    return render(request, "documents/list.html", context)


@require_http_methods(["GET", "POST"])
def document(request: AuthedRequest, case_id: int, key: str) -> HttpResponse:
    case, standing = _open(request, case_id)
    kind = KINDS.get(key)
    if kind is None or not kind.shown_to(standing):
        raise Http404("No such document")
    form = form_for(kind, case, standing, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            html = actions.generate(kind, case, standing, by=request.user, data=form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return _deliver(kind, case, html, form.cleaned_data["output"])
    status = 400 if form.is_bound else 200
    return _form_page(request, case, standing, kind, form, status)


def _form_page(
    request: AuthedRequest, case: Case, standing: Standing, kind: Kind, form: forms.Form, status: int
) -> HttpResponse:
    context: dict[str, Any] = {
        "case": case,
        "standing": standing,
        "section": "documents",
        "heading": kind.title,
        "kind": kind,
        "form": form,
        "missing": kind.missing(case, standing),
    }
    return render(request, "documents/form.html", context, status=status)


def _deliver(kind: Kind, case: Case, html: str, output: str) -> HttpResponse:
    if output == "html":
        return HttpResponse(html)
    return file_response(pdf_bytes(html), f"{case.reference}-{kind.key}.pdf")
