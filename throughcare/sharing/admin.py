"""Administrators change the sharing rules (configuration), never agreements or consents (case data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.sharing.models import SharingRule


@admin.register(SharingRule)
class SharingRuleAdmin(admin.ModelAdmin[SharingRule]):
    list_display = ["agency_kind", "category", "mode"]
    list_editable = ["mode"]
    list_filter = ["agency_kind", "category", "mode"]
    ordering = ["agency_kind", "category"]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        """Each row's mode is named for its row (a screen reader hears which rule it changes)."""
        base = super().get_changelist_form(request, **kwargs)

        class RowForm(base):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                rule = self.instance
                self.fields["mode"].widget.attrs["aria-label"] = (
                    f"Mode for {rule.get_agency_kind_display()}, {rule.get_category_display()}"
                )

        return RowForm

    def save_model(self, request: HttpRequest, obj: SharingRule, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                Operation.ALTERATION,
                obj,
                by=request.user,  # type: ignore[arg-type]
                justification="sharing rule changed by an administrator",
                details={"agency_kind": obj.agency_kind, "category": obj.category, "mode": obj.mode},
            )

    def has_delete_permission(self, request: HttpRequest, obj: SharingRule | None = None) -> bool:
        return False  # set the mode to "never" instead, so the change is recorded
