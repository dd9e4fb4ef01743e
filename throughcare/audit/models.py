"""The audit log of processing operations (Law Enforcement Directive, Art. 25).

Rows are appended by actions inside the transaction of the change they describe, and by the
consultation helper where case data is read. Nobody edits them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from throughcare.accounts.models import Agency, User


class Operation(models.TextChoices):
    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    operation = models.CharField(max_length=20, choices=Operation.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    actor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    # A plain id, not a foreign key: the log must outlive the case it describes.
    case_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    justification = models.CharField(max_length=500, blank=True)
    details: models.JSONField[Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.operation} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only")
