"""Rehabilitation: the catalogue of interventions, referrals and their delivery, resettlement pathways,
gender-responsive needs and dependants, and the criteria that say how long rehabilitation lasts and
when it has succeeded — up to closing the case and the light follow-up after it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.lib.translated import Translatable
from throughcare.people.models import Person


class Setting(models.TextChoices):
    CUSTODY = "custody", _("In custody")
    COMMUNITY = "community", _("In the community")
    BOTH = "both", _("In custody and in the community")


class Programme(Translatable, models.Model):
    """A programme or service in the catalogue, managed by administrators."""

    translated_fields = ("description",)  # the name is the provider's own

    class Audience(models.TextChoices):
        EXTREMISM = "extremism", _("Extremism offence")
        VIOLENCE = "violence", _("Violent offence")
        GENERAL = "general", _("Anyone under supervision")
        FAMILY = "family", _("Families and children")

    class Eligible(models.TextChoices):
        ANY = "any", _("Any gender")
        WOMEN = "women", _("Women only")
        MEN = "men", _("Men only")

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField()
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programmes")
    setting = models.CharField(max_length=10, choices=Setting.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    eligible_gender = models.CharField(max_length=5, choices=Eligible.choices, default=Eligible.ANY)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    women_only_delivery = models.BooleanField(
        default=False, help_text=_("Women-only spaces and a woman worker")
    )
    trauma_informed = models.BooleanField(default=False)
    languages = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated"))
    capacity = models.PositiveSmallIntegerField(help_text=_("Places at one time"))
    requires_consent = models.BooleanField(
        default=False, help_text=_("Referral needs the person's recorded consent (e.g. an NGO provider)")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def gender_responsive(self) -> bool:
        return self.women_only_delivery or self.trauma_informed or self.eligible_gender == self.Eligible.WOMEN


class Status(models.TextChoices):
    STARTED = "started", _("Started (not yet sent)")
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_ASSESSMENT = "awaiting_assessment", _("Awaiting assessment")
    SUITABLE = "suitable", _("Assessed suitable")
    NOT_SUITABLE = "not_suitable", _("Assessed not suitable")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NOT_READY = "not_ready", _("Suitable but not ready")
    ON_PROGRAMME = "on_programme", _("On programme")
    COMPLETE = "complete", _("Complete")
    DESELECTED = "deselected", _("Deselected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EndReason(models.TextChoices):
    MOTIVATION = "motivation", _("Motivation")
    OPERATIONAL = "operational", _("Operational")
    PERSONAL = "personal", _("Personal")
    ADMIN = "admin", _("Administrative")
    OTHER = "other", _("Other")


class Referral(CaseData, models.Model):
    """A referral of the person to a programme. It belongs to the case, not to a phase: one started in
    custody carries on after release without being made again."""

    data_category = DataCategory.INTERVENTIONS

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STARTED)
    reason = models.TextField(help_text=_("Why this programme, what it should achieve"))
    summary: models.JSONField[Any] = models.JSONField(
        default=list, help_text=_("The curated summary the provider sees: [[heading, text], …]")
    )
    consent_override_reason = models.CharField(max_length=500, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    end_note = models.CharField(max_length=500, blank=True)
    action_plan = models.TextField(blank=True)
    end_of_service_report = models.TextField(blank=True)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Referral of {self.case} to {self.programme}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


CLOSED_STATUSES = {
    Status.COMPLETE,
    Status.DESELECTED,
    Status.WITHDRAWN,
    Status.NOT_SUITABLE,
    Status.NOT_ELIGIBLE,
}


class ReferralEvent(CaseData, models.Model):
    """The referral's life: every change of status, by whom, with the reason where one is needed."""

    data_category = DataCategory.INTERVENTIONS
    case_path = "referral__case"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.get_status_display()}"


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class DesiredOutcome(CaseData, models.Model):
    data_category = DataCategory.INTERVENTIONS
    case_path = "referral__case"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="outcomes")
    description = models.CharField(max_length=300)
    achievement = models.CharField(max_length=12, choices=Achievement.choices, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class Session(CaseData, models.Model):
    data_category = DataCategory.INTERVENTIONS
    case_path = "referral__case"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        ACCEPTABLE_ABSENCE = "acceptable_absence", _("Did not attend — acceptable reason")
        UNACCEPTABLE_ABSENCE = "unacceptable_absence", _("Did not attend — no acceptable reason")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    attendance = models.CharField(max_length=20, choices=Attendance.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Session of {self.held_on:%Y-%m-%d}: {self.get_attendance_display()}"


class Pathway(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    ATTITUDES = "attitudes", _("Attitudes, thinking and behaviour")
    FAMILY = "family", _("Children, families and communities")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    EDUCATION_WORK = "education_work", _("Education, skills and work")
    FINANCE_ID = "finance_id", _("Finance and ID")
    HEALTH = "health", _("Health")


# The data category each pathway's needs belong to: sharing is decided per category.
PATHWAY_CATEGORY = {
    Pathway.ACCOMMODATION: "general",
    Pathway.ATTITUDES: "interventions",
    Pathway.FAMILY: "family",
    Pathway.DRUGS_ALCOHOL: "health",
    Pathway.EDUCATION_WORK: "general",
    Pathway.FINANCE_ID: "general",
    Pathway.HEALTH: "health",
}


def pathways_held(categories: frozenset[str] | set[str]) -> list[str]:
    """The pathways whose needs a user holding these data categories may see."""
    return [p for p in Pathway.values if PATHWAY_CATEGORY[Pathway(p)] in categories]


class PathwayNeed(CaseData, models.Model):
    category_by = ("pathway", PATHWAY_CATEGORY)

    class State(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        NOT_NEEDED = "not_needed", _("No longer needed")

    class Owner(models.TextChoices):
        PRISON = "prison", _("Prison")
        PROBATION = "probation", _("Probation")
        PARTNER = "partner", _("Partner")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pathway_needs")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    need = models.CharField(max_length=300)
    state = models.CharField(max_length=12, choices=State.choices, default=State.IDENTIFIED)
    owner_kind = models.CharField(max_length=10, choices=Owner.choices)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["pathway", "pk"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.need}"


class SupportNeed(CaseData, models.Model):
    """A gender-responsive need, with safety planning where it applies (family category)."""

    data_category = DataCategory.FAMILY

    class Kind(models.TextChoices):
        TRAUMA = "trauma", _("Trauma")
        DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse and coercive control")
        CHILDCARE = "childcare", _("Childcare")
        PREGNANCY = "pregnancy", _("Pregnancy")
        RETURNEE = "returnee", _("Return from a conflict zone")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_needs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=500)
    safety_plan = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"


class Dependant(CaseData, models.Model):
    """A child or family member: their own data subject (a Person), linked to the case (family category)."""

    data_category = DataCategory.FAMILY

    class Relation(models.TextChoices):
        CHILD = "child", _("Child")
        PARTNER = "partner", _("Partner")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dependants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dependant_of")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    lives_with = models.BooleanField(default=False, help_text=_("Lives with the person (or will on release)"))
    care_arrangement = models.CharField(max_length=300, blank=True, help_text=_("e.g. with grandmother"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["relation", "pk"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.person}"


class CriteriaSet(Translatable, models.Model):
    """Criteria that define how long rehabilitation lasts and when it has succeeded (data)."""

    translated_fields = ("name", "description")

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_set"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(Translatable, models.Model):
    translated_fields = ("title", "guidance")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    mandatory = models.BooleanField(
        default=True, help_text=_("Must be met (or overridden) to close the case")
    )
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_once")]

    def __str__(self) -> str:
        return self.title


class CriterionReview(CaseData, models.Model):
    """The latest review of one criterion on a case: status, evidence, signed off by a named person."""

    data_category = DataCategory.INTERVENTIONS

    class State(models.TextChoices):
        NOT_YET = "not_yet", _("Not yet met")
        PARTLY = "partly", _("Partly met")
        MET = "met", _("Met")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="criteria_reviews")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(max_length=15, choices=State.choices)
    evidence = models.TextField()
    signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__order", "-signed_off_at"]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_state_display()}"


class ClosureReason(models.TextChoices):
    LICENCE_END = "licence_end", _("Licence end reached")
    NO_FURTHER_SUPPORT = "no_further_support", _("No further support required")
    NOT_ENGAGING = "not_engaging", _("No longer engaging")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED = "transferred", _("Transferred to another jurisdiction")


class Closure(CaseData, models.Model):
    """A proposal to close the case: reason, the criteria reviewed, and the agencies' sign-offs."""

    data_category = DataCategory.GENERAL  # every agency on the team is asked to sign off

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    note = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, help_text=_("Why the case closes with mandatory criteria unmet")
    )
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"Closure of {self.case}: {self.get_reason_display()}"


class ClosureSignOff(CaseData, models.Model):
    data_category = DataCategory.GENERAL
    case_path = "closure__case"

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="sign_offs")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["closure", "agency"], name="one_sign_off_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} signed off {self.closure}"


class FollowUp(CaseData, models.Model):
    """A light check-in after exit (e.g. at 6 and 12 months), shown in "needs attention"."""

    data_category = DataCategory.INTERVENTIONS

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Follow-up of {self.case} due {self.due_on:%Y-%m-%d}"


class OwnPlanRecord(CaseData, models.Model):
    """The person saw their own plan: whether they agreed, and what they said in their own words."""

    data_category = DataCategory.GENERAL

    class Response(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        PARTLY = "partly", _("Agreed with parts")
        DISAGREED = "disagreed", _("Disagreed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="own_plan_records")
    shown_on = models.DateField()
    response = models.CharField(max_length=10, choices=Response.choices)
    own_words = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-shown_on", "-pk"]

    def __str__(self) -> str:
        return f"Own plan shown {self.shown_on:%Y-%m-%d}: {self.get_response_display()}"


class Appointment(CaseData, models.Model):
    """An appointment the person is expected at, shown on their own plan."""

    data_category = DataCategory.GENERAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField()
    with_whom = models.CharField(max_length=200)
    place = models.CharField(max_length=200)
    purpose = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.purpose} on {self.starts_at:%Y-%m-%d %H:%M}"
