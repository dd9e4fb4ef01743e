from __future__ import annotations

from django.http import HttpRequest

from throughcare.accounts.models import Role
from throughcare.sharing.access import notifications_for, viewer_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header and menu need about the signed-in user: unread notifications and capabilities."""
    user = request.user
    if not user.is_authenticated:
        return {}
    viewer = viewer_for(user)
    return {
        "unread_notifications": notifications_for(user).filter(read_at__isnull=True).count(),
        "may_break_glass": viewer.may_break_glass,
        "is_auditor": Role.AUDITOR in viewer.roles,
    }
