"""The verbs of learning: case reviews and their recommendations, lessons, the review of training cases and
lessons before anyone else reads them, and trainees working through scenarios. Each writes its audit event in
its own transaction; a stale form is detected by the row's version."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.contributions import decision_points
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.learning.models import (
    CaseReview,
    ChronologyNote,
    Finding,
    Lesson,
    LessonSource,
    Recommendation,
    TrainingAnswer,
    TrainingAttempt,
    TrainingCase,
    TrainingEntry,
    TrainingSource,
    TrainingStage,
)
from throughcare.learning.pipeline import PERSON, known_identifiers, written_language
from throughcare.learning.scrub import kind_label, remaining
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.text import fold
from throughcare.lib.wording import label_of, midsentence, worded, worded_count
from throughcare.notifications.send import managers_of, notify
from throughcare.sharing.access import (
    Capability,
    Standing,
    case_standing_or_none,
    has_capability,
    require_capability,
    standing_on_case,
    training_source_standing,
)

TEXT_MAX = 10_000
RISK = DataCategory.RISK


def _text(value: str, field: str, missing: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    """The text given, stripped; `missing` is the whole message when it is required and left empty."""
    value = value.strip()
    if required and not value:
        raise ActionRefused(missing, field=field)
    if len(value) > limit:
        raise ActionRefused(
            gettext("Keep this to %(limit)s characters or fewer")
            % {"limit": number_format(limit, force_grouping=True)},
            field=field,
        )
    return value


def _reviewer(review: CaseReview | Case, by: User, doing: str) -> Standing:
    case = review.case if isinstance(review, CaseReview) else review
    require_capability(by, Capability.REVIEW_CASE, doing=doing, case=case)
    return standing_on_case(by, case)


def _open_review(review: CaseReview) -> None:
    if review.status != CaseReview.Status.OPEN:
        raise ActionRefused(gettext("This review is concluded: it can no longer be changed."))


# Case reviews ------------------------------------------------------------------------------------------


def open_review(case: Case, *, by: User, trigger: str, terms: str) -> CaseReview:
    standing = _reviewer(case, by, "open a case review")
    terms = _text(terms, "terms", gettext("Enter what the review asks"))
    with transaction.atomic():
        review = CaseReview.objects.create(
            case=case, trigger=trigger, terms=terms, opened_by=by, opened_by_agency=standing.agency
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded("Case review opened: %(trigger)s.", trigger=midsentence(label_of(review, "trigger"))),
            by,
            standing.agency,
            category=RISK,
        )
        record(
            Operation.COLLECTION,
            review,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification="case review opened",
            details={"trigger": trigger},
        )
    return review


def note_point(review: CaseReview, point: str, *, by: User, text: str) -> ChronologyNote:
    """Annotate a point of the chronology: the note carries the point's category."""
    standing = _reviewer(review, by, "annotate a case review")
    _open_review(review)
    text = _text(text, "text", gettext("Enter the note"))
    found = next((p for p in decision_points(review.case, standing) if p.key == point), None)
    if found is None:
        raise ActionRefused(gettext("That point is not in the chronology."), field="text")
    with transaction.atomic():
        note = ChronologyNote.objects.create(
            review=review, point=point, category=found.category, text=text, written_by=by
        )
        record(
            Operation.COLLECTION,
            note,
            by=by,
            agency=standing.agency,
            case_id=review.case_id,
            justification="case review: chronology annotated",
        )
    return note


def add_finding(review: CaseReview, *, by: User, theme: str, went: str, text: str, factors: str) -> Finding:
    standing = _reviewer(review, by, "record findings")
    _open_review(review)
    finding = Finding(
        review=review,
        theme=theme,
        went=went,
        text=_text(text, "text", gettext("Enter the finding")),
        factors=_text(factors, "factors", gettext("Enter the contributing factors"), required=False),
        written_by=by,
    )
    with transaction.atomic():
        finding.save()
        record(
            Operation.COLLECTION,
            finding,
            by=by,
            agency=standing.agency,
            case_id=review.case_id,
            justification="case review: finding recorded",
            details={"theme": theme, "went": went},
        )
    return finding


