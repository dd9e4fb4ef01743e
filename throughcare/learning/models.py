"""Learning: case reviews with their findings and recommendations (case data, through the gate), the lessons
library (anonymised, for every practitioner) and training cases (anonymised scenarios for trainees).

A case review is risk data: it examines how the risk a person posed was managed, and its findings and
recommendations say so. Its chronology draws on every category, and each point of it — and each reviewer's
note on a point — is shown only to those who hold that point's category (an uncleared reviewer never sees
an intelligence point). Lessons and training cases hold nothing that names a case: the link back to their
source is a row of its own (`LessonSource`, `TrainingSource`), case data read through the gate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, AgencyKind, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory, Phase


class Trigger(models.TextChoices):
    SERIOUS_FURTHER_OFFENCE = "sfo", _("Serious further offence")
    RECALL = "recall", _("Recall for risk")
    NEAR_MISS = "near_miss", _("Near miss")
    CLOSURE = "closure", _("Learning review at closure")
    PANEL = "panel", _("On request of the panel")


class Theme(models.TextChoices):
    INFORMATION_SHARING = "information", _("Information sharing")
    CONTINUITY = "continuity", _("Continuity at the prison gate")
    RISK_MANAGEMENT = "risk", _("Risk management")
    INTERVENTIONS = "interventions", _("Interventions")
    MULTI_AGENCY = "multi_agency", _("Multi-agency working")
    GENDER = "gender", _("Gender-specific needs")
    ENGAGEMENT = "engagement", _("The person's engagement")
    OTHER = "other", _("Other")


class CaseReview(CaseData, models.Model):
    """A review of how a case was handled, opened by a manager (or a panel chair) after an event."""

    data_category = DataCategory.RISK

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONCLUDED = "concluded", _("Concluded")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    terms = models.TextField(help_text=_("What the review asks, and over which period"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    conclusion = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} review of {self.case}"


class ChronologyNote(CaseData, models.Model):
    """A reviewer's note on one point of the chronology, in that point's category."""

    category_field = "category"
    case_path = "review__case"

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="notes")
    point = models.CharField(max_length=80)  # the decision point's key, e.g. "risk.review:12"
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    text = models.TextField()
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.point} in {self.review}"


class Finding(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "review__case"

    class Went(models.TextChoices):
        WORKED = "worked", _("What worked")
        DID_NOT = "did_not", _("What did not work")

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="findings")
    theme = models.CharField(max_length=15, choices=Theme.choices)
    went = models.CharField(max_length=8, choices=Went.choices)
    text = models.TextField()
    factors = models.TextField(blank=True, help_text=_("Contributing factors"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "went", "pk"]

    def __str__(self) -> str:
        return f"{self.get_went_display()}: {self.get_theme_display()} ({self.review})"


class Recommendation(CaseData, models.Model):
    """What must change, owned by an agency and a person, by a date; its status is kept up to date by its
    owner, and an overdue one is escalated to the owning agency's managers."""

    data_category = DataCategory.RISK
    case_path = "review__case"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        REJECTED = "rejected", _("Rejected")

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    theme = models.CharField(max_length=15, choices=Theme.choices)
    text = models.TextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="recommendations")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    evidence = models.TextField(blank=True, help_text=_("What shows it was implemented"))
    reason = models.TextField(blank=True, help_text=_("Why it was rejected"))
    done_at = models.DateTimeField(null=True, blank=True)  # implemented or rejected
    escalated_at = models.DateTimeField(null=True, blank=True)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} of {self.review}"


def language_name(code: str) -> str:
    """A language of the product, named in itself ("Deutsch"); an unknown code as it is."""
    return str(dict(settings.LANGUAGES).get(code, code))


