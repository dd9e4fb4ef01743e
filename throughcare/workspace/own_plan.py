"""The person's own plan: a printable plan in plain language, drawn from rehabilitation (needs, referrals,
appointments), custody (the licence conditions ordered) and sharing (who may see what about them), with the
record of their response."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.models import Case, DataCategory
from throughcare.custody.models import CaseCondition, ConditionStatus
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.pdf import pdf_response
from throughcare.rehab import support
from throughcare.rehab.forms import OwnPlanResponseForm
from throughcare.rehab.models import PathwayNeed, Status, pathways_held
from throughcare.sharing.access import Standing, get_case_for_user, record_case_read, standing_on_case
from throughcare.sharing.views import sharing_rows


@require_GET
def own_plan(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.INTERVENTIONS)
    return _page(request, case, standing_on_case(request.user, case), OwnPlanResponseForm())


@require_POST
def record_response(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The person saw their plan: agreed, partly or not, in their own words."""
    case = get_case_for_user(request.user, case_id, category=DataCategory.INTERVENTIONS)
    form = OwnPlanResponseForm(request.POST)
    return submit(
        request,
        form,
        lambda data: support.record_own_plan(
            case,
            by=request.user,
            shown_on=data["shown_on"],
            response=data["response"],
            own_words=data["own_words"],
        ),
        done=gettext("Their response is recorded."),
        then=reverse("cases:own_plan", args=[case.pk]),
        again=lambda: _page(request, case, standing_on_case(request.user, case), form, status=400),
    )


def _page(
    request: AuthedRequest, case: Case, standing: Standing, form: OwnPlanResponseForm, status: int = 200
) -> HttpResponse:
    context = _plan(case, standing) | {"form": form}
    record_case_read(
        request.user,
        case,
        "rehab.ownplanrecord",
        [r.pk for r in context["records"]],
        channel="the person's own plan",
    )
    return render(request, "rehab/own_plan.html", context, status=status)


@require_GET
def own_plan_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The person's plan as a PDF to give them: a disclosure to the person."""
    case = get_case_for_user(request.user, case_id, category=DataCategory.INTERVENTIONS)
    standing = standing_on_case(request.user, case)
    context = _plan(case, standing)
    recipient = f"{case.person.full_name} (their own plan)"
    with transaction.atomic():
        record(
            Operation.DISCLOSURE,
            case,
            by=request.user,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            recipients=[recipient],
            details={"document": "own plan"},
        )
    return pdf_response(
        request,
        title=gettext("Your plan – %(name)s") % {"name": case.person.given_name},
        body="rehab/own_plan.html#body",
        context=context,
        recipients=recipient,
        filename=f"{case.reference}-plan.pdf",
    )


def _plan(case: Case, standing: Standing) -> dict[str, Any]:
    held = standing.categories
    records = list(case.own_plan_records.select_related("recorded_by"))
    context: dict[str, Any] = {
        "case": case,
        "needs": list(
            case.pathway_needs.filter(pathway__in=pathways_held(held))
            .exclude(state=PathwayNeed.State.NOT_NEEDED)
            .select_related("owner_agency")
        ),
        "referrals": list(
            case.referrals.exclude(status=Status.WITHDRAWN).select_related("programme__provider")
        ),
        "appointments": list(case.appointments.filter(starts_at__gte=timezone.now())[:10]),
        "conditions": list(
            CaseCondition.objects.on_case_as(case, standing)
            .filter(status=ConditionStatus.ORDERED)
            .select_related("template")
        ),
        "shared": sharing_rows(case),
        "records": records,
        "standing": standing,
    }
    return context