def add_recommendation(
    review: CaseReview, *, by: User, theme: str, text: str, agency: Agency, owner: User, due_on: date
) -> Recommendation:
    standing = _reviewer(review, by, "make recommendations")
    _open_review(review)
    text = _text(text, "text", gettext("Enter the recommendation"))
    if not Membership.objects.filter(user=owner, agency=agency, is_active=True).exists():
        raise ActionRefused(
            gettext("%(owner)s does not work for %(label)s: choose an owner there.")
            % {"owner": owner, "label": agency.label},
            field="owner",
        )
    owner_standing = case_standing_or_none(owner, review.case)
    if owner_standing is None or not owner_standing.holds(RISK):
        raise ActionRefused(
            gettext(
                "%(owner)s may not see this case's risk data, so could not read the "
                "recommendation: choose someone who works on the case, or a manager of "
                "an agency on it."
            )
            % {"owner": owner},
            field="owner",
        )
    if due_on < timezone.localdate():
        raise ActionRefused(gettext("The deadline cannot be in the past"), field="due_on")
    with transaction.atomic():
        made = Recommendation.objects.create(
            review=review, theme=theme, text=text, agency=agency, owner=owner, due_on=due_on, written_by=by
        )
        record(
            Operation.COLLECTION,
            made,
            by=by,
            agency=standing.agency,
            case_id=review.case_id,
            justification="case review: recommendation made",
            details={"owner": owner.pk},
        )
        if owner != by:
            notify(
                [owner],
                worded("Recommendation for you from a review of %(case)s", case=review.case.reference),
                worded("Due %(date)s: %(recommendation)s", date=due_on, recommendation=text[:200]),
                reverse("learning:review", args=[review.pk]) + f"#recommendation-{made.pk}",
                case_id=review.case_id,
                category=RISK,
            )
    return made


def may_update(recommendation: Recommendation, user: User) -> bool:
    """Its owner, a manager of the owning agency, or whoever may review the case."""
    if recommendation.owner_id == user.pk:
        return True
    manages = Membership.objects.filter(
        user=user, agency=recommendation.agency_id, role=Role.MANAGER, is_active=True
    ).exists()
    return manages or has_capability(user, Capability.REVIEW_CASE, recommendation.review.case)


def update_recommendation(
    recommendation: Recommendation,
    *,
    by: User,
    status: str,
    evidence: str,
    reason: str,
    expected_version: int,
) -> None:
    if not may_update(recommendation, by):
        raise ActionRefused(
            gettext(
                "Only the owner of the recommendation, a manager of its agency or a reviewer can update it."
            )
        )
    evidence = _text(
        evidence,
        "evidence",
        gettext("Enter the evidence"),
        required=status == Recommendation.Status.IMPLEMENTED,
    )
    reason = _text(
        reason,
        "reason",
        gettext("Enter why it was rejected"),
        required=status == Recommendation.Status.REJECTED,
    )
    done = status in (Recommendation.Status.IMPLEMENTED, Recommendation.Status.REJECTED)
    standing = case_standing_or_none(by, recommendation.review.case)
    with transaction.atomic():
        changed = Recommendation.objects.filter(pk=recommendation.pk, version=expected_version).update(
            status=status,
            evidence=evidence,
            reason=reason,
            done_at=timezone.now() if done else None,
            version=F("version") + 1,
        )
        if not changed:
            raise EditConflict(
                gettext(
                    "Someone updated this recommendation after you opened the page. Nothing"
                    " was saved: look at "
                    "its status now and update it again if you still need to."
                )
            )
        record(
            Operation.ALTERATION,
            recommendation,
            by=by,
            agency=standing.agency if standing else None,
            case_id=recommendation.review.case_id,
            justification="recommendation updated",
            details={"status": status},
        )


def conclude_review(review: CaseReview, *, by: User, conclusion: str, expected_version: int) -> None:
    standing = _reviewer(review, by, "conclude a case review")
    conclusion = _text(conclusion, "conclusion", gettext("Enter the conclusion"))
    if not review.findings.exists():
        raise ActionRefused(
            gettext("Record at least one finding before concluding the review."), field="conclusion"
        )
    with transaction.atomic():
        changed = CaseReview.objects.filter(
            pk=review.pk, version=expected_version, status=CaseReview.Status.OPEN
        ).update(
            status=CaseReview.Status.CONCLUDED,
            conclusion=conclusion,
            concluded_at=timezone.now(),
            version=F("version") + 1,
        )
        if not changed:
            raise EditConflict(
                gettext("Someone changed or concluded this review after you opened it. Nothing was saved.")
            )
        record_on_timeline(
            review.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            "Case review concluded.",
            by,
            standing.agency,
            category=RISK,
        )
        record(
            Operation.ALTERATION,
            review,
            by=by,
            agency=standing.agency,
            case_id=review.case_id,
            justification="case review concluded",
        )


