"""Multi-agency conferences, centred on decisions and actions (the release conference is one kind)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case


class ConferenceKind(models.TextChoices):
    RELEASE = "release", "Release conference"
    CASE = "case", "Case conference"
    PANEL_2 = "panel_2", "Panel level 2 review"
    PANEL_3 = "panel_3", "Panel level 3 review"
    URGENT = "urgent", "Urgent conference"


class Conference(models.Model):
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    held_on = models.DateField()
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chaired_conferences")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.held_on:%d %b %Y}"


class AgendaItem(models.Model):
    """One case discussed at a conference, with what was shared about it."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    shared = models.TextField(
        blank=True, help_text="What was shared at the meeting (need-to-know per attendee)"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="case_once_per_conference")
        ]

    def __str__(self) -> str:
        return f"{self.case} at {self.conference}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)

    def __str__(self) -> str:
        return f"{self.user or self.agency}: {self.get_status_display()}"


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=500)
    rationale = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.decision


class Action(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="conference_actions")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today
