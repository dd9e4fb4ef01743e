"""Outcomes: what happened after release, as the team records it; the extracts, definitions, releases and
published studies that measure and publish it.

An outcome event is legal data about a case. It is never edited: a correction is a new version that
supersedes the old one, which is kept (the measures read the current versions only).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.lib.grading import SourceReliability
from throughcare.lib.wording import Wording, label_of, midsentence, worded


class OutcomeKind(models.TextChoices):
    PROVEN_REOFFENCE = "proven_reoffence", _("Proven reoffence")
    REENGAGEMENT = "reengagement", _("Re-engagement in extremism without conviction")
    CENSORED = "censored", _("Left the follow-up")


class OffenceKind(models.TextChoices):
    TERRORISM = "terrorism", _("Terrorism offence")
    VIOLENT = "violent", _("Other violent offence")
    OTHER = "other", _("Other offence")


class ProvenBy(models.TextChoices):
    CONVICTION = "conviction", _("Conviction")
    CAUTION = "caution", _("Caution")


class CensorReason(models.TextChoices):
    DEATH = "death", _("Death")
    ABROAD = "abroad", _("Deportation or transfer abroad")
    LOST_CONTACT = "lost_contact", _("Loss of contact")
    END_OF_DATA = "end_of_data", _("End of data")


Reliability = SourceReliability  # the same scale as incoming information


class OutcomeEventQuerySet(CaseDataQuerySet):
    def current(self) -> OutcomeEventQuerySet:
        return self.filter(superseded_by__isnull=True)


class OutcomeEvent(CaseData, models.Model):
    data_category = DataCategory.LEGAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_events")
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField(
        help_text=_("The offence, the re-engagement seen, or leaving the follow-up.")
    )
    offence_kind = models.CharField(max_length=12, choices=OffenceKind.choices, blank=True)
    proven_by = models.CharField(max_length=12, choices=ProvenBy.choices, blank=True)
    proven_on = models.DateField(null=True, blank=True, help_text=_("The date of the conviction or caution."))
    censor_reason = models.CharField(max_length=15, choices=CensorReason.choices, blank=True)
    source = models.CharField(max_length=200)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    evidence = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = OutcomeEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y}"

    @property
    def summary(self) -> Wording:
        """What happened, read in the reader's language (`lib.wording`)."""
        if self.kind == OutcomeKind.PROVEN_REOFFENCE:
            offence = {"offence": label_of(self, "offence_kind"), "date": self.occurred_on}
            if self.proven_on:
                return worded(
                    "%(offence)s committed on %(date)s; %(proof)s on %(proven)s",
                    proof=midsentence(label_of(self, "proven_by")),
                    proven=self.proven_on,
                    **offence,
                )
            return worded("%(offence)s committed on %(date)s; not yet proven", **offence)
        if self.kind == OutcomeKind.CENSORED:
            return worded(
                "Left the follow-up on %(date)s: %(reason)s",
                date=self.occurred_on,
                reason=midsentence(label_of(self, "censor_reason")),
            )
        if self.reliability:
            return worded(
                "Re-engagement judged on %(date)s (source graded %(grade)s)",
                date=self.occurred_on,
                grade=self.reliability,
            )
        return worded("Re-engagement judged on %(date)s", date=self.occurred_on)


# Measuring and publishing ------------------------------------------------------------------------------


