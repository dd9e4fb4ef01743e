from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.lib.wording import WordingField


class NotificationQuerySet(QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user. It names what happened and where to look, never case content."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = WordingField()  # read in the recipient's language (`lib.wording`)
    body = WordingField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # A notice that names a case says which case and what kind of data it is about, so that it reaches the
    # recipient only while they hold that category of the case (the gate decides: access.notifications_for).
    # An id, not a key: notifications sit below the cases in the layers.
    case_id = models.IntegerField(null=True, blank=True)
    category = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"To {self.recipient}: {self.subject}"
