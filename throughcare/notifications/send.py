"""Telling people: one way to write notifications, and who the managers of an agency are."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from throughcare.accounts.models import Agency, Role, User
from throughcare.lib.wording import Wording
from throughcare.notifications.models import Notification


def notify(
    users: Iterable[User],
    subject: Wording | str,
    body: Wording | str,
    url: str,
    *,
    case_id: int | None = None,
    category: str = "",
) -> None:
    """One notification per person (each person once), naming what happened and where to look. One that
    names a case gives its id and the data category it is about (`category`, "" for the case record). Its
    subject and body are worded (`lib.wording`): each recipient reads them in their own language."""
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            subject=subject if isinstance(subject, Wording) else subject[:200],
            body=body if isinstance(body, Wording) else body[:1000],
            url=url,
            case_id=case_id,
            category=category,
        )
        for user in {user.pk: user for user in users}.values()
    )


def managers_of(agencies: Iterable[Agency] | QuerySet[Any, Any]) -> list[User]:
    """The active managers of these agencies (agencies, or a subquery of agency ids)."""
    return list(
        User.objects.filter(
            memberships__agency__in=agencies, memberships__role=Role.MANAGER, memberships__is_active=True
        ).distinct()
    )


def auditors() -> list[User]:
    """The active data protection officers and auditors: told of break-glass and of changes of access."""
    return list(User.objects.filter(memberships__role=Role.AUDITOR, memberships__is_active=True).distinct())
