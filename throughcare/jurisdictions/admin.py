"""Administrators edit the rules of a jurisdiction (configuration, not case data); every change is audited
with the values before and after, in the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.admin import TranslationsAdmin, translation_value


@admin.register(JurisdictionProfile)
class JurisdictionProfileAdmin(TranslationsAdmin, admin.ModelAdmin[JurisdictionProfile]):
    """The rules of a jurisdiction, as data: handover offsets, release conference, licence hard stop and the
    public holidays that working days leave out (a country whose holidays are not known is refused)."""

    list_display = ["name", "code", "country", "language", "is_default", "holiday_country"]

    def save_model(self, request: HttpRequest, obj: JurisdictionProfile, form: Any, change: bool) -> None:
        stored = JurisdictionProfile.objects.filter(pk=obj.pk).first() if change else None
        before = {name: translation_value(stored, name) for name in form.changed_data} if stored else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                Operation.ALTERATION if change else Operation.COLLECTION,
                obj,
                by=request.user,  # type: ignore[arg-type]
                justification="jurisdiction profile changed by an administrator",
                details={
                    "profile": obj.code,
                    "changed": {
                        name: {"from": _plain(before.get(name)), "to": _plain(translation_value(obj, name))}
                        for name in form.changed_data
                    },
                },
            )

    def has_delete_permission(self, request: HttpRequest, obj: JurisdictionProfile | None = None) -> bool:
        return False  # cases and sentences keep their profile; change its values instead, recorded


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str | list) else str(value)
