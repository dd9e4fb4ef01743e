"""Access tokens for the JSON API, and the answers kept for idempotency keys.

A token is shown once; only its SHA-256 digest is kept (a token is 256 random bits, so a plain digest
cannot be reversed by guessing). It belongs to a user — a person, or an agency's service account — and
the gate treats its calls as that user's.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from throughcare.accounts.models import User


class Scope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it")
    prefix = models.CharField(max_length=12, help_text="The start of the token, to recognise it in a list")
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
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status = models.PositiveSmallIntegerField()
    body: models.JSONField[Any] = models.JSONField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