def escalate_overdue_recommendations(today: date) -> int:
    """Tell the owning agency's managers, once, of each recommendation past its deadline."""
    overdue = Recommendation.objects.filter(
        done_at__isnull=True, escalated_at__isnull=True, due_on__lt=today
    ).select_related("review__case", "agency", "owner")
    count = 0
    for item in overdue:
        with transaction.atomic():
            notify(
                managers_of([item.agency]),
                worded("Review recommendation overdue on %(case)s", case=item.review.case.reference),
                worded_count(
                    "Owned by %(person)s, due %(date)s; %(count)s day overdue.",
                    "Owned by %(person)s, due %(date)s; %(count)s days overdue.",
                    (today - item.due_on).days,
                    person=str(item.owner),
                    date=item.due_on,
                ),
                reverse("learning:review", args=[item.review_id]) + f"#recommendation-{item.pk}",
                case_id=item.review.case_id,
                category=RISK,
            )
            Recommendation.objects.filter(pk=item.pk).update(escalated_at=timezone.now())
            record(
                Operation.ALTERATION,
                item,
                by=None,
                case_id=item.review.case_id,
                justification="overdue recommendation escalated",
            )
        count += 1
    return count


# Lessons -----------------------------------------------------------------------------------------------


def _check_anonymous(case: Case, texts: dict[str, str]) -> None:
    """Refuse a lesson that names anyone or anywhere known on its case."""
    known = known_identifiers(case, PERSON, texts.values())
    for field, text in texts.items():
        left = remaining(text, known)
        if left:
            kind, near = left[0]
            raise ActionRefused(
                gettext(
                    "This names someone or something known on the case (%(kind)s), near "
                    "“…%(near)s…”. Lessons are read by every practitioner: describe roles "
                    "and kinds of agency instead."
                )
                % {"kind": kind_label(kind), "near": near},
                field=field,
            )


def write_lesson(
    review: CaseReview,
    *,
    by: User,
    statement: str,
    theme: str,
    phase: str,
    agency_kinds: list[str],
    recommendation: str,
    what_changed: str,
    language: str = "",
) -> Lesson:
    """A lesson drawn from a case review, in `language` (the author's own by default)."""
    standing = _reviewer(review, by, "draw lessons from a case review")
    language = written_language(language)
    texts = {
        "statement": _text(statement, "statement", gettext("Enter the lesson"), limit=300),
        "recommendation": _text(recommendation, "recommendation", gettext("Enter what was recommended")),
        "what_changed": _text(what_changed, "what_changed", gettext("Enter what changed"), required=False),
    }
    if not agency_kinds:
        raise ActionRefused(gettext("Choose the kinds of agency involved"), field="agency_kinds")
    _check_anonymous(review.case, texts)
    with transaction.atomic():
        lesson = Lesson.objects.create(
            theme=theme,
            phase=phase,
            agency_kinds=sorted(agency_kinds),
            written_by=by,
            language=language,
            search_text=fold(" ".join(texts.values())),
            **texts,
        )
        LessonSource.objects.create(lesson=lesson, review=review)
        record(
            Operation.COLLECTION,
            lesson,
            by=by,
            agency=standing.agency,
            case_id=review.case_id,
            justification="lesson drawn from a case review",
        )
    return lesson


def review_lesson(lesson: Lesson, *, by: User, approve: bool, note: str, expected_version: int) -> None:
    """A second person approves a lesson (it is then read by everyone, and exported) or sends it back."""
    require_capability(by, Capability.REVIEW_TRAINING, doing="review lessons")
    if lesson.written_by_id == by.pk:
        raise ActionRefused(gettext("Someone other than its author must review a lesson."), field="note")
    note = _text(note, "note", gettext("Enter why it is sent back"), required=not approve)
    source = LessonSource.objects.select_related("review__case").filter(lesson=lesson).first()
    if approve and source is not None:
        _check_anonymous(
            source.review.case, {"note": f"{lesson.statement} {lesson.recommendation} {lesson.what_changed}"}
        )
    status = Lesson.Status.APPROVED if approve else Lesson.Status.SENT_BACK
    with transaction.atomic():
        changed = Lesson.objects.filter(pk=lesson.pk, version=expected_version).update(
            status=status,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            review_note=note,
            version=F("version") + 1,
        )
        if not changed:
            raise EditConflict(
                gettext("The lesson changed after you opened it. Nothing was saved: review it again.")
            )
        record(
            Operation.DISCLOSURE if approve else Operation.ALTERATION,
            lesson,
            by=by,
            case_id=source.review.case_id if source else None,
            justification="lesson approved for the lessons library" if approve else "lesson sent back",
            recipients=["every practitioner", "partners (exports)"] if approve else [],
        )