class Lesson(models.Model):
    """An anonymised lesson: for every practitioner to read, and for partners abroad to receive."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")

    statement = models.CharField(max_length=300, help_text=_("The lesson, in one or two sentences"))
    theme = models.CharField(max_length=15, choices=Theme.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    agency_kinds = models.JSONField(default=list, help_text=_("The kinds of agency involved"))
    recommendation = models.TextField(help_text=_("What was recommended"))
    what_changed = models.TextField(blank=True, help_text=_("What changed as a result"))
    # The language its author wrote it in: readers in every country find it by it, and the pages mark it.
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AWAITING_REVIEW)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    search_text = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["theme", "-written_at"]

    def __str__(self) -> str:
        return self.statement

    @property
    def language_name(self) -> str:
        """Its language, named in that language ("Nederlands")."""
        return language_name(self.language)

    def agency_kind_labels(self) -> list[str]:
        labels = dict(AgencyKind.choices)
        return [labels.get(kind, kind) for kind in self.agency_kinds]


class LessonSource(CaseData, models.Model):
    """Which review a lesson was drawn from: kept for its author and reviewer, never shown to readers."""

    data_category = DataCategory.RISK
    case_path = "review__case"

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="source")
    review = models.ForeignKey(CaseReview, on_delete=models.PROTECT, related_name="lessons")

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Source of lesson {self.lesson_id}"


class TrainingCase(models.Model):
    """A case turned into an anonymised scenario. Nothing here names the source: its people are
    pseudonyms, its staff roles, its agencies kinds, its dates shifted, its free text scrubbed."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")

    title = models.CharField(max_length=200)
    pseudonym = models.CharField(max_length=60)
    profile = models.JSONField(default=dict)  # trait → value, as generalised by the rarity check
    generalised = models.JSONField(default=list)  # what the rarity check made more general, and why
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AWAITING_REVIEW)
    built_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    lessons = models.ManyToManyField(Lesson, related_name="training_cases", blank=True)
    version = models.PositiveIntegerField(default=1)
    # The language its material is written in, chosen by its builder (the language of the case's notes):
    # what replaced names and dates, and the questions, are written in it; the pages mark the material with
    # it, in whatever language they are read.
    language = models.CharField(max_length=10, default="en")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def language_name(self) -> str:
        """Its language, named in that language ("Deutsch")."""
        return language_name(self.language)


class TrainingEntry(models.Model):
    """One entry of a training case's timeline, in order. `marks`: where the text was changed
    ([start, end, kind] in this text), for the reviewer."""

    training_case = models.ForeignKey(TrainingCase, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    day = models.DateField()  # shifted
    heading = models.CharField(max_length=120)
    text = models.TextField()
    marks = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["training_case", "position"], name="training_entry_position_once")
        ]

    def __str__(self) -> str:
        return f"Entry {self.position} of {self.training_case}"


class TrainingStage(models.Model):
    """A decision point of the scenario: the entries before `shown_until` are shown, the trainee answers,
    then the real decision and the entries up to `reveal_until` are revealed."""

    training_case = models.ForeignKey(TrainingCase, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveIntegerField()
    shown_until = models.PositiveIntegerField()
    reveal_until = models.PositiveIntegerField()
    question = models.CharField(max_length=300)
    decision_heading = models.CharField(max_length=120)
    decision_day = models.DateField()
    decision = models.TextField()
    decision_marks = models.JSONField(default=list)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["training_case", "number"], name="training_stage_number_once")
        ]

    def __str__(self) -> str:
        return f"Stage {self.number} of {self.training_case}"


class TrainingSource(CaseData, models.Model):
    """Where a training case came from: its case, the date offset, and which record each entry and stage
    was drawn from — for the builder and the reviewer, through the gate; never for a trainee."""

    data_category = DataCategory.GENERAL

    training_case = models.OneToOneField(TrainingCase, on_delete=models.CASCADE, related_name="source")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    offset_days = models.IntegerField()
    entry_sources = models.JSONField(default=list)  # per position: "entry:<pk>"
    stage_sources = models.JSONField(default=list)  # per stage: the decision point's key
    categories = models.JSONField(default=list)  # the data categories it was drawn from

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Source of {self.training_case}"


class TrainingAttempt(models.Model):
    training_case = models.ForeignKey(TrainingCase, on_delete=models.PROTECT, related_name="attempts")
    trainee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_attempts")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["training_case", "trainee"], name="one_attempt_per_trainee")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} on {self.training_case}"


class TrainingAnswer(models.Model):
    attempt = models.ForeignKey(TrainingAttempt, on_delete=models.CASCADE, related_name="answers")
    stage = models.ForeignKey(TrainingStage, on_delete=models.CASCADE, related_name="+")
    would_do = models.TextField()
    why = models.TextField()
    answered_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    commented_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stage__number"]
        constraints = [models.UniqueConstraint(fields=["attempt", "stage"], name="one_answer_per_stage")]

    def __str__(self) -> str:
        return f"Answer of {self.attempt}"
