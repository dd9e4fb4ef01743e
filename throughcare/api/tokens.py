"""Personal access tokens and service accounts: issued, checked, revoked — each step audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.api.models import ApiToken, Scope
from throughcare.audit import log as audit
from throughcare.audit.models import Operation
from throughcare.lib.errors import ActionRefused

PREFIX = "tc_"
# Writing "last used" on every call would turn each read into a write: once a minute is enough to see
# whether a token is in use.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def issue(user: User, *, name: str, scope: str, days: int, by: User) -> tuple[ApiToken, str]:
    """A new token for `user` (by themselves, or by an administrator for a service account). The raw
    token is returned once and never stored."""
    name = name.strip()
    if not name or "\x00" in name:
        raise ActionRefused(gettext("Say what the token is for"), field="name")
    if len(name) > 100:
        raise ActionRefused(gettext("The name must be 100 characters or fewer"), field="name")
    if scope not in Scope.values:
        raise ActionRefused(gettext("Choose read only, or read and write"), field="scope")
    longest = settings.API_TOKEN_MAX_DAYS
    if not 1 <= days <= longest:
        raise ActionRefused(
            gettext("A token lasts from 1 to %(longest)s days") % {"longest": longest}, field="days"
        )
    if not user.is_active:
        raise ActionRefused(gettext("This account is not active"), field="name")
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=digest(raw),
            scope=scope,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            Operation.COLLECTION,
            token,
            by=by,
            agency=by.primary_agency(),
            details={"api_token": token.prefix, "for": user.username, "scope": scope, "days": days},
        )
    return token, raw


def revoke(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit.record(
                Operation.ALTERATION,
                token,
                by=by,
                agency=by.primary_agency(),
                details={"api_token": token.prefix, "revoked": True},
            )
    token.refresh_from_db()


def authenticate(raw: str) -> ApiToken | None:
    """The usable token this raw value is, or None (unknown, expired, revoked, or its user inactive)."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(digest=digest(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def create_service_account(username: str, *, name: str, agency: Agency, by: User | None) -> User:
    """An agency's system as a user: a membership in that agency, so the gate treats its calls like a
    worker's of that agency; no password, so it cannot sign in to the pages."""
    if User.objects.filter(username=username).exists():
        raise ActionRefused(
            gettext("There is already a user called %(username)s") % {"username": username}, field="username"
        )
    with transaction.atomic():
        user = User(username=username, first_name=name[:150], kind=User.Kind.SERVICE, job_title="System")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, agency=agency, role=Role.PRACTITIONER)
        audit.record(
            Operation.COLLECTION,
            user,
            by=by,
            agency=agency,
            details={"service_account": username, "agency": agency.name},
        )
    return user
