from __future__ import annotations

from django.http import HttpRequest

from throughcare.accounts.models import Role
from throughcare.cases.standing import Capability
from throughcare.learning.lesson_views import reads_library
from throughcare.rehab.models import Programme
from throughcare.sharing.access import has_capability, unread_notification_count, viewer_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header and menu need about the signed-in user: unread notifications and what their
    memberships let them do (the menu shows only the pages of their work)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    viewer = viewer_for(user)
    return {
        "unread_notifications": unread_notification_count(user),
        "may_break_glass": viewer.may_break_glass,
        "is_auditor": Role.AUDITOR in viewer.roles,
        "does_statistics": Role.ANALYST in viewer.roles
        or has_capability(user, Capability.PUBLISH_STATISTICS),
        "works_on_cases": bool(viewer.agencies),
        "learns": reads_library(user),  # everyone who works for an agency reads the lessons library
        "primary_agency": viewer.primary_agency,
        "provides_programmes": bool(viewer.agencies)
        and Programme.objects.filter(provider__in=list(viewer.agencies), is_active=True).exists(),
    }
