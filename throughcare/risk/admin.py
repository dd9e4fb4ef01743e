from __future__ import annotations

from django.contrib import admin

from throughcare.risk.models import Certification, Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["name", "version", "code", "licensed", "imported_at"]
    readonly_fields = ["code", "version", "scale", "imported_by", "imported_at"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin[Certification]):
    list_display = ["user", "instrument_code", "certified_on", "expires_on"]
    list_filter = ["instrument_code"]
    autocomplete_fields = ["user"]
