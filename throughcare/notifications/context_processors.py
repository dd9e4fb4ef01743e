from __future__ import annotations

from django.http import HttpRequest

from throughcare.accounts.models import Membership, Role
from throughcare.notifications.models import Notification


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header and menu need about the signed-in user: unread notifications and capabilities."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = Membership.objects.filter(user=user, is_active=True)
    return {
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "may_break_glass": roles.filter(may_break_glass=True).exists(),
        "is_auditor": roles.filter(role=Role.AUDITOR).exists(),
    }
