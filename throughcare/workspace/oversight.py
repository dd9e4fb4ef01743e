"""Access and sign-in, as the data protection officer oversees them: who is locked out of signing in, the
recent failed sign-ins, clearance awaiting its second approval, and every change of access an
administrator made (each also audited in the chain and notified when it happened)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from throughcare.accounts.models import Membership, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import WATCHED, AuditEvent, Operation
from throughcare.audit.partitions import month_of
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import viewer_for

LOCKED_OUT = "sign-in locked out"
TEAM_CHANGE = "case team administration"
# The justifications under which the administration's changes of access are audited (workspace.duties;
# case teams changed by staff in cases.actions.record_team_change), and the sign-in events (lockouts,
# recovery codes, second factor): the audit log indexes these on their own.
ACCESS_CHANGES = [j for j in WATCHED if j != TEAM_CHANGE]
DAYS = 90


@require_GET
def access_oversight(request: AuthedRequest) -> HttpResponse:
    if Role.AUDITOR not in viewer_for(request.user).roles:
        raise Http404("Not found")
    now = timezone.now()
    context = {
        "locked": locked_out().order_by("-attempt_time")[:50],
        "failures": AccessFailureLog.objects.filter(attempt_time__gte=now - timedelta(days=30)).order_by(
            "-attempt_time"
        )[:50],
        "clearance_asked": Membership.objects.filter(clearance_asked_by__isnull=False).select_related(
            "user", "agency", "clearance_asked_by"
        ),
        "changes": _changes(now),
        "limit": settings.AXES_FAILURE_LIMIT,
        "days": DAYS,
    }
    return render(request, "workspace/access_oversight.html", context)


def locked_out() -> Any:
    """Usernames and addresses locked out of signing in now."""
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )


def _changes(now: datetime) -> list[tuple[AuditEvent, str]]:
    """The changes of access, newest first, each with the person whose access changed."""
    events = list(
        AuditEvent.objects.filter(
            Q(justification__in=ACCESS_CHANGES)
            | Q(justification=TEAM_CHANGE, actor__is_staff=True),  # not a lead's team work
            justification__in=WATCHED,  # the OR names the user table: this lets the partial index serve
            occurred_at__gte=now - timedelta(days=DAYS),
            month__gte=month_of(now - timedelta(days=DAYS + 31)),  # sealed after: older months unread
        )
        .select_related("actor")
        .order_by("-id")[:100]
    )
    ids = {e.details.get("user") for e in events} - {None}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    return [(e, names.get(e.details.get("user", 0), "") or e.details.get("username", "")) for e in events]


def record_lockout(
    sender: object, request: object = None, username: str = "", ip_address: str = "", **kwargs: object
) -> None:
    """A lockout (django-axes' signal, sent on each refused try) goes into the audit chain once."""
    username = username.replace("\x00", "")[:150]
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    with transaction.atomic():
        recent = AuditEvent.objects.filter(justification=LOCKED_OUT, occurred_at__gte=since)
        if any(
            e.details.get("username") == username and e.details.get("address") == ip_address for e in recent
        ):
            return
        record(
            Operation.COLLECTION,
            User(pk=0, username=username),
            by=None,
            justification=LOCKED_OUT,
            details={"username": username, "address": ip_address},
        )
