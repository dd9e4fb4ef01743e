"""Administrators keep the catalogue of programmes and the criteria sets (data, not code)."""

from __future__ import annotations

from django.contrib import admin

from throughcare.lib.admin import BoundedInline, TranslationsAdmin
from throughcare.rehab.models import CriteriaSet, Criterion, Programme


@admin.register(Programme)
class ProgrammeAdmin(TranslationsAdmin, admin.ModelAdmin[Programme]):
    list_display = [
        "name",
        "provider",
        "setting",
        "audience",
        "eligible_gender",
        "requires_consent",
        "is_active",
    ]
    list_filter = [
        "setting",
        "audience",
        "eligible_gender",
        "women_only_delivery",
        "trauma_informed",
        "is_active",
    ]
    search_fields = ["name", "description", "provider__name"]


class CriterionInline(BoundedInline, admin.TabularInline[Criterion, CriteriaSet]):
    model = Criterion
    extra = 1
    exclude = ["translations"]  # a criterion's wording in other languages: its JSON, or the shipped set's


@admin.register(CriteriaSet)
class CriteriaSetAdmin(TranslationsAdmin, admin.ModelAdmin[CriteriaSet]):
    list_display = ["name", "code", "is_default"]
    inlines = [CriterionInline]
