"""Administration of case teams. Administrators manage who is on a team, not what is in the case:
no timeline content and no person details are shown here."""

from __future__ import annotations

from django.contrib import admin

from throughcare.cases.models import Case, CaseTeamMember


class CaseTeamMemberInline(admin.TabularInline[CaseTeamMember, Case]):
    model = CaseTeamMember
    extra = 1
    autocomplete_fields = ["user", "agency"]
    fields = ["user", "agency", "responsibility", "function", "started_at", "ended_at"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["reference", "phase", "opened_at"]
    list_filter = ["phase"]
    search_fields = ["reference"]
    fields = ["reference", "phase", "opened_at"]
    readonly_fields = ["reference", "phase", "opened_at"]
    inlines = [CaseTeamMemberInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