class Extract(models.Model):
    """An anonymised extract supplied from elsewhere: one row per person, never linked to a case."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text=_("Invented data, for demonstration only."))
    loaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name + (" (synthetic)" if self.synthetic else "")


class ExtractPerson(models.Model):
    extract = models.ForeignKey(Extract, on_delete=models.CASCADE, related_name="people")
    released = models.DateField()
    outcome_date = models.DateField(null=True, blank=True)
    outcome_kind = models.CharField(max_length=12, blank=True)
    proven_date = models.DateField(null=True, blank=True)
    censor_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=40, blank=True)
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["extract", "released"])]

    def __str__(self) -> str:
        return f"Person released {self.released:%d %b %Y} ({self.extract})"


class Source(models.TextChoices):
    CASES = "cases", _("The cases recorded in Throughcare")
    EXTRACT = "extract", _("An anonymised extract")


class GroupBy(models.TextChoices):
    NONE = "", _("No grouping")
    GENDER = "gender", _("Gender")
    AGE_BAND = "age_band", _("Age at release")
    REGION = "region", _("Region")
    SENTENCE_BAND = "sentence_band", _("Length of sentence")
    PROFILE = "profile", _("Jurisdiction profile")
    PROGRAMME = "programme", _("Took part in a programme")


class ProgrammeFilter(models.TextChoices):
    ANY = "", _("Everyone")
    TOOK_PART = "took_part", _("Only those who took part in a programme")
    DID_NOT = "did_not", _("Only those who did not")


class MeasureDefinition(models.Model):
    """What is measured, as data: the cohort (first releases in a period, optionally filtered), the follow-up,
    the waiting period for proof, what counts, who is taken out of the follow-up, and how to group."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CASES)
    extract = models.ForeignKey(Extract, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_from = models.DateField()
    released_to = models.DateField()
    gender = models.CharField(max_length=40, blank=True, help_text=_("Only this gender (blank: everyone)."))
    age_band = models.CharField(max_length=40, blank=True)
    region = models.CharField(max_length=100, blank=True)
    profile = models.CharField(
        max_length=50, blank=True, help_text=_("Only cases under this jurisdiction profile.")
    )
    sentence_band = models.CharField(max_length=40, blank=True, help_text=_("Only this length of sentence."))
    programme = models.CharField(max_length=10, choices=ProgrammeFilter.choices, blank=True)
    follow_up_years = models.PositiveSmallIntegerField(default=1)
    waiting_months = models.PositiveSmallIntegerField(default=6)
    outcome = models.CharField(max_length=30, default="any")
    censoring = models.JSONField(default=list, blank=True, help_text=_("Reasons that end the follow-up."))
    group_by = models.CharField(max_length=15, choices=GroupBy.choices, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReferenceStudy(models.Model):
    """A published figure to show beside ours, with its own definition and interval."""

    citation = models.CharField(max_length=300)
    country = models.CharField(max_length=100)
    cohort = models.PositiveIntegerField()
    events = models.PositiveIntegerField()
    definition = models.CharField(max_length=500)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["citation"]
        verbose_name_plural = "reference studies"

    def __str__(self) -> str:
        return self.citation


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class Privacy(models.TextChoices):
    SUPPRESSION = "suppression", _("Small counts hidden ([c]), with secondary suppression")
    DIFFERENTIAL = "differential", _("Differential privacy: every count with calibrated noise (OpenDP)")


class ReleaseQuerySet(models.QuerySet["Release"]):
    def public(self) -> ReleaseQuerySet:
        return self.filter(status__in=[ReleaseStatus.PUBLISHED, ReleaseStatus.SUPERSEDED])


class Release(models.Model):
    """A statistics release: drafted by an analyst, approved by a second person with the publishing
    permission, then frozen. A correction is a new version with a notice; the old one stays readable."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT)
    definitions = models.ManyToManyField(MeasureDefinition, related_name="releases")
    studies = models.ManyToManyField(ReferenceStudy, blank=True, related_name="releases")
    content = models.JSONField(default=dict, blank=True)  # the protected figures, frozen on submission
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    correction_notice = models.TextField(blank=True)
    privacy = models.CharField(max_length=12, choices=Privacy.choices, default=Privacy.SUPPRESSION)
    epsilon = models.FloatField(default=0.0, help_text=_("Differential privacy: ε spent by one computation."))
    epsilon_budget = models.FloatField(
        default=0.0, help_text=_("Differential privacy: ε this release may spend.")
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_release_version")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status != ReleaseStatus.DRAFT


class PrivacySpend(models.Model):
    """ε spent by one differentially private computation of a release: the budget's ledger."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="spends")
    epsilon = models.FloatField()
    tables = models.PositiveSmallIntegerField()
    spent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    spent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ε {self.epsilon:g} on {self.release}"
