"""Separation of duties in the administration: who may give whom access, and who is told.

An administrator manages agencies, users and memberships, but never their own: they cannot grant
themselves (or change their own) role, clearance, capability or administrator status, nor put themselves
on a case team. Every change of what a membership grants is audited in the change's transaction and the
data protection officers are told. Clearance for intelligence takes two people: one administrator asks,
another (neither the asker nor the person cleared) approves; withdrawing clearance takes one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Membership, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import Wording, label_of, worded
from throughcare.notifications.send import auditors, notify

# What a membership grants: every change of these is audited and the DPO told (access data).
GRANTS = [
    "role",
    "is_active",
    "intelligence_cleared",
    "may_break_glass",
    "may_decide_requests",
    "may_chair_conferences",
    "may_override_consent",
    "may_publish_statistics",
    "may_train",
]
# What a user account grants in the administration itself.
ACCOUNT_GRANTS = ["is_active", "is_staff", "is_superuser"]

SELF_GRANT = "You cannot change your own access: ask another administrator."


def refuse_self(administrator: User, user: User | None) -> None:
    if user is not None and user.pk == administrator.pk:
        raise ActionRefused(SELF_GRANT)


def record_membership_change(membership: Membership, *, by: User, changed: list[str]) -> None:
    """Audit a change of role, clearance or capability and tell the DPO, inside the administration's save
    transaction. A membership's clearance only takes effect on a second person's approval."""
    granted = [name for name in changed if name in GRANTS or name == "created"]
    if not granted:
        return
    record(
        Operation.COLLECTION if changed == ["created"] else Operation.ALTERATION,
        membership,
        by=by,
        agency=membership.agency,
        justification="roles and capabilities administration",
        details={
            "user": membership.user_id,
            "agency": membership.agency_id,
            "fields": granted,
            "now": {name: getattr(membership, name) for name in GRANTS},
        },
    )
    _tell_auditors(
        worded("%(person)s changed the access of %(user)s", person=str(by), user=str(membership.user)),
        worded(
            "%(changes)s (membership at %(agency)s).",
            changes=_grant_words(membership, granted),
            agency=str(membership.agency),
        ),
    )


def record_account_change(user: User, *, by: User, changed: list[str]) -> None:
    """Audit a change of an account's administrator status, activity or password (set by an
    administrator: who sets someone's password can sign in as them), and tell the DPO."""
    granted = [name for name in changed if name in ACCOUNT_GRANTS or name in ("created", "password")]
    if not granted:
        return
    record(
        Operation.COLLECTION if changed == ["created"] else Operation.ALTERATION,
        user,
        by=by,
        justification="user administration",
        details={
            "user": user.pk,
            "fields": granted,
            "now": {name: getattr(user, name) for name in ACCOUNT_GRANTS},
        },
    )
    _tell_auditors(
        worded("%(person)s changed the account of %(user)s", person=str(by), user=str(user)),
        worded("%(changes)s.", changes=[_account_words(user, name) for name in granted]),
    )


def _account_words(user: User, name: str) -> Wording:
    if name == "created":
        return worded("account created")
    if name == "password":
        return worded("password set by the administrator")
    return worded("%(field)s: %(value)s", field=_label_of(User, name), value=_shown(getattr(user, name)))


def ask_clearance(membership: Membership, *, by: User) -> None:
    """One administrator asks for a membership's intelligence clearance; it waits for a second person."""
    refuse_self(by, membership.user)
    with transaction.atomic():
        _set_clearance(
            membership,
            by,
            "intelligence clearance asked",
            {"intelligence_cleared": False, "clearance_asked_by": by, "clearance_asked_at": timezone.now()},
            {"fields": ["clearance_asked"]},
        )
        approvers = User.objects.filter(is_superuser=True, is_active=True).exclude(
            pk__in=[by.pk, membership.user_id]
        )
        notify(
            list(approvers),
            worded("Intelligence clearance for %(user)s awaits your approval", user=str(membership.user)),
            worded(
                "%(person)s asked for %(user)s (%(agency)s) to be cleared for intelligence. "
                "A second administrator approves it before it takes effect.",
                person=str(by),
                user=str(membership.user),
                agency=str(membership.agency),
            ),
            reverse("admin:accounts_membership_changelist") + "?clearance=asked",
        )
        _tell_auditors(
            worded(
                "%(person)s asked intelligence clearance for %(user)s",
                person=str(by),
                user=str(membership.user),
            ),
            worded("It awaits a second approval."),
        )


def approve_clearance(membership: Membership, *, by: User) -> None:
    """A second administrator approves the clearance another asked for."""
    if membership.clearance_asked_by_id is None:
        raise ActionRefused(gettext("Nobody asked clearance for %(user)s.") % {"user": membership.user})
    if by.pk in (membership.clearance_asked_by_id, membership.user_id):
        raise ActionRefused(
            gettext(
                "Clearance needs a second person: someone other than the administrator who asked for it and "
                "the person cleared approves it."
            )
        )
    with transaction.atomic():
        asked_by = membership.clearance_asked_by
        _set_clearance(
            membership,
            by,
            "intelligence clearance approved",
            {"intelligence_cleared": True, "clearance_asked_by": None, "clearance_asked_at": None},
            {"fields": ["intelligence_cleared"], "asked_by": membership.clearance_asked_by_id},
        )
        _tell_auditors(
            worded("%(user)s is cleared for intelligence", user=str(membership.user)),
            worded(
                "Asked by %(asker)s, approved by %(person)s (membership at %(agency)s).",
                asker=str(asked_by),
                person=str(by),
                agency=str(membership.agency),
            ),
        )


def _set_clearance(
    membership: Membership, by: User, justification: str, values: dict[str, Any], details: dict[str, Any]
) -> None:
    """Write a step of the clearance and its audit event (in the caller's transaction)."""
    Membership.objects.filter(pk=membership.pk).update(**values)
    membership.refresh_from_db()
    record(
        Operation.ALTERATION,
        membership,
        by=by,
        agency=membership.agency,
        justification=justification,
        details={"user": membership.user_id, "agency": membership.agency_id, **details},
    )


def _grant_words(membership: Membership, granted: list[str]) -> Wording | list[Wording]:
    if granted == ["created"]:
        return worded("New membership: %(role)s", role=label_of(membership, "role"))
    return [
        worded(
            "%(field)s: %(value)s", field=_label_of(Membership, name), value=_shown(getattr(membership, name))
        )
        for name in granted
    ]


def _label_of(model: type[Model], name: str) -> Any:
    field = model._meta.get_field(name)
    return getattr(field, "verbose_name", None) or name.replace("_", " ")


def _shown(value: object) -> Any:
    if isinstance(value, bool):
        return worded("yes") if value else worded("no")
    return str(value)


def _tell_auditors(subject: Wording, body: Wording) -> None:
    notify(auditors(), subject, body, reverse("cases:access_oversight"))
