"""Multi-agency conferences, centred on decisions and actions (the release conference is one kind)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.lib.wording import Wording, label_of, worded


class ConferenceKind(models.TextChoices):
    RELEASE = "release", _("Release conference")
    CASE = "case", _("Case conference")
    PANEL_2 = "panel_2", _("Panel level 2 review")
    PANEL_3 = "panel_3", _("Panel level 3 review")
    URGENT = "urgent", _("Urgent conference")


class Conference(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held: minutes in draft")
        APPROVED = "approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    held_on = models.DateField(help_text=_("The day of the meeting"))
    starts_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chaired_conferences")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return str(self.wording)

    @property
    def wording(self) -> Wording:
        """Its name, read in the reader's language ("Case conference of 27 Oct 2026")."""
        return worded("%(conference)s of %(date)s", conference=label_of(self, "kind"), date=self.held_on)

    @property
    def locked(self) -> bool:
        """Approved minutes are locked: corrections are addenda."""
        return self.status == self.Status.APPROVED


class Invitation(models.Model):
    """An agency, or a named person of it, invited to the conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "agency", "user"], name="invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.agency} invited to {self.conference}"


class QuorumRule(models.Model):
    """How many agencies must be present, and which kinds, before a conference of a kind may decide."""

    kind = models.CharField(max_length=10, choices=ConferenceKind.choices, unique=True)
    min_agencies = models.PositiveSmallIntegerField()
    required_kinds: models.JSONField[list[str]] = models.JSONField(
        default=list,
        blank=True,
        help_text='Agency kinds that must be present, e.g. ["probation", "police_ct"]',
    )

    def __str__(self) -> str:
        return f"Quorum for {self.get_kind_display()}: {self.min_agencies} agencies"


class AgendaItem(CaseData, models.Model):
    """One case discussed at a conference, with what was shared about it."""

    data_category = DataCategory.GENERAL

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    shared = models.TextField(
        blank=True, help_text=_("What was discussed, in the minutes for every attendee")
    )
    briefing = models.TextField(
        blank=True, help_text=_("The chair's curated briefing, shared with this meeting's attendees only")
    )
    briefing_categories: models.JSONField[list[str]] = models.JSONField(
        default=list, blank=True, help_text=_("The data categories the briefing draws on")
    )
    briefing_override_reason = models.CharField(
        max_length=500, blank=True, help_text=_("Why the briefing goes to a partner without its consent")
    )
    restricted = models.TextField(
        blank=True, help_text=_("Restricted section: only cleared attendees ever receive it")
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="case_once_per_conference")
        ]

    def __str__(self) -> str:
        return f"{self.case} at {self.conference}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Sent apologies")
        ABSENT = "absent", _("Absent")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)

    def __str__(self) -> str:
        return f"{self.user or self.agency}: {self.get_status_display()}"


class Decision(CaseData, models.Model):
    data_category = DataCategory.RISK
    case_path = "item__case"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=500)
    rationale = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    request = models.ForeignKey(
        "RiskRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    outcome = models.CharField(max_length=25, blank=True, help_text=_("For a request: what was decided"))
    conditions = models.TextField(blank=True, help_text=_("Conditions attached, e.g. escort, notification"))
    triggers_plan_review = models.BooleanField(default=False)
    condition_change = models.CharField(
        max_length=500, blank=True, help_text=_("A licence condition to vary")
    )

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return self.decision


class ActionItem(CaseData, models.Model):
    data_category = DataCategory.GENERAL
    case_path = "item__case"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="conference_actions")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today


class RiskRequest(CaseData, models.Model):
    """A risk-relevant request on a case: it cannot be approved without a recorded decision — at a
    conference where it is on the agenda, or by a person with delegated authority."""

    data_category = DataCategory.RISK

    class Kind(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        EVENT = "event", _("Attending an event")
        ADDRESS = "address", _("Change of address")
        WORK = "work", _("Change of work")
        CONTACT = "contact", _("Contact with a named person")
        DEVICE = "device", _("Internet device")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending a decision")
        APPROVED = "approved", _("Approved")
        WITH_CONDITIONS = "approved_conditions", _("Approved with conditions")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    details = models.TextField(help_text=_("Where, when, with whom, why"))
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=25, choices=Outcome.choices, default=Outcome.PENDING)
    conditions = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    delegate = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Decided by a person with delegated authority, not at a conference"),
    )
    delegate_rationale = models.TextField(blank=True)
    agenda_items = models.ManyToManyField(AgendaItem, related_name="requests", blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request on {self.case}"


class Addendum(models.Model):
    """A correction to approved minutes: the minutes stay as approved; the addendum is added."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    restricted = models.BooleanField(default=False, help_text=_("Only cleared attendees receive it"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"Addendum to {self.conference}"


class MinutesCopy(models.Model):
    """The minutes as circulated to one recipient: a recorded disclosure; restricted sections only if
    the recipient was cleared when they were sent."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="copies")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="minutes_copies")
    with_restricted = models.BooleanField(default=False)
    circulated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    circulated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-circulated_at"]

    def __str__(self) -> str:
        return f"Minutes of {self.conference} to {self.recipient}"
