from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from throughcare.lib.admin import SafeAutocompleteMixin, TranslationsAdmin
from throughcare.risk.models import Certification, Instrument


@admin.register(Instrument)
class InstrumentAdmin(TranslationsAdmin, admin.ModelAdmin[Instrument]):
    """An instrument comes whole, with its domains, items and scale, from `manage.py import_instrument`
    (format in docs/risk.md); here it is named and marked licensed, not built field by field."""

    list_display = ["name", "version", "code", "licensed", "imported_at"]
    readonly_fields = ["code", "version", "scale", "imported_by", "imported_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Certification)
class CertificationAdmin(SafeAutocompleteMixin, admin.ModelAdmin[Certification]):
    list_display = ["user", "instrument_code", "certified_on", "expires_on"]
    list_filter = ["instrument_code"]
    autocomplete_fields = ["user"]
