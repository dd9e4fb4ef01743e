"""Jurisdiction profiles: the rules of one jurisdiction, as data (deadlines, panels, holidays, notification
requirements, closure sign-offs). Every capability reads its rules from the case's profile; the profile of
a case is the one of its sentence, or the default."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from throughcare.lib.dates import holiday_regions


class SentenceRules(Protocol):
    """What the release-conference rule needs to know of a sentence."""

    @property
    def is_terrorism(self) -> bool: ...

    @property
    def is_conditional_release(self) -> bool: ...


class ConferenceRule(models.TextChoices):
    NONE = "none", _("Not required")
    TERRORISM_CONDITIONAL = (
        "terrorism_conditional",
        _("Before any conditional release of a terrorist offender"),
    )
    ALL_TERRORISM = "all_terrorism", _("Before any release of a terrorist offender")


class JurisdictionProfile(models.Model):
    """The rules of one jurisdiction, as data. Defaults are public rules of one jurisdiction; each
    deploying organisation sets its own."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    # Handover: how long before the earliest release the community side is allocated.
    early_allocation_months = models.PositiveSmallIntegerField(
        help_text=_("Terrorism offence or connection, highest panel level, or high profile")
    )
    early_allocation_days = models.PositiveSmallIntegerField(default=0)
    indeterminate_months = models.PositiveSmallIntegerField(help_text=_("Indeterminate and parole cases"))
    indeterminate_days = models.PositiveSmallIntegerField(default=0)
    standard_months = models.PositiveSmallIntegerField(help_text=_("Standard determinate sentences"))
    standard_days = models.PositiveSmallIntegerField(default=0)
    short_sentence_months = models.PositiveSmallIntegerField(
        help_text=_("Sentences of this many months or less: the community side is responsible at once")
    )
    top_panel_level = models.PositiveSmallIntegerField(default=3)
    release_conference = models.CharField(
        max_length=30, choices=ConferenceRule.choices, default=ConferenceRule.NONE
    )
    licence_ready_working_days = models.PositiveSmallIntegerField(
        default=2,
        help_text=_("A licence not ready this many working days before release is made by prison staff"),
    )
    # Working days leave out weekends and this country's public holidays (none when left blank).
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code whose public holidays count, e.g. BE")
    )
    holiday_subdivision = models.CharField(
        max_length=10, blank=True, help_text=_("A region with holidays of its own, e.g. ENG for England")
    )

    # Notification requirements of terrorist offenders after release.
    information_acknowledge_hours = models.PositiveSmallIntegerField(
        default=24, help_text=_("Incoming information must be acknowledged by the case lead within this time")
    )
    first_review_days = models.PositiveSmallIntegerField(
        default=14, help_text=_("First risk assessment and plan within this many days of a case opening")
    )
    assessment_review_days = models.PositiveSmallIntegerField(
        default=70, help_text=_("Risk assessment reviewed every this many days")
    )
    plan_review_days = models.PositiveSmallIntegerField(
        default=90, help_text=_("Risk management plan reviewed every this many days")
    )
    closure_agencies_terrorism = models.PositiveSmallIntegerField(
        default=2, help_text=_("Agencies that must sign off closing a terrorism case")
    )
    closure_agencies_other = models.PositiveSmallIntegerField(
        default=1, help_text=_("Agencies that must sign off closing any other case")
    )
    follow_up_months = models.CharField(
        max_length=50, default="6,12", help_text=_("Check-ins after a case closes, in months, e.g. 6,12")
    )
    conferences_per_supervision = models.PositiveSmallIntegerField(
        default=2, help_text=_("Case conferences required during the supervision of a terrorism case")
    )
    notifications_required = models.BooleanField(default=False)
    notification_initial_days = models.PositiveSmallIntegerField(default=3)
    notification_renewal_months = models.PositiveSmallIntegerField(default=12)
    notification_travel_min_days = models.PositiveSmallIntegerField(
        default=3, help_text=_("Foreign travel of this many days or more is notified in advance")
    )
    notification_years_short = models.PositiveSmallIntegerField(
        default=10, help_text=_("Sentences under 5 years")
    )
    notification_years_medium = models.PositiveSmallIntegerField(
        default=15, help_text=_("5 to under 10 years")
    )
    notification_years_long = models.PositiveSmallIntegerField(default=30, help_text=_("10 years or more"))

    class Meta:
        db_table = "custody_jurisdictionprofile"  # kept where custody created it
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_profile"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Only a country (and subdivision) whose public holidays are known: a typo would silently count
        every weekday as working."""
        self.holiday_country = self.holiday_country.strip().upper()
        self.holiday_subdivision = self.holiday_subdivision.strip().upper()
        regions = holiday_regions()
        if self.holiday_country and self.holiday_country not in regions:
            raise ValidationError({"holiday_country": "No public holidays are known for this country code"})
        if self.holiday_subdivision and self.holiday_subdivision not in regions.get(self.holiday_country, []):
            raise ValidationError(
                {"holiday_subdivision": "Not a subdivision of that country with its own holidays"}
            )

    @classmethod
    def for_case(cls, case: models.Model) -> JurisdictionProfile:
        """The profile of the case's sentence (custody keeps sentences), or the default for a case
        without one."""
        return cls.objects.filter(sentences__case=case).first() or cls.default()

    @classmethod
    def default(cls) -> JurisdictionProfile:
        return cls.objects.get(is_default=True)

    def requires_release_conference(self, sentence: SentenceRules, *, terrorism: bool | None = None) -> bool:
        """`terrorism` may be given when already known (e.g. annotated on a list), saving a query."""
        if not (sentence.is_terrorism if terrorism is None else terrorism):
            return False
        if self.release_conference == ConferenceRule.ALL_TERRORISM:
            return True
        return (
            self.release_conference == ConferenceRule.TERRORISM_CONDITIONAL
            and sentence.is_conditional_release
        )
