"""Structured professional judgement, instrument-neutral: instruments are data a licensed organisation
imports; only certified users rate with a licensed instrument; the software computes no risk level."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.lib.grading import SourceReliability
from throughcare.lib.translated import Translatable, language_code
from throughcare.lib.wording import WordingField

MISSING = "missing"


class Instrument(Translatable, models.Model):
    translated_fields = ("name",)

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    licensed = models.BooleanField(default=False, help_text=_("Only users certified for it may rate with it"))
    scale: models.JSONField[Any] = models.JSONField(help_text='[["low", "Low"], ["moderate", "Moderate"], …]')
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_version_once")]

    def __str__(self) -> str:
        return f"{self.translated('name')} {self.version}"

    def scale_values(self) -> list[str]:
        return [value for value, _ in self.scale]

    def scale_choices(self) -> list[tuple[str, str]]:
        """The scale's values with their labels in the reader's language (the file's English where it gives
        none), and "missing", which every scale has."""
        worded = (self.translations or {}).get(language_code(), {})
        labels = worded.get("scale_labels", {}) if isinstance(worded, dict) else {}
        return [(value, str(labels.get(value) or label)) for value, label in self.scale] + [
            (MISSING, gettext("Missing (not enough information)"))
        ]


class Domain(Translatable, models.Model):
    translated_fields = ("title",)

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    protective = models.BooleanField(default=False, help_text=_("Rates protective factors rather than risk"))
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Item(Translatable, models.Model):
    translated_fields = ("text", "guidance")

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=20)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Certification(models.Model):
    """A user trained and certified to use a licensed instrument, until the expiry date."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certifications")
    instrument_code = models.SlugField(max_length=40, help_text=_("Certification covers every version"))
    certified_on = models.DateField()
    expires_on = models.DateField()
    evidence = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-expires_on"]

    def __str__(self) -> str:
        return f"{self.user} certified for {self.instrument_code} until {self.expires_on}"

    def is_valid_on(self, day: date) -> bool:
        return self.certified_on <= day <= self.expires_on


class Assessment(CaseData, models.Model):
    """An input to risk management: ratings with evidence, and the assessors' own judgement with rationale."""

    data_category = DataCategory.RISK

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single assessor")
        TEAM = "team", _("Team assessment")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        VERY_HIGH = "very_high", _("Very high")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    assessors = models.ManyToManyField(User, related_name="assessments")
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    judgement = models.CharField(
        max_length=12,
        choices=Priority.choices,
        blank=True,
        help_text=_("The assessors' own judgement — never computed"),
    )
    rationale = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.instrument} on {self.case}"


class Rating(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "assessment__case"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=20, help_text=_("A value of the instrument's scale, or 'missing'"))
    evidence = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    rated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_rating_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.value}"


class HarmTarget(models.TextChoices):
    CHILDREN = "children", _("Children")
    PUBLIC = "public", _("Public")
    KNOWN_ADULT = "known_adult", _("Known adult")
    STAFF = "staff", _("Staff")
    PRISONERS = "prisoners", _("Prisoners")
    SELF = "self", _("Self")


class Setting(models.TextChoices):
    CUSTODY = "custody", _("In custody")
    COMMUNITY = "community", _("In the community")


class HarmJudgement(CaseData, models.Model):
    """Risk of serious harm, judged and explained by a person; each judgement is kept (a history)."""

    data_category = DataCategory.RISK

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="harm_judgements")
    judged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(default=timezone.now)
    explanation = models.TextField()

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-judged_at", "-pk"]

    def __str__(self) -> str:
        return f"Risk of serious harm on {self.case}, {self.judged_at:%Y-%m-%d}"


class HarmLevel(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "judgement__case"

    judgement = models.ForeignKey(HarmJudgement, on_delete=models.CASCADE, related_name="levels")
    target = models.CharField(max_length=20, choices=HarmTarget.choices)
    setting = models.CharField(max_length=10, choices=Setting.choices)
    level = models.CharField(max_length=12, choices=Assessment.Priority.choices)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judgement", "target", "setting"], name="one_level_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.get_setting_display()}: {self.get_level_display()}"


