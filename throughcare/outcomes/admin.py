"""Administrators enter the published studies that releases show beside their figures (data, not code)."""

from __future__ import annotations

from django.contrib import admin

from throughcare.outcomes.models import ReferenceStudy


@admin.register(ReferenceStudy)
class ReferenceStudyAdmin(admin.ModelAdmin[ReferenceStudy]):
    list_display = ["citation", "country", "events", "cohort", "definition"]
    search_fields = ["citation", "country", "definition"]
