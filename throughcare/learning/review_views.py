"""Case reviews: a case's reviews, and one review — its chronology of decision points (each shown only to
those holding its category), findings by theme, recommendations, conclusion and the lessons drawn."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import User
from throughcare.cases.contributions import decision_points
from throughcare.cases.models import Case, DataCategory
from throughcare.learning import actions
from throughcare.learning.forms import (
    ConcludeForm,
    FindingForm,
    LessonForm,
    NoteForm,
    OpenReviewForm,
    RecommendationForm,
    ReviseLessonForm,
    UpdateRecommendationForm,
)
from throughcare.learning.models import (
    CaseReview,
    ChronologyNote,
    Finding,
    Lesson,
    LessonSource,
    Recommendation,
    Theme,
)
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.wording import lowered
from throughcare.sharing.access import (
    Capability,
    get_case_for_user,
    has_capability,
    record_case_read,
    standing_on_case,
)

RISK = DataCategory.RISK


@require_GET
def case_reviews(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _list_page(request, get_case_for_user(request.user, case_id, category=RISK))


def _list_page(
    request: AuthedRequest, case: Case, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    standing = standing_on_case(request.user, case)
    reviews = list(CaseReview.objects.on_case_as(case, standing).select_related("opened_by"))
    record_case_read(request.user, case, "learning.casereview", [r.pk for r in reviews], channel="reviews")
    context = {
        "case": case,
        "standing": standing,
        "section": "reviews",
        "heading": gettext("Reviews"),
        "reviews": reviews,
        "may_open": has_capability(request.user, Capability.REVIEW_CASE, case),
        "may_build": has_capability(request.user, Capability.BUILD_TRAINING),
        "form": form or OpenReviewForm(auto_id="review-%s"),
        "refused": form,
    }
    return render(request, "learning/case_reviews.html", context, status=status)


@require_POST
def open_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=RISK)
    form = OpenReviewForm(request.POST, auto_id="review-%s")
    made: list[CaseReview] = []
    return submit(
        request,
        form,
        lambda data: made.append(
            actions.open_review(case, by=request.user, trigger=data["trigger"], terms=data["terms"])
        ),
        done=gettext(
            "Review opened. Its chronology is drawn from the record: annotate the points, then record "
            "findings."
        ),
        then=lambda: reverse("learning:review", args=[made[0].pk]),
        again=lambda: _list_page(request, case, form, status=400),
    )


def _review(request: AuthedRequest, review_id: int) -> tuple[CaseReview, Case]:
    review = get_object_or_404(CaseReview.objects.visible_to(request.user), pk=review_id)
    case = get_case_for_user(request.user, review.case_id, category=RISK)
    review.case = case
    return review, case


@require_GET
def review(request: AuthedRequest, review_id: int) -> HttpResponse:
    found, case = _review(request, review_id)
    return _review_page(request, found, case)


def _owners() -> Any:
    return User.objects.filter(is_active=True, memberships__is_active=True).distinct().order_by("last_name")


def _review_page(
    request: AuthedRequest,
    review: CaseReview,
    case: Case,
    refused: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    standing = standing_on_case(request.user, case)
    may_lesson = has_capability(request.user, Capability.REVIEW_CASE, case)
    reviewing = may_lesson and review.status == CaseReview.Status.OPEN
    notes: dict[str, list[ChronologyNote]] = defaultdict(list)
    for note in (
        ChronologyNote.objects.on_case_as(case, standing).filter(review=review).select_related("written_by")
    ):
        notes[note.point].append(note)
    points = []
    for index, point in enumerate(decision_points(case, standing)):
        key = f"note-{index}"
        points.append(
            {
                "point": point,
                "notes": notes.get(point.key, []),
                "index": index,
                "form": refused.get(point.key) or NoteForm(auto_id=f"{key}-%s"),
            }
        )
    findings = list(
        Finding.objects.on_case_as(case, standing).filter(review=review).select_related("written_by")
    )
    by_theme: dict[str, dict[str, list[Finding]]] = {}
    labels = dict(Theme.choices)
    for finding in findings:
        by_theme.setdefault(str(labels[finding.theme]), {"worked": [], "did_not": []})[finding.went].append(
            finding
        )
    recommendations = list(
        Recommendation.objects.on_case_as(case, standing)
        .filter(review=review)
        .select_related("agency", "owner")
    )
    for item in recommendations:
        item.may_update = actions.may_update(item, request.user)
        item.form = refused.get(f"recommendation-{item.pk}") or UpdateRecommendationForm(
            auto_id=f"recommendation-{item.pk}-%s",
            initial={
                "status": item.status,
                "evidence": item.evidence,
                "reason": item.reason,
                "version": item.version,
            },
        )
    lessons = [
        s.lesson
        for s in LessonSource.objects.on_case_as(case, standing)
        .filter(review=review)
        .select_related("lesson")
    ]
    for lesson in lessons:
        if lesson.written_by_id == request.user.pk and lesson.status == Lesson.Status.SENT_BACK:
            lesson.form = refused.get(f"revise-{lesson.pk}") or ReviseLessonForm(
                auto_id=f"revise-{lesson.pk}-%s",
                initial={
                    "statement": lesson.statement,
                    "recommendation": lesson.recommendation,
                    "what_changed": lesson.what_changed,
                    "version": lesson.version,
                },
            )
    record_case_read(request.user, case, "learning.casereview", [review.pk], channel="reviews")
    context = {
        "case": case,
        "standing": standing,
        "section": "reviews",
        "heading": f"{review.get_trigger_display()} review",
        "review": review,
        "reviewing": reviewing,
        "may_lesson": may_lesson,
        "points": points,
        "by_theme": by_theme,
        "recommendations": recommendations,
        "lessons": lessons,
        "finding_form": refused.get("finding") or FindingForm(auto_id="finding-%s"),
        "recommendation_form": refused.get("recommendation")
        or RecommendationForm(auto_id="recommendation-%s", owners=_owners()),
        "lesson_form": refused.get("lesson") or LessonForm(auto_id="lesson-%s"),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "learning/review.html", context, status=status)


def review_page_again(request: AuthedRequest, review_id: int, refused: dict[str, forms.Form]) -> HttpResponse:
    found, case = _review(request, review_id)
    return _review_page(request, found, case, refused, status=400)


@require_POST
def note_point(request: AuthedRequest, review_id: int, point: str) -> HttpResponse:
    found, case = _review(request, review_id)
    index = next(
        (
            i
            for i, p in enumerate(decision_points(case, standing_on_case(request.user, case)))
            if p.key == point
        ),
        0,
    )
    form = NoteForm(request.POST, auto_id=f"note-{index}-%s")
    return submit(
        request,
        form,
        lambda data: actions.note_point(found, point, by=request.user, text=data["text"]),
        done=gettext("Note added to the chronology."),
        then=reverse("learning:review", args=[found.pk]) + f"#point-{index}",
        again=lambda: _review_page(request, found, case, {point: form}, status=400),
    )


@require_POST
def add_finding(request: AuthedRequest, review_id: int) -> HttpResponse:
    found, case = _review(request, review_id)
    form = FindingForm(request.POST, auto_id="finding-%s")
    return submit(
        request,
        form,
        lambda data: actions.add_finding(found, by=request.user, **data),
        done=gettext("Finding recorded."),
        then=reverse("learning:review", args=[found.pk]) + "#findings",
        again=lambda: _review_page(request, found, case, {"finding": form}, status=400),
    )


@require_POST
def add_recommendation(request: AuthedRequest, review_id: int) -> HttpResponse:
    found, case = _review(request, review_id)
    form = RecommendationForm(request.POST, auto_id="recommendation-%s", owners=_owners())
    return submit(
        request,
        form,
        lambda data: actions.add_recommendation(found, by=request.user, **data),
        done=gettext(
            "Recommendation made. Its owner is told, and it appears in their Needs attention until done."
        ),
        then=reverse("learning:review", args=[found.pk]) + "#recommendations",
        again=lambda: _review_page(request, found, case, {"recommendation": form}, status=400),
    )


@require_POST
def update_recommendation(request: AuthedRequest, recommendation_id: int) -> HttpResponse:
    item = get_object_or_404(Recommendation.objects.visible_to(request.user), pk=recommendation_id)
    found, case = _review(request, item.review_id)
    form = UpdateRecommendationForm(request.POST, auto_id=f"recommendation-{item.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.update_recommendation(
            item,
            by=request.user,
            status=data["status"],
            evidence=data["evidence"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done=gettext("Recommendation updated."),
        then=reverse("learning:review", args=[found.pk]) + f"#recommendation-{item.pk}",
        again=lambda: _review_page(request, found, case, {f"recommendation-{item.pk}": form}, status=400),
    )


@require_http_methods(["GET", "POST"])
def conclude(request: AuthedRequest, review_id: int) -> HttpResponse:
    found, case = _review(request, review_id)
    here = reverse("learning:review", args=[found.pk])
    confirmation = Confirmation(
        title=gettext("Conclude this review?"),
        button=gettext("Conclude the review"),
        action=reverse("learning:conclude", args=[found.pk]),
        cancel=here,
        caption=gettext("Review of case %(reference)s: %(trigger)s")
        % {"reference": case.reference, "trigger": lowered(found.get_trigger_display())},
        consequences=[
            gettext("The chronology, its notes and the findings can no longer be changed."),
            gettext("Recommendations stay open until their owners implement or reject them."),
        ],
    )
    form = ConcludeForm(posted(request), initial={"version": found.version})
    return confirmation.run(
        request,
        form,
        lambda data: actions.conclude_review(
            found, by=request.user, conclusion=data["conclusion"], expected_version=data["version"]
        ),
        done=gettext("Review concluded."),
        then=here,
    )


@require_POST
def write_lesson(request: AuthedRequest, review_id: int) -> HttpResponse:
    found, case = _review(request, review_id)
    form = LessonForm(request.POST, auto_id="lesson-%s")
    return submit(
        request,
        form,
        lambda data: actions.write_lesson(found, by=request.user, **data),
        done=gettext(
            "Lesson written. A second person (the data protection officer or a trainer) reviews it "
            "before it appears in the lessons library."
        ),
        then=reverse("learning:review", args=[found.pk]) + "#lessons",
        again=lambda: _review_page(request, found, case, {"lesson": form}, status=400),
    )
