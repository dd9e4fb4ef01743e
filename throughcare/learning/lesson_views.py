"""The lessons library: approved, anonymised lessons for every practitioner — searchable, filterable, and
exported as PDF and as a structured file for partners in other countries. And the reviewers' queue:
lessons and training cases waiting for a second person."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.accounts.models import User
from throughcare.learning import actions
from throughcare.learning.forms import DecisionForm, LessonFilterForm, ReviseLessonForm
from throughcare.learning.models import Lesson, LessonSource, TrainingCase, TrainingSource
from throughcare.learning.review_views import review_page_again
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.text import fold
from throughcare.sharing.access import Capability, has_capability, viewer_for

EXCHANGE_FORMAT = "throughcare-lessons/1"


def reads_library(user: User) -> bool:
    """Every practitioner — anyone who works for an agency here — reads the library."""
    return bool(viewer_for(user).roles)


def _reader(request: AuthedRequest) -> None:
    if not reads_library(request.user):
        raise PermissionDenied(gettext("The lessons library is for people who work for an agency."))


def _approved(request: AuthedRequest) -> tuple[list[Lesson], LessonFilterForm]:
    """Approved lessons matching the search and filters (an invalid filter is ignored, not an error)."""
    form = LessonFilterForm(request.GET)
    rows: QuerySet[Lesson] = Lesson.objects.filter(status=Lesson.Status.APPROVED).prefetch_related(
        "training_cases"
    )
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        for word in fold(data["q"]).split():
            rows = rows.filter(search_text__contains=word)
    if data.get("theme"):
        rows = rows.filter(theme=data["theme"])
    if data.get("phase"):
        rows = rows.filter(phase=data["phase"])
    if data.get("language"):
        rows = rows.filter(language=data["language"])
    found = list(rows.order_by("theme", "-reviewed_at"))
    if data.get("agency_kind"):
        found = [lesson for lesson in found if data["agency_kind"] in lesson.agency_kinds]
    return found, form


@require_GET
def library(request: AuthedRequest) -> HttpResponse:
    _reader(request)
    lessons, form = _approved(request)
    query = request.GET.urlencode()
    context = {
        "lessons": lessons,
        "form": form,
        "query": f"?{query}" if query else "",
        "reviewer": has_capability(request.user, Capability.REVIEW_TRAINING),
    }
    return render(request, "learning/library.html", context)


@require_GET
def lesson(request: AuthedRequest, lesson_id: int) -> HttpResponse:
    _reader(request)
    found = get_object_or_404(Lesson, pk=lesson_id, status=Lesson.Status.APPROVED)
    cases = found.training_cases.filter(status=TrainingCase.Status.APPROVED)
    return render(request, "learning/lesson.html", {"lesson": found, "training_cases": cases})


@require_GET
def export_json(request: AuthedRequest) -> HttpResponse:
    _reader(request)
    lessons, _ = _approved(request)
    document = {
        "format": EXCHANGE_FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "lessons": [_exchange(lesson) for lesson in lessons],
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="lessons.json"'
    return response


def _exchange(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "language": lesson.language,  # of what its author wrote: statement, recommendation, what changed
        "statement": lesson.statement,
        "theme": {"code": lesson.theme, "label": lesson.get_theme_display()},
        "phase": {"code": lesson.phase, "label": lesson.get_phase_display()},
        "agency_kinds": [
            {"code": code, "label": label}
            for code, label in zip(lesson.agency_kinds, lesson.agency_kind_labels(), strict=True)
        ],
        "recommendation": lesson.recommendation,
        "what_changed": lesson.what_changed,
        "approved_on": lesson.reviewed_at.date().isoformat() if lesson.reviewed_at else None,
        "training_cases": [
            t.title for t in lesson.training_cases.all() if t.status == TrainingCase.Status.APPROVED
        ],
    }


@require_GET
def export_pdf(request: AuthedRequest) -> HttpResponse:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded only for a PDF

    _reader(request)
    lessons, _ = _approved(request)
    html = render_to_string("learning/lessons_pdf.html", {"lessons": lessons, "on": timezone.localdate()})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="lessons.pdf"'
    return response


# The reviewers' queue -----------------------------------------------------------------------------------


def _reviewer(request: AuthedRequest) -> None:
    if not has_capability(request.user, Capability.REVIEW_TRAINING):
        raise Http404("Not found")


@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    return _queue_page(request)


def _queue_page(
    request: AuthedRequest, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    refused = refused or {}
    waiting: list[Any] = list(
        Lesson.objects.filter(status=Lesson.Status.AWAITING_REVIEW)
        .exclude(written_by=request.user)
        .select_related("written_by")
    )
    for item in waiting:
        item.form = refused.get(f"lesson-{item.pk}") or DecisionForm(
            auto_id=f"lesson-{item.pk}-%s", initial={"version": item.version}
        )
    training = TrainingCase.objects.filter(status=TrainingCase.Status.AWAITING_REVIEW).exclude(
        built_by=request.user
    )
    if has_capability(request.user, Capability.BUILD_TRAINING):  # a trainer: those whose case they see
        training = training.filter(
            pk__in=TrainingSource.objects.visible_to(request.user).values("training_case")
        )
    context = {
        "waiting": waiting,
        "training": training.select_related("built_by"),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "learning/queue.html", context, status=status)


@require_POST
def review_lesson(request: AuthedRequest, lesson_id: int) -> HttpResponse:
    _reviewer(request)
    item = get_object_or_404(Lesson, pk=lesson_id, status=Lesson.Status.AWAITING_REVIEW)
    form = DecisionForm(request.POST, auto_id=f"lesson-{item.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.review_lesson(
            item,
            by=request.user,
            approve=data["decision"] == "approve",
            note=data["note"],
            expected_version=data["version"],
        ),
        done=lambda data: (
            gettext("Lesson approved: it is in the lessons library.")
            if data["decision"] == "approve"
            else gettext("Lesson sent back to its author.")
        ),
        then=reverse("learning:queue"),
        again=lambda: _queue_page(request, {f"lesson-{item.pk}": form}, status=400),
    )


@require_POST
def revise_lesson(request: AuthedRequest, lesson_id: int) -> HttpResponse:
    """The author corrects a lesson that was sent back (from the review it was drawn from)."""
    item = get_object_or_404(Lesson, pk=lesson_id, written_by=request.user)
    source = get_object_or_404(LessonSource.objects.visible_to(request.user), lesson=item)
    form = ReviseLessonForm(request.POST, auto_id=f"revise-{item.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.revise_lesson(
            item,
            by=request.user,
            statement=data["statement"],
            recommendation=data["recommendation"],
            what_changed=data["what_changed"],
            expected_version=data["version"],
        ),
        done=gettext("Lesson revised: it waits for review again."),
        then=reverse("learning:review", args=[source.review_id]) + "#lessons",
        again=lambda: review_page_again(request, source.review_id, {f"revise-{item.pk}": form}),
    )
