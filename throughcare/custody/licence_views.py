"""The licence page of a case: conditions (recommended, ordered, not ordered), compliance and breaches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.accounts.models import User
from throughcare.cases.models import Case
from throughcare.custody import conditions, notification_requirements
from throughcare.custody.forms import (
    BreachDecisionForm,
    ChangeNotifiedForm,
    ComplianceForm,
    NotifiedForm,
    NotOrderedForm,
    OrderForm,
    RecommendForm,
    TravelForm,
)
from throughcare.custody.models import (
    CaseCondition,
    ComplianceEvent,
    ConditionTemplate,
    NotificationDue,
    NotificationRequirement,
)
from throughcare.custody.views import _legal_case
from throughcare.lib.errors import ActionRefused
from throughcare.lib.forms import query_text, submit
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import record_case_read, standing_on_case


@require_GET
def licence(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id, write=False)
    return _page(request, case)


def _page(request: AuthedRequest, case: Case, *, status: int = 200, **bound: Any) -> HttpResponse:
    """The licence page; `bound` holds a refused form (by its key, e.g. "compliance" or "order-12"), shown
    again with what was typed and the errors next to its fields."""
    refused_recommendation = bound.get("recommend")
    chosen = (
        refused_recommendation.template
        if refused_recommendation is not None
        else ConditionTemplate.objects.filter(
            code=query_text(request, "template", max_length=60), is_current=True
        ).first()
    )
    deciders = _deciders(case)
    found = list(
        CaseCondition.objects.filter(case=case).select_related(
            "template", "recommended_by", "recommending_agency"
        )
    )
    for c in found:
        c.order_form = bound.get(f"order-{c.pk}") or OrderForm(prefix=f"order-{c.pk}")
        c.not_ordered_form = bound.get(f"not-ordered-{c.pk}") or NotOrderedForm(prefix=f"not-ordered-{c.pk}")
    events = list(
        ComplianceEvent.objects.filter(case=case).select_related(
            "condition__template", "decision__decided_by"
        )
    )
    for e in events:
        e.decision_form = bound.get(f"breach-{e.pk}") or BreachDecisionForm(
            prefix=f"breach-{e.pk}", deciders=deciders
        )
    dues = list(NotificationDue.objects.filter(requirement__case=case).select_related("recorded_by"))
    for due in dues:
        due.notified_form = bound.get(f"notified-{due.pk}") or NotifiedForm(prefix=f"notified-{due.pk}")
    standing = standing_on_case(request.user, case)
    context: dict[str, Any] = {
        "case": case,
        "standing": standing,
        "section": "custody",
        "heading": gettext("Licence conditions and compliance"),
        "can_write": standing.can_write,
        "conditions": found,
        "templates": ConditionTemplate.objects.filter(is_current=True),
        "chosen": chosen,
        "recommend_form": bound.get("recommend") or (RecommendForm(template=chosen) if chosen else None),
        "events": events,
        "compliance_form": bound.get("compliance") or ComplianceForm(),
        "requirement": NotificationRequirement.objects.filter(case=case).first(),
        "dues": dues,
        "change_form": bound.get("change") or ChangeNotifiedForm(),
        "travel_form": bound.get("travel") or TravelForm(),
        "refused": next(iter(bound.values()), None),
        "today": timezone.localdate(),
    }
    record_case_read(
        request.user,
        case,
        "custody.casecondition",
        [c.pk for c in found],
        channel="licence conditions and compliance",
    )
    return render(request, "custody/licence.html", context, status=status)


def _deciders(case: Case) -> list[User]:
    """Who may be named as deciding a breach: the case team and the managers of its agencies."""
    agencies = case.team.active().values("agency")
    return list(
        User.objects.filter(
            Q(case_places__case=case, case_places__ended_at__isnull=True)
            | Q(memberships__agency__in=agencies, memberships__role="manager", memberships__is_active=True)
        )
        .distinct()
        .order_by("last_name")
    )


def _done(
    request: AuthedRequest, case: Case, key: str, form: forms.Form, action: Callable[[], object], success: str
) -> HttpResponse:
    """Run the verb for a valid form; a refusal is shown next to its field, with the page as it was."""
    return submit(
        request,
        form,
        lambda data: action(),
        done=success,
        then=reverse("custody:licence", args=[case.pk]),
        again=lambda: _page(request, case, status=400, **{key: form}),
    )


@require_POST
def recommend(request: AuthedRequest, case_id: int, template_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    template = get_object_or_404(ConditionTemplate, pk=template_id, is_current=True)
    form = RecommendForm(request.POST, template=template)
    return _done(
        request,
        case,
        "recommend",
        form,
        lambda: conditions.recommend(case, template, dict(form.cleaned_data), by=request.user),
        f"Condition {template.code} recommended.",
    )


def _condition(case: Case, condition_id: int) -> CaseCondition:
    return get_object_or_404(CaseCondition, pk=condition_id, case=case)


@require_POST
def order(request: AuthedRequest, case_id: int, condition_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    condition = _condition(case, condition_id)
    form = OrderForm(request.POST, prefix=f"order-{condition.pk}")
    return _done(
        request,
        case,
        f"order-{condition.pk}",
        form,
        lambda: conditions.order(
            condition,
            by=request.user,
            authority=form.cleaned_data["authority"],
            ordered_on=form.cleaned_data["ordered_on"],
        ),
        "Condition recorded as ordered.",
    )


@require_POST
def not_ordered(request: AuthedRequest, case_id: int, condition_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    condition = _condition(case, condition_id)
    form = NotOrderedForm(request.POST, prefix=f"not-ordered-{condition.pk}")
    return _done(
        request,
        case,
        f"not-ordered-{condition.pk}",
        form,
        lambda: conditions.not_ordered(condition, by=request.user, reason=form.cleaned_data["reason"]),
        "Recorded as not ordered, with the reason.",
    )


@require_POST
def compliance(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    form = ComplianceForm(request.POST)
    return _done(
        request,
        case,
        "compliance",
        form,
        lambda: conditions.record_compliance(
            case,
            conditions.EventInput(
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
            ),
            by=request.user,
        ),
        "Compliance event recorded.",
    )


@require_POST
def decide_breach(request: AuthedRequest, case_id: int, event_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    breach = get_object_or_404(ComplianceEvent, pk=event_id, case=case)
    form = BreachDecisionForm(request.POST, prefix=f"breach-{breach.pk}", deciders=_deciders(case))
    return _done(
        request,
        case,
        f"breach-{breach.pk}",
        form,
        lambda: conditions.decide_breach(
            breach,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            rationale=form.cleaned_data["rationale"],
            decided_by=form.cleaned_data["decided_by"],
        ),
        "Breach decision recorded.",
    )


@require_POST
def notified(request: AuthedRequest, case_id: int, due_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    due = get_object_or_404(NotificationDue, pk=due_id, requirement__case=case)
    form = NotifiedForm(request.POST, prefix=f"notified-{due.pk}")
    return _done(
        request,
        case,
        f"notified-{due.pk}",
        form,
        lambda: notification_requirements.record_notification(
            due, by=request.user, notified_on=form.cleaned_data["notified_on"]
        ),
        "Notification recorded.",
    )


@require_POST
def travel(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    requirement = get_object_or_404(NotificationRequirement, case=case)
    form = TravelForm(request.POST)

    def act() -> None:
        due = notification_requirements.plan_travel(
            requirement,
            by=request.user,
            departs_on=form.cleaned_data["departs_on"],
            returns_on=form.cleaned_data["returns_on"],
            destination=form.cleaned_data["destination"],
        )
        if due is None:
            raise ActionRefused(
                gettext("Travel this short does not need notice under the rules; nothing was recorded."),
                field="returns_on",
            )

    return _done(request, case, "travel", form, act, "Travel recorded: it must be notified before departure.")


@require_POST
def change_notified(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    requirement = get_object_or_404(NotificationRequirement, case=case)
    form = ChangeNotifiedForm(request.POST)
    return _done(
        request,
        case,
        "change",
        form,
        lambda: notification_requirements.record_change(
            requirement,
            by=request.user,
            notified_on=form.cleaned_data["notified_on"],
            details=form.cleaned_data["details"],
        ),
        "Change notification recorded.",
    )
