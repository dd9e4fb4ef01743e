"""Training: building a training case from a case, the second person's side-by-side review, trainees
working through scenarios in stages, trainers' comments, and training records.

What a trainee reaches holds nothing of the source case: training cases, their entries and stages are
anonymised rows with no link to it (the link, `TrainingSource`, is read through the gate, by the builder
and the reviewer only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import Membership, Role, User
from throughcare.cases.contributions import decision_points
from throughcare.cases.facts import certification_facts
from throughcare.cases.models import TimelineEntry
from throughcare.learning import actions, pipeline
from throughcare.learning.forms import (
    AnswerForm,
    BuildForm,
    CommentForm,
    DecisionForm,
    LinkLessonsForm,
    QuestionForm,
)
from throughcare.learning.lesson_views import reads_library
from throughcare.learning.models import (
    Lesson,
    TrainingAnswer,
    TrainingAttempt,
    TrainingCase,
    TrainingSource,
)
from throughcare.learning.scrub import IdentifierLeft, scrub
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import (
    Capability,
    has_capability,
    record_case_read,
    training_source_standing,
)


def _trainee(request: AuthedRequest) -> None:
    if not reads_library(request.user):
        raise Http404("Not found")


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    _trainee(request)
    user = request.user
    attempts = {a.training_case_id: a for a in TrainingAttempt.objects.filter(trainee=user)}
    approved: list[Any] = list(
        TrainingCase.objects.filter(status=TrainingCase.Status.APPROVED).annotate(stage_count=Count("stages"))
    )
    for item in approved:
        item.attempt = attempts.get(item.pk)
    trainer = has_capability(user, Capability.BUILD_TRAINING)
    context = {
        "approved": approved,
        "trainer": trainer,
        "reviewer": has_capability(user, Capability.REVIEW_TRAINING),
        "built": TrainingCase.objects.filter(built_by=user).order_by("-built_at") if trainer else [],
        "manages": bool(_managed(user)),
    }
    return render(request, "learning/training_home.html", context)


# Building and reviewing ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def build(request: AuthedRequest, case_id: int) -> HttpResponse:
    case, standing = training_source_standing(request.user, case_id, building=True)
    form = BuildForm(request.POST if request.method == "POST" else None, auto_id="build-%s")
    context = {"case": case, "standing": standing, "form": form}
    if request.method == "GET":
        return render(request, "learning/build.html", context)
    made: list[TrainingCase] = []
    return submit(
        request,
        form,
        lambda data: made.append(
            pipeline.build_training_case(
                case.pk, by=request.user, title=data["title"], language=data["language"]
            )
        ),
        done=gettext(
            "Training case built. A second person — the data protection officer or another trainer — "
            "compares it with the case before any trainee sees it."
        ),
        then=lambda: reverse("learning:training_case", args=[made[0].pk]),
        again=lambda: render(request, "learning/build.html", context, status=400),
    )


def _workshop(request: AuthedRequest, training_id: int) -> TrainingCase:
    """A training case as trainers and reviewers see it: an approved one, or one not yet approved that they
    built or may review against its source case (the gate's training channel decides); 404 otherwise."""
    if not has_capability(request.user, Capability.REVIEW_TRAINING):
        raise Http404("Not found")
    found = get_object_or_404(TrainingCase.objects.select_related("source"), pk=training_id)
    if found.status != TrainingCase.Status.APPROVED and found.built_by_id != request.user.pk:
        training_source_standing(request.user, found.source.case_id, building=False)
    return found


@require_GET
def training_case(request: AuthedRequest, training_id: int) -> HttpResponse:
    _trainee(request)
    if not has_capability(request.user, Capability.REVIEW_TRAINING):
        found = get_object_or_404(TrainingCase, pk=training_id, status=TrainingCase.Status.APPROVED)
        attempt = TrainingAttempt.objects.filter(training_case=found, trainee=request.user).first()
        return render(request, "learning/training_intro.html", {"training": found, "attempt": attempt})
    return _workshop_page(request, _workshop(request, training_id))


def _workshop_page(
    request: AuthedRequest,
    found: TrainingCase,
    refused: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    builder = found.built_by_id == request.user.pk and found.status != TrainingCase.Status.APPROVED
    stages: list[Any] = list(found.stages.all())
    for stage in stages:
        stage.form = refused.get(f"stage-{stage.number}") or QuestionForm(
            auto_id=f"stage-{stage.number}-%s", initial={"question": stage.question}
        )
    context = {
        "training": found,
        "entries": list(found.entries.all()),
        "stages": stages,
        "builder": builder,
        "may_link": found.built_by_id == request.user.pk,
        "lessons_form": refused.get("lessons")
        or LinkLessonsForm(auto_id="lessons-%s", initial={"lessons": list(found.lessons.all())}),
        "attempt": TrainingAttempt.objects.filter(training_case=found, trainee=request.user).first(),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "learning/training_case.html", context, status=status)


@require_POST
def edit_question(request: AuthedRequest, training_id: int, number: int) -> HttpResponse:
    found = _workshop(request, training_id)
    stage = get_object_or_404(found.stages, number=number)
    form = QuestionForm(request.POST, auto_id=f"stage-{number}-%s")
    return submit(
        request,
        form,
        lambda data: actions.edit_question(stage, by=request.user, question=data["question"]),
        done=gettext("Question saved."),
        then=reverse("learning:training_case", args=[found.pk]) + f"#stage-{number}",
        again=lambda: _workshop_page(request, found, {f"stage-{number}": form}, status=400),
    )


@require_POST
def link_lessons(request: AuthedRequest, training_id: int) -> HttpResponse:
    found = _workshop(request, training_id)
    form = LinkLessonsForm(request.POST, auto_id="lessons-%s")
    return submit(
        request,
        form,
        lambda data: actions.link_lessons(found, by=request.user, lessons=list(data["lessons"])),
        done=gettext("Lessons linked: trainees see them when the scenario reveals what happened."),
        then=reverse("learning:training_case", args=[found.pk]) + "#lessons",
        again=lambda: _workshop_page(request, found, {"lessons": form}, status=400),
    )


@require_POST
def resubmit(request: AuthedRequest, training_id: int) -> HttpResponse:
    found = _workshop(request, training_id)
    form = forms.Form(request.POST)
    return submit(
        request,
        form,
        lambda data: actions.resubmit(found, by=request.user),
        done=gettext("Submitted for review again."),
        then=reverse("learning:training_case", args=[found.pk]),
        again=lambda: _workshop_page(request, found, {"resubmit": form}, status=400),
    )


@require_GET
def review(request: AuthedRequest, training_id: int) -> HttpResponse:
    found = _workshop(request, training_id)
    return _review_page(request, found)


def _review_page(
    request: AuthedRequest, found: TrainingCase, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    """The original and the training case side by side, every replacement highlighted on both sides."""
    source: TrainingSource = found.source
    case, standing = training_source_standing(request.user, source.case_id, building=False)
    ids = [int(k.split(":")[1]) for k in source.entry_sources if k.startswith("entry:")]
    originals = {
        e.pk: e
        for e in TimelineEntry.objects.on_case_as(case, standing).filter(pk__in=ids).select_related("author")
    }
    known = pipeline.known_identifiers(case, pipeline.PERSON, [str(e.body) for e in originals.values()])
    rows = []
    entries = {e.position: e for e in found.entries.all()}
    for position, key in enumerate(source.entry_sources):
        original = originals.get(int(key.split(":")[1]))
        rows.append(
            {"training": entries.get(position), "original": original, **_original_marks(original, known)}
        )
    points = {p.key: p for p in decision_points(case, standing)}
    stages = [
        {"stage": stage, "original": points.get(key)}
        for stage, key in zip(found.stages.all(), source.stage_sources, strict=False)
    ]
    record_case_read(
        request.user,
        case,
        "cases.timelineentry",
        list(originals),
        channel="training review",
        standing=standing,
    )
    missing = actions.source_categories(found) - standing.categories
    context = {
        "training": found,
        "case": case,
        "rows": rows,
        "stages": stages,
        "offset": -source.offset_days,
        "missing": sorted(missing),
        "own": found.built_by_id == request.user.pk,
        "form": form or DecisionForm(auto_id="decision-%s", initial={"version": found.version}),
    }
    return render(request, "learning/training_review.html", context, status=status)


def _original_marks(original: TimelineEntry | None, known: list[Any]) -> dict[str, Any]:
    if original is None:
        return {"original_text": "", "original_marks": []}
    if original.category == "health":
        return {
            "original_text": str(original.body),
            "original_marks": [[0, len(str(original.body)), "health"]],
        }
    try:
        result = scrub(str(original.body), known)
    except IdentifierLeft:
        return {"original_text": str(original.body), "original_marks": []}
    return {
        "original_text": str(original.body),
        "original_marks": [[r.start, r.end, r.kind] for r in result.replacements],
    }


@require_POST
def decide(request: AuthedRequest, training_id: int) -> HttpResponse:
    found = _workshop(request, training_id)
    form = DecisionForm(request.POST, auto_id="decision-%s")
    return submit(
        request,
        form,
        lambda data: actions.review_training_case(
            found,
            by=request.user,
            approve=data["decision"] == "approve",
            note=data["note"],
            expected_version=data["version"],
        ),
        done=lambda data: (
            gettext("Training case approved: trainees can now work through it.")
            if data["decision"] == "approve"
            else gettext("Training case sent back to the trainer who built it.")
        ),
        then=reverse("learning:training_case", args=[found.pk]),
        again=lambda: _review_page(request, found, form, status=400),
    )


# Trainees ---------------------------------------------------------------------------------------------


@require_POST
def start(request: AuthedRequest, training_id: int) -> HttpResponse:
    _trainee(request)
    found = get_object_or_404(TrainingCase, pk=training_id, status=TrainingCase.Status.APPROVED)
    made: list[TrainingAttempt] = []
    return submit(
        request,
        forms.Form(request.POST),
        lambda data: made.append(actions.start(found, by=request.user)),
        done=gettext("Scenario started."),
        then=lambda: reverse("learning:attempt", args=[made[0].pk]),
        again=lambda: render(request, "learning/training_intro.html", {"training": found}, status=400),
    )


def _attempt(request: AuthedRequest, attempt_id: int) -> TrainingAttempt:
    """The trainee's own scenario, or — for a trainer of their agency — theirs to read; else 404."""
    attempt = get_object_or_404(
        TrainingAttempt.objects.select_related("training_case", "trainee"), pk=attempt_id
    )
    if attempt.trainee_id != request.user.pk and not actions.trains(request.user, attempt.trainee):
        raise Http404("Not found")
    return attempt


@require_GET
def attempt(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    return _attempt_page(request, _attempt(request, attempt_id))


def _attempt_page(
    request: AuthedRequest,
    attempt: TrainingAttempt,
    refused: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    training = attempt.training_case
    entries = list(training.entries.all())
    answers = {a.stage_id: a for a in attempt.answers.select_related("commented_by")}
    stages = list(training.stages.all())
    shown: list[dict[str, Any]] = []
    until = 0
    trainer = attempt.trainee_id != request.user.pk
    for stage in stages:
        given = answers.get(stage.pk)
        shown.append(
            {
                "stage": stage,
                "before": [e for e in entries if until <= e.position < stage.shown_until],
                "answer": given,
                "followed": [e for e in entries if stage.shown_until <= e.position < stage.reveal_until]
                if given
                else [],
                "form": refused.get(f"stage-{stage.number}")
                or AnswerForm(auto_id=f"stage-{stage.number}-%s"),
                "comment_form": (
                    refused.get(f"comment-{given.pk}") or CommentForm(auto_id=f"comment-{given.pk}-%s")
                )
                if given and trainer
                else None,
            }
        )
        until = stage.reveal_until if given else stage.shown_until
        if given is None:
            break
    context = {
        "attempt": attempt,
        "training": training,
        "shown": shown,
        "trainer": trainer,
        "done": attempt.completed_at is not None,
        "lessons": training.lessons.filter(status=Lesson.Status.APPROVED)
        if attempt.completed_at or trainer
        else [],
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "learning/attempt.html", context, status=status)


@require_POST
def answer(request: AuthedRequest, attempt_id: int, number: int) -> HttpResponse:
    found = _attempt(request, attempt_id)
    stage = get_object_or_404(found.training_case.stages, number=number)
    form = AnswerForm(request.POST, auto_id=f"stage-{number}-%s")
    return submit(
        request,
        form,
        lambda data: actions.answer(
            found, stage, by=request.user, would_do=data["would_do"], why=data["why"]
        ),
        done=gettext("Answer recorded. Here is what was decided, and what followed."),
        then=reverse("learning:attempt", args=[found.pk]) + f"#stage-{number}",
        again=lambda: _attempt_page(request, found, {f"stage-{number}": form}, status=400),
    )


@require_POST
def comment(request: AuthedRequest, answer_id: int) -> HttpResponse:
    given = get_object_or_404(
        TrainingAnswer.objects.select_related("attempt__trainee", "stage"), pk=answer_id
    )
    found = _attempt(request, given.attempt_id)
    form = CommentForm(request.POST, auto_id=f"comment-{given.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.comment(given, by=request.user, text=data["text"]),
        done=gettext("Comment saved: the trainee sees it with their answer."),
        then=reverse("learning:attempt", args=[found.pk]) + f"#stage-{given.stage.number}",
        again=lambda: _attempt_page(request, found, {f"comment-{given.pk}": form}, status=400),
    )


@require_GET
def trainees(request: AuthedRequest) -> HttpResponse:
    """A trainer's view: the scenarios their agencies' trainees worked through, newest first."""
    if not has_capability(request.user, Capability.BUILD_TRAINING):
        raise Http404("Not found")
    mine = Membership.objects.filter(user=request.user, is_active=True, may_train=True).values("agency")
    attempts = (
        TrainingAttempt.objects.filter(
            trainee__memberships__agency__in=mine, trainee__memberships__is_active=True
        )
        .exclude(trainee=request.user)
        .select_related("trainee", "training_case")
        .annotate(
            answered=Count("answers", distinct=True),
            commented=Count("answers", filter=~Q(answers__comment=""), distinct=True),
        )
        .distinct()
        .order_by("-started_at")
    )
    return render(request, "learning/trainees.html", {"attempts": attempts})


# Training records -------------------------------------------------------------------------------------


def _managed(user: User) -> list[int]:
    return list(
        Membership.objects.filter(user=user, is_active=True, role=Role.MANAGER).values_list(
            "agency", flat=True
        )
    )


@require_GET
def my_record(request: AuthedRequest) -> HttpResponse:
    _trainee(request)
    return _record_page(request, request.user)


@require_GET
def record_of(request: AuthedRequest, user_id: int) -> HttpResponse:
    """A manager reads the training records of their agencies' staff (anyone else: 404)."""
    person = get_object_or_404(
        User.objects.filter(
            memberships__agency__in=_managed(request.user), memberships__is_active=True
        ).distinct(),
        pk=user_id,
    )
    return _record_page(request, person)


def _record_page(request: AuthedRequest, person: User) -> HttpResponse:
    attempts = (
        TrainingAttempt.objects.filter(trainee=person)
        .select_related("training_case")
        .annotate(answered=Count("answers"), stages=Count("training_case__stages", distinct=True))
    )
    context = {
        "person": person,
        "own": person == request.user,
        "completed": [a for a in attempts if a.completed_at],
        "in_progress": [a for a in attempts if not a.completed_at],
        "certificates": certification_facts().certificates([person.pk]).get(person.pk, []),
        "today": timezone.localdate(),
    }
    return render(request, "learning/record.html", context)


@require_GET
def records(request: AuthedRequest) -> HttpResponse:
    """A manager's view of their agencies' training records."""
    managed = _managed(request.user)
    if not managed:
        raise Http404("Not found")
    staff: list[Any] = list(
        User.objects.filter(memberships__agency__in=managed, memberships__is_active=True)
        .distinct()
        .annotate(
            completed=Count(
                "training_attempts", filter=Q(training_attempts__completed_at__isnull=False), distinct=True
            ),
            started=Count("training_attempts", distinct=True),
        )
        .order_by("last_name", "first_name")
    )
    certificates = certification_facts().certificates([u.pk for u in staff])
    today = timezone.localdate()
    for user in staff:
        user.valid_certificates = [c for c in certificates.get(user.pk, []) if c.expires_on >= today]
    return render(request, "learning/records.html", {"staff": staff})
