"""The audit log of processing operations (Law Enforcement Directive, Art. 25).

Rows are appended by actions inside the transaction of the change they describe, and by the
consultation helper where case data is read. Nobody edits them. Each event carries a keyed hash of
its content and of the previous event's hash, so that altering, deleting, inserting or reordering
any event breaks the chain (`manage.py audit_verify`).
"""

from __future__ import annotations

from datetime import UTC, datetime
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


GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True, help_text="Position in the chain, 1, 2, 3 … without gaps")
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    operation = models.CharField(max_length=20, choices=Operation.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    actor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    # A plain id, not a foreign key: the log must outlive the case it describes.
    case_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    justification = models.CharField(max_length=500, blank=True)
    recipients: models.JSONField[Any] = models.JSONField(default=list, blank=True)
    details: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["case_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.occurred_at:%Y-%m-%d %H:%M} {self.operation} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only")

    def payload(self) -> dict[str, Any]:
        """The content the hash covers: everything but the hashes themselves."""
        return payload_of(
            self.seq,
            self.occurred_at,
            self.operation,
            self.actor_id,
            self.actor_agency_id,
            self.case_id,
            self.object_type,
            self.object_id,
            self.justification,
            self.recipients,
            self.details,
        )


def payload_of(
    seq: int,
    occurred_at: datetime,
    operation: str,
    actor: int | None,
    actor_agency: int | None,
    case: int | None,
    object_type: str,
    object_id: str,
    justification: str,
    recipients: list[str],
    details: dict[str, Any],
) -> dict[str, Any]:
    """An event's content as its hash covers it (from a model instance or from raw columns)."""
    return {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "operation": operation,
        "actor": actor,
        "actor_agency": actor_agency,
        "case": case,
        "object_type": object_type,
        "object_id": object_id,
        "justification": justification,
        "recipients": recipients,
        "details": details,
    }


class ChainHead(models.Model):
    """One row: the last event's position and hash. Writers lock it, so the chain is written in order."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain head #{self.seq}"