class PlanSection(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision")
    MONITORING = "monitoring", _("Monitoring and control")
    INTERVENTIONS = "interventions", _("Interventions and treatment")
    VICTIM_SAFETY = "victim_safety", _("Victim safety planning")
    CONTINGENCY = "contingency", _("Contingency")


class ReviewReason(models.TextChoices):
    FIRST = "first", _("First plan")
    SCHEDULED = "scheduled", _("Scheduled review")
    NEW_INFORMATION = "new_information", _("New information")
    CHANGE = "change", _("Change of circumstances")
    PHASE = "phase", _("Phase change (e.g. release)")
    CONFERENCE = "conference", _("Conference decision")


class PlanVersion(CaseData, models.Model):
    """One version of the risk management plan: every review makes a new one, with its reason."""

    data_category = DataCategory.RISK

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=ReviewReason.choices)
    reason_note = models.CharField(max_length=500, blank=True)
    formulation = models.TextField(help_text=_("Why this person, what drives the risk"))
    protective_factors = models.TextField(blank=True)
    judgement = models.CharField(
        max_length=12,
        choices=Assessment.Priority.choices,
        blank=True,
        help_text=_("The reviewer's own judgement at this review — never computed"),
    )
    judgement_rationale = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="plan_version_number_once")]

    def __str__(self) -> str:
        return f"Risk management plan v{self.number} of {self.case}"


class Scenario(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "version__case"

    class Kind(models.TextChoices):
        REPEAT = "repeat", _("Repeat")
        TWIST = "twist", _("Twist")
        ESCALATION = "escalation", _("Escalation")
        IMPROVEMENT = "improvement", _("Improvement")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="scenarios")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField()

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class Strategy(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "version__case"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="strategies")
    section = models.CharField(max_length=15, choices=PlanSection.choices)
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order"]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner else str(self.owner_agency)


class WarningSign(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "version__case"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="warning_signs")
    description = models.CharField(max_length=300)
    triggers = models.ManyToManyField(
        Strategy, related_name="triggered_by", help_text=_("The contingency actions this sign sets off")
    )

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return self.description


class IncomingInformation(CaseData, models.Model):
    """Information from any agency or a foreign partner, routed to the case lead, who must acknowledge it."""

    category_field = "category"

    Reliability = SourceReliability

    class Credibility(models.TextChoices):
        ONE = "1", _("1 — confirmed by other sources")
        TWO = "2", _("2 — probably true")
        THREE = "3", _("3 — possibly true")
        FOUR = "4", _("4 — doubtful")
        FIVE = "5", _("5 — improbable")
        SIX = "6", _("6 — truth cannot be judged")

    class Decision(models.TextChoices):
        NO_ACTION = "no_action", _("No action")
        PLAN_REVIEW = "plan_review", _("Review the risk management plan")
        CONFERENCE = "conference", _("Call a case conference")
        URGENT = "urgent", _("Urgent action")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incoming_information")
    source = models.CharField(max_length=200, help_text=_("e.g. Police service of a neighbouring country"))
    received_on = models.DateField()
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    credibility = models.CharField(max_length=1, choices=Credibility.choices)
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    summary = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    routed_to = models.ForeignKey(User, on_delete=models.PROTECT, related_name="incoming_to_acknowledge")
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Information from {self.source} on {self.case}"


class ReviewDue(CaseData, models.Model):
    """A review that must happen by a date: scheduled from the profile, or required at once by an event
    (release, new information, change of circumstances, a conference decision). Done when the next plan
    version (or completed assessment) is recorded; escalated to the managers once when overdue."""

    data_category = DataCategory.RISK

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Risk assessment review")
        PLAN = "plan", _("Risk management plan review")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews_due")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    reason = models.CharField(max_length=20, choices=ReviewReason.choices)
    # Why: what the person asking wrote, or the system's wording (`lib.wording`); never the content of
    # intelligence.
    note = WordingField(blank=True, help_text=_("Why; never the content of intelligence"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_version = models.ForeignKey(
        PlanVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews_done"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="review_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}, due {self.due_on:%Y-%m-%d}"


class SignObservation(CaseData, models.Model):
    """Someone on the team saw a warning sign; the owners of its contingency actions are alerted."""

    data_category = DataCategory.RISK

    sign = models.ForeignKey(WarningSign, on_delete=models.CASCADE, related_name="observations")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sign_observations")
    observed_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"“{self.sign}” observed on {self.observed_on:%Y-%m-%d}"