def revise_lesson(
    lesson: Lesson, *, by: User, statement: str, recommendation: str, what_changed: str, expected_version: int
) -> None:
    """The author corrects a lesson sent back; it waits for review again."""
    if lesson.written_by_id != by.pk:
        raise ActionRefused(gettext("Only the author can revise a lesson."))
    texts = {
        "statement": _text(statement, "statement", gettext("Enter the lesson"), limit=300),
        "recommendation": _text(recommendation, "recommendation", gettext("Enter what was recommended")),
        "what_changed": _text(what_changed, "what_changed", gettext("Enter what changed"), required=False),
    }
    source = LessonSource.objects.select_related("review__case").filter(lesson=lesson).first()
    if source is not None:
        _check_anonymous(source.review.case, texts)
    with transaction.atomic():
        changed = (
            Lesson.objects.filter(pk=lesson.pk, version=expected_version)
            .exclude(status=Lesson.Status.APPROVED)
            .update(
                status=Lesson.Status.AWAITING_REVIEW,
                search_text=fold(" ".join(texts.values())),
                version=F("version") + 1,
                **texts,
            )
        )
        if not changed:
            raise EditConflict(gettext("The lesson changed after you opened it. Nothing was saved."))
        record(
            Operation.ALTERATION,
            lesson,
            by=by,
            case_id=source.review.case_id if source else None,
            justification="lesson revised",
        )


# Training cases ----------------------------------------------------------------------------------------


def review_training_case(
    training: TrainingCase, *, by: User, approve: bool, note: str, expected_version: int
) -> None:
    """The second person's decision: nothing reaches trainees unapproved. The reviewer must hold every
    category the training case was drawn from (they compared each entry with its original)."""
    require_capability(by, Capability.REVIEW_TRAINING, doing="review training cases")
    if training.built_by_id == by.pk:
        raise ActionRefused(
            gettext("Someone other than the trainer who built it must review a training case."), field="note"
        )
    source = training.source
    case, standing = training_source_standing(by, source.case_id, building=False)
    missing = source_categories(training) - standing.categories
    if approve and missing:
        raise ActionRefused(
            gettext(
                "You do not hold %(join)s data of the source case, so you could not "
                "compare every entry: the data protection officer, or a trainer who "
                "holds it, must review it."
            )
            % {"join": ", ".join(sorted(missing))},
            field="note",
        )
    note = _text(note, "note", gettext("Enter what must change"), required=not approve)
    with transaction.atomic():
        changed = TrainingCase.objects.filter(
            pk=training.pk, version=expected_version, status=TrainingCase.Status.AWAITING_REVIEW
        ).update(
            status=TrainingCase.Status.APPROVED if approve else TrainingCase.Status.SENT_BACK,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            review_note=note,
            version=F("version") + 1,
        )
        if not changed:
            raise EditConflict(gettext("The training case changed after you opened it. Nothing was saved."))
        record(
            Operation.DISCLOSURE if approve else Operation.ALTERATION,
            training,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification="training case approved for trainees" if approve else "training case sent back",
            recipients=["trainees"] if approve else [],
        )


def source_categories(training: TrainingCase) -> set[str]:
    return set(training.source.categories)


