"""Generating a document is a disclosure: logged with its recipients, in the case's timeline and the
audit log, in one transaction with nothing else to undo."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.cases.standing import Standing
from throughcare.documents.kinds import Kind
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import worded


def generate(kind: Kind, case: Case, standing: Standing, *, by: User, data: dict[str, Any]) -> str:
    """The document's HTML, as this reader may see the record; the disclosure logged."""
    if not kind.shown_to(standing):
        raise ActionRefused(gettext("You do not hold what this document contains"))
    missing = kind.missing(case, standing)
    if missing:
        raise ActionRefused(missing)
    recipients = data["recipients"]
    now = timezone.now()
    context = kind.build(case, standing, data) | {
        "case": case,
        "kind": kind,
        "by": by,
        "agency": standing.agency,
        "recipients": recipients,
        "generated_at": now,
    }
    html = render_to_string(f"documents/{kind.key}.html", context)
    with transaction.atomic():
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded("%(document)s generated for %(recipients)s.", document=kind.title, recipients=recipients),
            by,
            standing.agency,
            category=DataCategory.LEGAL,
        )
        record(
            Operation.DISCLOSURE,
            case,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            recipients=[recipients],
            details={
                "document": kind.key,
                "format": data.get("output", "pdf"),
                "categories": sorted(kind.categories),
            },
        )
    return html
