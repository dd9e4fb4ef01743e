"""The administration site: only for staff who have given their second factor in this session, and
with every model's choices of rows refusing values that are no id (lib.admin.SafeChoices)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from throughcare.lib.admin import with_safe_choices
from throughcare.workspace.signin import owes_code


class AdminSite(admin.AdminSite):
    site_header = "Throughcare administration"
    site_title = "Throughcare administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not owes_code(request)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, with_safe_choices(admin_class or admin.ModelAdmin), **options)
