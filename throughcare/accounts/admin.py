from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from throughcare.accounts.models import Agency, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "job_title", "is_active"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Work", {"fields": ("job_title",)}))


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "region", "country", "is_government"]
    list_filter = ["kind", "region", "country"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "agency", "role", "is_active"]
    list_filter = ["role", "agency__kind", "is_active"]
    autocomplete_fields = ["user", "agency"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
