"""Outcomes: what happened after release, as the team records it; the extracts, definitions, releases and
published studies that measure and publish it.

An outcome event is legal data about a case. It is never edited: a correction is a new version that
supersedes the old one, which is kept (the measures read the current versions only).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory


class OutcomeKind(models.TextChoices):
    PROVEN_REOFFENCE = "proven_reoffence", "Proven reoffence"
    REENGAGEMENT = "reengagement", "Re-engagement in extremism without conviction"
    CENSORED = "censored", "Left the follow-up"


class OffenceKind(models.TextChoices):
    TERRORISM = "terrorism", "Terrorism offence"
    VIOLENT = "violent", "Other violent offence"
    OTHER = "other", "Other offence"


class ProvenBy(models.TextChoices):
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"


class CensorReason(models.TextChoices):
    DEATH = "death", "Death"
    ABROAD = "abroad", "Deportation or transfer abroad"
    LOST_CONTACT = "lost_contact", "Loss of contact"
    END_OF_DATA = "end_of_data", "End of data"


class Reliability(models.TextChoices):
    """Source grading (the 5×5×5 admiralty scale's first two parts), as incoming information uses it."""

    A = "A", "A — always reliable"
    B = "B", "B — mostly reliable"
    C = "C", "C — sometimes reliable"
    D = "D", "D — unreliable"
    E = "E", "E — reliability unknown"


class OutcomeEventQuerySet(CaseDataQuerySet):
    def current(self) -> OutcomeEventQuerySet:
        return self.filter(superseded_by__isnull=True)


class OutcomeEvent(CaseData, models.Model):
    data_category = DataCategory.LEGAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_events")
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField(help_text="The offence, the re-engagement seen, or leaving the follow-up.")
    offence_kind = models.CharField(max_length=12, choices=OffenceKind.choices, blank=True)
    proven_by = models.CharField(max_length=12, choices=ProvenBy.choices, blank=True)
    proven_on = models.DateField(null=True, blank=True, help_text="The date of the conviction or caution.")
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
    def summary(self) -> str:
        if self.kind == OutcomeKind.PROVEN_REOFFENCE:
            proof = (
                f"{self.get_proven_by_display().lower()} on {self.proven_on:%d %b %Y}"
                if self.proven_on
                else "not yet proven"
            )
            return f"{self.get_offence_kind_display()} committed on {self.occurred_on:%d %b %Y}; {proof}"
        if self.kind == OutcomeKind.CENSORED:
            reason = self.get_censor_reason_display().lower()
            return f"Left the follow-up on {self.occurred_on:%d %b %Y}: {reason}"
        grading = f" (source graded {self.reliability})" if self.reliability else ""
        return f"Re-engagement judged on {self.occurred_on:%d %b %Y}{grading}"
