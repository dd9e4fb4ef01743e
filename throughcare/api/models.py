"""Access tokens for the JSON API, and the answers kept for idempotency keys.

A token is shown once; only its SHA-256 digest is kept (a token is 256 random bits, so a plain digest
cannot be reversed by guessing). It belongs to a user — a person, or an agency's service account — and
the gate treats its calls as that user's.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import User


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text=_("What the token is for, e.g. the system that uses it")
    )
    prefix = models.CharField(max_length=12, help_text=_("The start of the token, to recognise it in a list"))
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"


class IdempotentResponse(models.Model):
    """The answer to a create sent with an `Idempotency-Key`: a retry gets it again instead of a second
    record. Kept per user; the same key with another body is refused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of method, path and body"))
    status = models.PositiveSmallIntegerField()
    body: models.JSONField[Any] = models.JSONField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class OutboxEvent(models.Model):
    """A domain event, written in the transaction of the change it reports: nothing here for a change that
    rolled back, nothing missing for one that committed. `deliver_events` sends it on."""

    event_id = models.UUIDField(unique=True, help_text=_("The CloudEvents id"))
    type = models.CharField(max_length=60, db_index=True)
    category = models.CharField(max_length=20)
    case_id = models.BigIntegerField(null=True, db_index=True)
    data: models.JSONField[Any] = models.JSONField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out = models.BooleanField(
        default=False, db_index=True, help_text=_("Deliveries made for subscribers")
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class Subscription(models.Model):
    """A service account's wish to be told of events (by type; optionally only of some data categories)."""

    subscriber = models.ForeignKey(User, on_delete=models.CASCADE, related_name="event_subscriptions")
    url = models.URLField(max_length=500, help_text=_("Where events are POSTed (https in production)"))
    secret = models.CharField(max_length=100, help_text=_("Signs each delivery (HMAC-SHA256); shown once"))
    event_types: models.JSONField[Any] = models.JSONField(default=list, blank=True, help_text=_("Empty: all"))
    categories: models.JSONField[Any] = models.JSONField(
        default=list, blank=True, help_text=_("Empty: all held")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.url}"

    def wants(self, event: OutboxEvent) -> bool:
        return (not self.event_types or event.type in self.event_types) and (
            not self.categories or event.category in self.categories
        )


class Delivery(models.Model):
    """One event for one subscription: sent, retried with backoff, or parked as dead (replayable)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        WITHHELD = "withheld", _("Not sent: the subscriber may not see it")
        DEAD = "dead", _("Failed too often (replay it from the administration)")

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="one_delivery_each")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
