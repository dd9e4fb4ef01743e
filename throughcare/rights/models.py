"""Subject access requests (Law Enforcement Directive, Art. 14–15) and the restrictions applied to them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import User
from throughcare.cases.models import DataCategory
from throughcare.lib.dates import add_months
from throughcare.people.models import Person


class SubjectAccessRequest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_requests")
    received_on = models.DateField(default=timezone.localdate)
    how_received = models.CharField(
        max_length=300, help_text=_("e.g. letter handed to the probation officer")
    )
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Intelligence (and anything derived from it) is withheld from the person's copy unless the data
    # protection officer decides, with a reason, to include it.
    intelligence_included_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intelligence_included_at = models.DateTimeField(null=True, blank=True)
    intelligence_included_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Subject access request of {self.person} received {self.received_on}"

    @property
    def answer_due_on(self) -> date:
        """The statutory time limit for the answer: one month from receipt (GDPR Art. 12(3); national law
        under the LED, Art. 12(3)), in `settings.SUBJECT_ACCESS_MONTHS`."""
        return add_months(self.received_on, settings.SUBJECT_ACCESS_MONTHS)

    @property
    def includes_intelligence(self) -> bool:
        return self.intelligence_included_at is not None


class Ground(models.TextChoices):
    """Why access may be restricted (LED Art. 15(1))."""

    INVESTIGATIONS = "investigations", _("Avoid obstructing official inquiries, investigations or procedures")
    PROSECUTION = (
        "prosecution",
        _("Avoid prejudicing the prevention, investigation or prosecution of offences"),
    )
    PENALTIES = "penalties", _("Avoid prejudicing the execution of criminal penalties")
    PUBLIC_SECURITY = "public_security", _("Protect public security")
    NATIONAL_SECURITY = "national_security", _("Protect national security")
    OTHERS_RIGHTS = "others_rights", _("Protect the rights and freedoms of others")


class AccessRestriction(models.Model):
    """A part of the answer withheld from the person, with its legal ground and documented reasons."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="restrictions")
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    ground = models.CharField(max_length=20, choices=Ground.choices)
    reasons = models.TextField(help_text=_("Kept for the supervisory authority; never sent to the person."))
    tell_person = models.BooleanField(
        default=True,
        help_text=_(
            "Tell the person that information was withheld and on which ground, unless telling them "
            "would itself undermine the purpose."
        ),
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "category"], name="one_restriction_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} withheld: {self.get_ground_display()}"
