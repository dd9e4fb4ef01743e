"""Administration of case teams. Administrators manage who is on a team, not what is in the case:
no timeline content and no person details are shown here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from throughcare.cases.actions import record_team_change
from throughcare.cases.models import Case, CaseTeamMember


class CaseTeamMemberInline(admin.StackedInline[CaseTeamMember, Case]):
    """Stacked, so that every field has its label (a tabular inline's fields have only column headings)."""

    model = CaseTeamMember
    extra = 1
    # One labelled input per moment (the admin's split date and time inputs have no labels of their own).
    formfield_overrides = {
        models.DateTimeField: {
            "form_class": forms.DateTimeField,
            "widget": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
            ),
        }
    }
    fields = ["user", "agency", "responsibility", "function", "started_at", "ended_at"]
    can_delete = False  # a worker leaves by getting an end date, so the history stays


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

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Case],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        with transaction.atomic():
            formset.save()
            for place in formset.new_objects:
                record_team_change(place, by=request.user, changed=["created"])  # type: ignore[arg-type]
            for place, fields in formset.changed_objects:
                record_team_change(place, by=request.user, changed=fields)  # type: ignore[arg-type]
