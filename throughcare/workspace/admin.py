from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, Membership, User
from throughcare.lib.admin import BoundedInline
from throughcare.lib.errors import ActionRefused
from throughcare.workspace import duties


class MembershipInline(BoundedInline, admin.StackedInline[Membership, User]):
    """Stacked, so that every field has its label."""

    model = Membership
    fk_name = "user"
    extra = 1

    # An administrator's own memberships are shown, never changed by themselves (separation of duties).
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_delete_permission(request, obj)


def _own(request: HttpRequest, user: Any) -> bool:
    return isinstance(user, User) and user.pk == request.user.pk


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        own = ["is_active", "is_staff", "is_superuser"] if _own(request, obj) else []
        return [*super().get_readonly_fields(request, obj), *own]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # the admin's save runs in one transaction
        by: User = request.user  # type: ignore[assignment]
        duties.record_account_change(obj, by=by, changed=list(form.changed_data) if change else ["created"])

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if message == [{"changed": {"fields": ["password"]}}] and not _own(request, obj):
            duties.record_account_change(obj, by=request.user, changed=["password"])  # type: ignore[arg-type]
        return super().log_change(request, obj, message)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[User],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        with transaction.atomic():
            formset.save()
            by: User = request.user  # type: ignore[assignment]
            for membership in formset.new_objects:
                _saved(request, membership, by, ["created"])
            for membership, fields in formset.changed_objects:
                _saved(request, membership, by, fields)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "region", "country", "is_government"]
    list_filter = ["kind", "region", "country"]
    search_fields = ["name", "short_name"]


def _saved(request: HttpRequest, membership: Membership, by: User, changed: list[str]) -> None:
    """Audit a saved membership; clearance just ticked is not granted but asked of a second person."""
    asks_clearance = membership.intelligence_cleared and (
        "intelligence_cleared" in changed or changed == ["created"]
    )
    if asks_clearance:
        duties.ask_clearance(membership, by=by)
        changed = [name for name in changed if name != "intelligence_cleared"]
    duties.record_membership_change(membership, by=by, changed=changed)
    if asks_clearance:
        messages.warning(
            request,
            gettext(
                "Intelligence clearance for %(user)s is asked, not yet given: a second "
                "administrator approves it (Memberships, “Approve the clearance asked "
                "for”)."
            )
            % {"user": membership.user},
        )


class ClearanceFilter(admin.SimpleListFilter):
    title = "intelligence clearance"
    parameter_name = "clearance"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("asked", "Asked, awaiting approval"), ("given", "Cleared")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        if self.value() == "asked":
            return queryset.filter(clearance_asked_by__isnull=False)
        if self.value() == "given":
            return queryset.filter(intelligence_cleared=True)
        return queryset


class MembershipForm(ModelForm[Membership]):
    administrator: User | None = None

    def clean_user(self) -> User:
        user: User = self.cleaned_data["user"]
        if self.administrator is not None and user.pk == self.administrator.pk:
            raise ValidationError(duties.SELF_GRANT)
        return user


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    form = MembershipForm
    list_display = ["user", "agency", "role", "is_active", "intelligence_cleared", "clearance_asked_by"]
    list_filter = [ClearanceFilter, "role", "agency__kind", "is_active"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    readonly_fields = ["clearance_asked_by", "clearance_asked_at"]
    actions = ["approve_clearance"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"administrator": request.user})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # the admin's save runs in one transaction
        _saved(request, obj, request.user, list(form.changed_data) if change else ["created"])  # type: ignore[arg-type]

    @admin.action(description="Approve the intelligence clearance asked for")
    def approve_clearance(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        by: User = request.user  # type: ignore[assignment]
        for membership in queryset.select_related("user", "agency", "clearance_asked_by"):
            try:
                duties.approve_clearance(membership, by=by)
            except ActionRefused as refusal:
                messages.error(request, f"{membership.user}: {refusal.message}")
            else:
                messages.success(
                    request, gettext("%(user)s is cleared for intelligence.") % {"user": membership.user}
                )
