"""Agencies, users and what role a user holds in which agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet


class AgencyKind(models.TextChoices):
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation")
    POLICE_CT = "police_ct", _("Police counter-terrorism")
    MUNICIPALITY = "municipality", _("Municipality / local authority")
    NGO = "ngo", _("Non-governmental organisation")
    HEALTH = "health", _("Health service")
    EDUCATION_EMPLOYMENT = "education_employment", _("Education and employment")
    HOUSING = "housing", _("Housing")
    CHILD_SERVICES = "child_services", _("Child services")
    JUDICIARY = "judiciary", _("Judiciary")


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    region = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. BE"))
    is_government = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    """Coarse capabilities within one agency; held as data on a membership."""

    PRACTITIONER = "practitioner", _("Practitioner")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor (read-only)")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who signs in, or an agency's system (a service account, calling the API with a token).
    Case data is reached only through the access gate, never through this model."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        SERVICE = "service", _("Service account (an agency's system)")

    job_title = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    # The interface language the person chose (a code of settings.LANGUAGES); blank: their browser's.
    language = models.CharField(max_length=10, blank=True, default="")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def active_memberships(self) -> QuerySet[Membership]:
        return self.memberships.filter(is_active=True).select_related("agency")

    def primary_agency(self) -> Agency | None:
        membership = self.active_memberships().order_by("pk").first()
        return membership.agency if membership else None


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    is_active = models.BooleanField(default=True)
    # Capabilities beyond the role, granted explicitly (workers of police counter-terrorism are
    # cleared for intelligence by their agency; anyone else only through this flag).
    intelligence_cleared = models.BooleanField(default=False, help_text=_("May read intelligence content."))
    may_break_glass = models.BooleanField(
        default=False,
        help_text=_("May open a case they cannot otherwise see, giving a reason (audited, reviewed)."),
    )
    may_decide_requests = models.BooleanField(
        default=False,
        help_text=_("Delegated authority to decide risk-relevant requests outside a conference."),
    )
    may_chair_conferences = models.BooleanField(
        default=False,
        help_text=_(
            "Chairs the multi-agency panel: may schedule and chair conferences (case leads may too)."
        ),
    )
    may_override_consent = models.BooleanField(
        default=False, help_text=_("May share with a consent-based partner without consent, giving a reason.")
    )
    may_publish_statistics = models.BooleanField(
        default=False,
        help_text=_("May approve the publication of a statistics release that someone else prepared."),
    )
    may_train = models.BooleanField(
        default=False,
        help_text=_(
            "Trainer: may turn cases they can see into anonymised training cases, review others' "
            "training cases and lessons, and see their trainees' answers."
        ),
    )
    # Clearance takes two people: an administrator asks (here), another approves (see workspace.duties).
    clearance_asked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    clearance_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.agency}"


class CalendarFeed(models.Model):
    """A user's private iCalendar feed. Only a hash of its secret is kept: the address is shown once, when
    it is made, and a new one replaces (and so revokes) the old."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
