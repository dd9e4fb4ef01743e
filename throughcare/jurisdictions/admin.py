from __future__ import annotations

from django.contrib import admin

from throughcare.jurisdictions.models import JurisdictionProfile


@admin.register(JurisdictionProfile)
class JurisdictionProfileAdmin(admin.ModelAdmin[JurisdictionProfile]):
    """The rules of a jurisdiction, as data: handover offsets, release conference, licence hard stop and the
    public holidays that working days leave out (a country whose holidays are not known is refused)."""

    list_display = ["name", "code", "is_default", "licence_ready_working_days", "holiday_country"]
