from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from throughcare.accounts.models import Agency, Membership, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation

# What a membership grants: every change of these is audited (who may see and do what is access data).
GRANTS = [
    "role",
    "is_active",
    "intelligence_cleared",
    "may_break_glass",
    "may_decide_requests",
    "may_chair_conferences",
    "may_override_consent",
]


def record_membership_change(membership: Membership, *, by: User, changed: list[str]) -> None:
    """Audit a change of role, clearance or capability, inside the administration's save transaction."""
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


class MembershipInline(admin.StackedInline[Membership, User]):
    """Stacked, so that every field has its label."""

    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "job_title", "kind", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    # Roles and capabilities are memberships (below), not Django groups or permissions; the sign-in dates
    # are read only.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("kind", "first_name", "last_name", "email", "job_title")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[User],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        with transaction.atomic():
            formset.save()
            for membership in formset.new_objects:
                record_membership_change(membership, by=request.user, changed=["created"])  # type: ignore[arg-type]
            for membership, fields in formset.changed_objects:
                record_membership_change(membership, by=request.user, changed=fields)  # type: ignore[arg-type]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "region", "country", "is_government"]
    list_filter = ["kind", "region", "country"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "agency", "role", "is_active"]
    list_filter = ["role", "agency__kind", "is_active"]
    search_fields = ["user__username", "user__last_name", "agency__name"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = list(form.changed_data) if change else ["created"]
            record_membership_change(obj, by=request.user, changed=changed)  # type: ignore[arg-type]
