"""What partner systems need first, beyond the case and its timeline: the sentence and who is responsible,
licence conditions, incoming information (how a police system pushes a foreign report), reviews due,
risk-relevant requests, referrals as their provider sees them, and the published outcome statistics.
Each opens the case through the gate naming its category, reads through the models' gated querysets, and
logs what it showed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Status

from throughcare.accounts.models import User
from throughcare.api import idempotency, paging
from throughcare.api.auth import require_write_scope
from throughcare.api.cases import CHANNEL, caller, open_case
from throughcare.api.problems import Problem
from throughcare.api.schemas import (
    ConditionOut,
    InformationIn,
    InformationOut,
    PageFilters,
    ReferralList,
    ReleaseOut,
    RequestOut,
    ReviewDueList,
    ReviewFilters,
    SentenceOut,
)
from throughcare.audit.log import record_consultation
from throughcare.cases.models import Case, DataCategory
from throughcare.conferences.models import RiskRequest
from throughcare.custody.models import CaseCondition, Offence, Sentence
from throughcare.outcomes.models import Release
from throughcare.outcomes.reading import as_read
from throughcare.rehab.access import provider_referrals, provider_standings, with_details
from throughcare.risk import information
from throughcare.risk.models import ReviewDue
from throughcare.sharing.access import record_case_read, standing_on_case

router = Router(tags=["records"])


@router.get("/cases/{case_id}/sentence", response=SentenceOut, summary="The sentence and who is responsible")
def sentence(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """Legal data: the sentence's dates, the offences, and who is responsible now and why."""
    case = open_case(request, case_id, category=DataCategory.LEGAL)
    standing = standing_on_case(caller(request), case)
    found = Sentence.objects.on_case_as(case, standing).select_related("profile").first()
    if found is None:
        raise Problem(404, gettext("No sentence is recorded on this case"))
    offences = list(Offence.objects.on_case_as(case, standing))
    record_case_read(caller(request), case, "custody.sentence", [found.pk], channel=CHANNEL)
    return {
        "sentence_type": found.sentence_type,
        "sentence_start": found.sentence_start,
        "sentence_end": found.sentence_end,
        "earliest_release": found.earliest_release,
        "parole_eligibility": found.parole_eligibility,
        "conditional_release": found.conditional_release,
        "release_date": found.release_date,
        "licence_end": found.licence_end,
        "recalled_on": found.recalled_on,
        "is_terrorism": found.is_terrorism,
        "jurisdiction": found.profile.name,
        "responsibility": found.responsibility,
        "responsibility_label": found.get_responsibility_display(),
        "responsibility_reason": str(found.responsibility_reason),
        "handover_starts_on": found.handover_starts_on,
        "offences": [o.description for o in offences],
    }


