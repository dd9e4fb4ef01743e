"""Administrators keep the quorum rules per conference kind (data, not code)."""

from __future__ import annotations

from django.contrib import admin

from throughcare.conferences.models import QuorumRule


@admin.register(QuorumRule)
class QuorumRuleAdmin(admin.ModelAdmin[QuorumRule]):
    list_display = ["kind", "min_agencies", "required_kinds"]
