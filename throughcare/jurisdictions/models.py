"""Jurisdiction profiles: the rules of one jurisdiction, as data (deadlines, panels, holidays, notification
requirements, closure sign-offs). Every capability reads its rules from the case's profile; the profile of
a case is the one of its sentence, or the default."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from throughcare.jurisdictions.shipped import BOOKKEEPING
from throughcare.lib.dates import add_months, holiday_regions, working_days_before
from throughcare.lib.translated import Translatable

FRACTION = re.compile(r"^([1-9])/([1-9])$")
WEEKDAYS = re.compile(r"^[1-7](,[1-7])*$")


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


class JurisdictionProfile(Translatable, models.Model):
    """The rules of one jurisdiction, as data. The shipped profiles (`jurisdictions/profiles/*.json`) hold
    what public sources state and name each value that is a sensible default rather than law
    (`unverified`); each deploying organisation sets its own."""

    translated_fields = ("name", "description")

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 code of the jurisdiction's country, e.g. AT"),
    )
    language = models.CharField(
        max_length=10,
        default="en",
        help_text=_("The jurisdiction's language, e.g. de (one the interface offers)"),
    )
    sources = models.TextField(blank=True, help_text=_("The public sources of these rules"))
    unverified: models.JSONField[Any] = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'The fields whose values are sensible defaults rather than law, e.g. ["standard_months"]'
        ),
    )
    # Conditional release: the share of the sentence served before it may be granted (or considered).
    conditional_release_fraction = models.CharField(
        max_length=3,
        blank=True,
        help_text=_("Share of a determinate sentence served before conditional release, e.g. 2/3"),
    )
    conditional_release_max_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("At most this many months of the sentence are left on conditional release"),
    )
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
    weekend_days = models.CharField(
        max_length=13,
        default="6,7",
        help_text=_("Days of the week that are not working days, 1 Monday to 7 Sunday, e.g. 6,7"),
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
    notification_travel_notice_days = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Travel is notified at least this many days before departure (0: the day before)"),
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
        every weekday as working. A language the interface offers, a share such as 2/3, weekdays 1–7."""
        self.holiday_country = self.holiday_country.strip().upper()
        self.holiday_subdivision = self.holiday_subdivision.strip().upper()
        self.country = self.country.strip().upper()
        self.weekend_days = self.weekend_days.replace(" ", "")
        self.conditional_release_fraction = self.conditional_release_fraction.strip()
        errors = self._holiday_errors()
        if self.language not in {code for code, _name in settings.LANGUAGES}:
            errors["language"] = _("Choose a language the interface offers: %(codes)s") % {
                "codes": ", ".join(code for code, _name in settings.LANGUAGES)
            }
        fraction = FRACTION.match(self.conditional_release_fraction)
        if self.conditional_release_fraction and (fraction is None or fraction[1] >= fraction[2]):
            errors["conditional_release_fraction"] = _("Enter a share of the sentence such as 1/2 or 2/3")
        if not WEEKDAYS.match(self.weekend_days) or len(set(self.weekend_days.split(","))) > 6:
            errors["weekend_days"] = _("Enter days of the week as numbers 1 to 7, e.g. 6,7, at most six")
        if not isinstance(self.unverified, list) or not all(
            isinstance(name, str) and name in self.rule_names() for name in self.unverified
        ):
            errors["unverified"] = _('Name fields of this profile, e.g. ["standard_months"]')
        if errors:
            raise ValidationError(errors)

    def _holiday_errors(self) -> dict[str, Any]:
        regions = holiday_regions()
        if self.holiday_country and self.holiday_country not in regions:
            return {"holiday_country": _("No public holidays are known for this country code")}
        if self.holiday_subdivision and self.holiday_subdivision not in regions.get(self.holiday_country, []):
            return {"holiday_subdivision": _("Not a subdivision of that country with its own holidays")}
        return {}

    @classmethod
    def rule_names(cls) -> list[str]:
        """The fields that hold a rule (not the profile's name, sources or bookkeeping)."""
        return [f.name for f in cls._meta.concrete_fields if f.name not in BOOKKEEPING]

    @property
    def weekend(self) -> frozenset[int]:
        """The days of the week (1 Monday … 7 Sunday) that are not working days."""
        return frozenset(int(day) for day in self.weekend_days.split(",") if day.strip().isdigit())

    def working_days_before(self, day: date, days: int) -> date:
        """`days` working days before `day`, under this jurisdiction's weekend and public holidays."""
        return working_days_before(
            day,
            days,
            country=self.holiday_country,
            subdivision=self.holiday_subdivision,
            weekend=self.weekend,
        )

    def conditional_release_from(self, start: date, end: date | None) -> date | None:
        """The first day conditional release may be granted for a determinate sentence from `start` to
        `end` under this jurisdiction: the share served, and no more than the profile's longest time left
        on conditional release. None for an indeterminate sentence or a profile without the rule."""
        fraction = FRACTION.match(self.conditional_release_fraction or "")
        if fraction is None or end is None or end <= start:
            return None
        served = (end - start).days * int(fraction[1])
        day = start + timedelta(days=-(-served // int(fraction[2])))  # rounded up: a whole share served
        if self.conditional_release_max_months is not None:
            day = max(day, add_months(end, -self.conditional_release_max_months))
        return day

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