def forget_erased(case_id: int, entry_id: int) -> int:
    """An entry a training case was drawn from was erased: the training entry goes too, and the training
    case goes back to its builder (reviewed again before trainees see it). Returns how many changed."""
    key = f"entry:{entry_id}"
    changed = 0
    for source in TrainingSource.objects.filter(case_id=case_id).select_related("training_case"):
        if key not in source.entry_sources:
            continue
        position = source.entry_sources.index(key)
        TrainingEntry.objects.filter(training_case=source.training_case, position=position).delete()
        TrainingCase.objects.filter(pk=source.training_case_id).update(
            status=TrainingCase.Status.SENT_BACK,
            review_note="An entry it was drawn from was erased: the training entry was removed. Check the "
            "stages still make sense and submit it again.",
            version=F("version") + 1,
        )
        record(
            Operation.ERASURE,
            source.training_case,
            by=None,
            case_id=case_id,
            justification="training entry removed: its source entry was erased",
        )
        changed += 1
    return changed


def _builder(training: TrainingCase, by: User) -> None:
    if training.built_by_id != by.pk:
        raise ActionRefused(gettext("Only the trainer who built this training case can change it."))
    if training.status == TrainingCase.Status.APPROVED:
        raise ActionRefused(gettext("This training case is approved: it can no longer be changed."))


def edit_question(stage: TrainingStage, *, by: User, question: str) -> None:
    _builder(stage.training_case, by)
    question = _text(question, "question", gettext("Enter the question"), limit=300)
    TrainingStage.objects.filter(pk=stage.pk).update(question=question)


def link_lessons(training: TrainingCase, *, by: User, lessons: list[Lesson]) -> None:
    """Which approved lessons this training case teaches (changeable by the builder at any time)."""
    if training.built_by_id != by.pk:
        raise ActionRefused(gettext("Only the trainer who built this training case can link lessons to it."))
    ids = {lesson.pk for lesson in lessons}
    approved = Lesson.objects.filter(pk__in=ids, status=Lesson.Status.APPROVED)
    if approved.count() != len(ids):
        raise ActionRefused(gettext("Only approved lessons can be linked."), field="lessons")
    training.lessons.set(approved)


def resubmit(training: TrainingCase, *, by: User) -> None:
    _builder(training, by)
    if training.status != TrainingCase.Status.SENT_BACK:
        raise ActionRefused(gettext("Only a training case sent back can be submitted again."))
    TrainingCase.objects.filter(pk=training.pk).update(
        status=TrainingCase.Status.AWAITING_REVIEW, version=F("version") + 1
    )


def start(training: TrainingCase, *, by: User) -> TrainingAttempt:
    if training.status != TrainingCase.Status.APPROVED:
        raise ActionRefused(gettext("This training case is not approved yet."))
    attempt, _ = TrainingAttempt.objects.get_or_create(training_case=training, trainee=by)
    return attempt


def answer(attempt: TrainingAttempt, stage: TrainingStage, *, by: User, would_do: str, why: str) -> None:
    """Record what the trainee would do at a stage; stages are answered in order, and an answer is final
    (the real decision is revealed once it is given)."""
    if attempt.trainee_id != by.pk:
        raise ActionRefused(gettext("This is someone else's scenario."))
    would_do = _text(would_do, "would_do", gettext("Enter what you would do"))
    why = _text(why, "why", gettext("Enter why"))
    answered = set(attempt.answers.values_list("stage__number", flat=True))
    expected = min(
        (n for n in range(1, attempt.training_case.stages.count() + 1) if n not in answered), default=None
    )
    if stage.number != expected:
        raise ActionRefused(
            gettext("Answer the stages in order: this one is already answered or not yet open."),
            field="would_do",
        )
    with transaction.atomic():
        TrainingAnswer.objects.create(attempt=attempt, stage=stage, would_do=would_do, why=why)
        if expected == attempt.training_case.stages.count():
            TrainingAttempt.objects.filter(pk=attempt.pk).update(completed_at=timezone.now())


def comment(answer_row: TrainingAnswer, *, by: User, text: str) -> None:
    if not trains(by, answer_row.attempt.trainee):
        raise ActionRefused(gettext("Only a trainer of the trainee's agency can comment on their answers."))
    text = _text(text, "text", gettext("Enter your comment"))
    TrainingAnswer.objects.filter(pk=answer_row.pk).update(
        comment=text, commented_by=by, commented_at=timezone.now()
    )


def trains(trainer: User, trainee: User) -> bool:
    """A trainer sees (and comments on) the answers of the trainees of their own agencies."""
    if not has_capability(trainer, Capability.BUILD_TRAINING):
        return False
    mine = Membership.objects.filter(user=trainer, is_active=True, may_train=True).values("agency")
    return Membership.objects.filter(user=trainee, is_active=True, agency__in=mine).exists()
