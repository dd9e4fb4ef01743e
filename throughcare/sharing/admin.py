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
