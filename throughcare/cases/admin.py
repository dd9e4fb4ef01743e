"""Administration of case teams. Administrators manage who is on a team, not what is in the case:
no timeline content and no person details are shown here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext

from throughcare.cases.actions import record_team_change
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.lib.admin import BoundedInline
from throughcare.lib.forms import DateTimeField


class CaseTeamMemberInline(BoundedInline, admin.StackedInline[CaseTeamMember, Case]):
    """Stacked, so that every field has its label (a tabular inline's fields have only column headings)."""

    model = CaseTeamMember
    extra = 1
    # One labelled input per moment (the admin's split date and time inputs have no labels of their own).
    formfield_overrides = {
        models.DateTimeField: {
            "form_class": DateTimeField,
            "widget": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
            ),
        }
    }
    fields = ["user", "agency", "responsibility", "function", "started_at", "ended_at"]
    can_delete = False  # a worker leaves by getting an end date, so the history stays

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type("TeamFormSet", (NotOneself, formset), {"administrator": request.user})


class NotOneself(BaseInlineFormSet[Any, Any, Any]):
    """An administrator manages case teams but never puts themselves on one (separation of duties)."""

    administrator: Any = None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            user = form.cleaned_data.get("user") if form.has_changed() else None
            if user is not None and self.administrator is not None and user.pk == self.administrator.pk:
                form.add_error(
                    "user", gettext("You cannot put yourself on a case team: ask another administrator.")
                )


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