@router.get(
    "/cases/{case_id}/licence-conditions", response=list[ConditionOut], summary="Licence conditions of a case"
)
def licence_conditions(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Recommended, ordered and ended conditions, in their wording."""
    case = open_case(request, case_id, category=DataCategory.LEGAL)
    standing = standing_on_case(caller(request), case)
    rows = list(CaseCondition.objects.on_case_as(case, standing).select_related("template"))
    record_case_read(caller(request), case, "custody.casecondition", [c.pk for c in rows], channel=CHANNEL)
    return [
        {
            "id": c.pk,
            "code": c.template.code,
            "wording": c.wording,
            "category": c.template.category,
            "status": c.status,
            "ordered_on": c.ordered_on,
            "active_from": c.active_from,
            "active_until": c.active_until,
            "fd_measure": c.template.fd_measure,
        }
        for c in rows
    ]


@router.post(
    "/cases/{case_id}/information", response={201: InformationOut}, summary="Push incoming information"
)
def push_information(
    request: HttpRequest, response: HttpResponse, case_id: int, sent: InformationIn
) -> Status[dict[str, Any]]:
    """How a police system passes on a report (a foreign service's, say): the source's reliability (A–F)
    and the information's credibility (1–6), in its data category. It goes to the case lead, who must
    acknowledge it before the jurisdiction's deadline; escalated otherwise. Send an `Idempotency-Key`."""
    require_write_scope(request)
    case = open_case(request, case_id)
    user = caller(request)

    def run() -> tuple[dict[str, Any], str]:
        info = information.record_information(
            case,
            by=user,
            source=sent.source,
            received_on=sent.received_on,
            reliability=sent.reliability,
            credibility=sent.credibility,
            category=sent.category,
            summary=sent.summary,
        )
        body = {
            "id": info.pk,
            "acknowledge_by": info.acknowledge_by.isoformat(),
            "routed_to": str(info.routed_to),
        }
        return body, reverse("risk:information", args=[case.pk])

    return idempotency.create(request, response, run)


@router.get("/me/reviews-due", response=ReviewDueList, summary="Reviews due on your cases")
def reviews_due(request: HttpRequest, filters: Query[ReviewFilters]) -> dict[str, Any]:
    """Risk assessment and plan reviews not yet done, soonest first, on the cases whose risk data you hold
    (`scope=mine`: your caseload)."""
    user = caller(request)
    cases = Case.objects.on_caseload_of(user) if filters.scope == "mine" else Case.objects.visible_to(user)
    rows = ReviewDue.objects.visible_to(user).filter(done_at__isnull=True, case__in=cases.values("pk"))
    if filters.due_before:
        rows = rows.filter(due_on__lte=filters.due_before)
    page, next_cursor = paging.by_pk(rows.select_related("case"), filters.cursor, filters.limit)
    _log(user, "risk.reviewdue", [(r.case_id, r.pk) for r in page], "reviews due")
    items = [
        {
            "id": r.pk,
            "case_id": r.case_id,
            "case_reference": r.case.reference,
            "kind": r.kind,
            "due_on": r.due_on,
            "reason": r.reason,
            "overdue": r.due_on < timezone.localdate(),
        }
        for r in page
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/cases/{case_id}/requests", response=list[RequestOut], summary="Risk-relevant requests")
def requests(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Travel, residence, contact … requests, pending or decided, with conditions."""
    case = open_case(request, case_id, category=DataCategory.RISK)
    standing = standing_on_case(caller(request), case)
    rows = list(RiskRequest.objects.on_case_as(case, standing).order_by("-requested_at", "-pk"))
    record_case_read(caller(request), case, "conferences.riskrequest", [r.pk for r in rows], channel=CHANNEL)
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "details": r.details,
            "starts_on": r.starts_on,
            "ends_on": r.ends_on,
            "requested_at": r.requested_at,
            "outcome": r.outcome,
            "conditions": r.conditions,
            "decided_at": r.decided_at,
        }
        for r in rows
    ]


@router.get("/me/referrals", response=ReferralList, summary="Referrals to your programmes (providers)")
def referrals(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    """What a provider sees: the referrals to programmes its agencies run, while consent to it is in force
    — the summary the referrer chose, never the case. Newest first, a page at a time."""
    user = caller(request)
    page, next_cursor = paging.newest_first(
        with_details(provider_referrals(user)).exclude(submitted_at=None),
        "submitted_at",
        filters.cursor,
        filters.limit,
    )
    seen = provider_standings(user, page)
    _log(user, "rehab.referral", [(r.case_id, r.pk) for r, _ in seen], "provider of the programme")
    items = [
        {
            "id": r.pk,
            "programme": r.programme.name,
            "status": r.status,
            "submitted_at": r.submitted_at,
            "referring_agency": r.referring_agency.label,
            "reason": r.reason,
            "summary": [{"heading": heading, "text": text} for heading, text in r.summary],
        }
        for r, _ in seen
    ]
    return {"items": items, "next_cursor": next_cursor}


def _log(user: User, object_type: str, rows: list[tuple[int, int]], justification: str) -> None:
    shown: dict[int, list[int]] = {}
    for case_id, pk in rows:
        shown.setdefault(case_id, []).append(pk)
    if shown:
        record_consultation(
            by=user,
            agency=user.primary_agency(),
            object_type=object_type,
            shown=shown,
            justification=justification,
            channel=CHANNEL,
        )


public = Router(tags=["statistics"], auth=None)


@public.get("/statistics", response=list[ReleaseOut], summary="Published outcome statistics (public)")
def statistics(request: HttpRequest) -> list[dict[str, Any]]:
    """Every published release, the latest version first, with its figures as published (small counts
    suppressed). No token needed: these are public."""
    releases = Release.objects.public().order_by("slug", "-version")
    return [
        {
            "slug": r.slug,
            "version": r.version,
            "title": r.title,
            "summary": r.summary,
            "published_at": r.published_at,
            "page": reverse("outcomes:public_release", args=[r.slug]),
            "content": as_read(r.content),
        }
        for r in releases
    ]
