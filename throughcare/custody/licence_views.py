"""The licence page of a case: conditions (recommended, ordered, not ordered), compliance and breaches."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from throughcare.accounts.models import User
from throughcare.cases.models import Case
from throughcare.custody import conditions, notification_requirements
from throughcare.custody.models import (
    BreachDecision,
    CaseCondition,
    ComplianceEvent,
    ConditionTemplate,
    NotificationDue,
    NotificationRequirement,
)
from throughcare.custody.views import _legal_case
from throughcare.lib.errors import ActionRefused
from throughcare.lib.http import AuthedRequest, posted_id
from throughcare.sharing.access import record_case_read, standing_on_case


@require_GET
def licence(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id, write=False)
    chosen = ConditionTemplate.objects.filter(code=request.GET.get("template", ""), is_current=True).first()
    context: dict[str, Any] = {
        "case": case,
        "conditions": list(
            CaseCondition.objects.filter(case=case).select_related(
                "template", "recommended_by", "recommending_agency"
            )
        ),
        "templates": ConditionTemplate.objects.filter(is_current=True),
        "chosen": chosen,
        "chosen_inputs": [(name, chosen.input_labels.get(name, name)) for name in chosen.inputs()]
        if chosen
        else [],
        "events": list(
            ComplianceEvent.objects.filter(case=case).select_related(
                "condition__template", "decision__decided_by"
            )
        ),
        "deciders": _deciders(case),
        "kinds": ComplianceEvent.Kind.choices,
        "outcomes": BreachDecision.Outcome.choices,
        "requirement": NotificationRequirement.objects.filter(case=case).first(),
        "dues": list(NotificationDue.objects.filter(requirement__case=case).select_related("recorded_by")),
        "today": timezone.localdate(),
    }
    standing = standing_on_case(request.user, case)
    context |= {"can_write": standing.can_write, "standing": standing, "section": "custody"}
    context["heading"] = "Licence conditions and compliance"
    record_case_read(
        request.user,
        case,
        "custody.casecondition",
        [c.pk for c in context["conditions"]],
        channel="licence conditions and compliance",
    )
    return render(request, "custody/licence.html", context)


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


def _done(request: AuthedRequest, case: Case, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return redirect("custody:licence", case_id=case.pk)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@require_POST
def recommend(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    template = get_object_or_404(ConditionTemplate, pk=posted_id(request, "template"), is_current=True)
    values = {name: request.POST.get(name, "") for name in template.inputs()}
    return _done(
        request,
        case,
        lambda: conditions.recommend(case, template, values, by=request.user),
        f"Condition {template.code} recommended.",
    )


def _condition(case: Case, condition_id: int) -> CaseCondition:
    return get_object_or_404(CaseCondition, pk=condition_id, case=case)


@require_POST
def order(request: AuthedRequest, case_id: int, condition_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    condition = _condition(case, condition_id)
    ordered_on = _date(request.POST.get("ordered_on", ""))

    def act() -> None:
        if ordered_on is None:
            raise ActionRefused("Enter the date the condition was ordered as a real date")
        conditions.order(
            condition, by=request.user, authority=request.POST.get("authority", ""), ordered_on=ordered_on
        )

    return _done(request, case, act, "Condition recorded as ordered.")


@require_POST
def not_ordered(request: AuthedRequest, case_id: int, condition_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    condition = _condition(case, condition_id)
    return _done(
        request,
        case,
        lambda: conditions.not_ordered(condition, by=request.user, reason=request.POST.get("reason", "")),
        "Recorded as not ordered, with the reason.",
    )


@require_POST
def compliance(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    occurred_on = _date(request.POST.get("occurred_on", ""))
    kind = request.POST.get("kind", "")

    def act() -> None:
        if kind not in ComplianceEvent.Kind.values:
            raise ActionRefused("Choose what happened")
        if occurred_on is None:
            raise ActionRefused("Enter the date as a real date")
        conditions.record_compliance(
            case,
            conditions.EventInput(kind=kind, occurred_on=occurred_on, note=request.POST.get("note", "")),
            by=request.user,
        )

    return _done(request, case, act, "Recorded.")


@require_POST
def decide_breach(request: AuthedRequest, case_id: int, event_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    breach = get_object_or_404(ComplianceEvent, pk=event_id, case=case)
    decider_id = request.POST.get("decided_by", "")
    decider = User.objects.filter(pk=int(decider_id)).first() if decider_id.isdigit() else None
    if decider is not None and decider not in _deciders(case):
        decider = None
    return _done(
        request,
        case,
        lambda: conditions.decide_breach(
            breach,
            by=request.user,
            outcome=request.POST.get("outcome", ""),
            rationale=request.POST.get("rationale", ""),
            decided_by=decider,
        ),
        "Breach decision recorded.",
    )


@require_POST
def notified(request: AuthedRequest, case_id: int, due_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    due = get_object_or_404(NotificationDue, pk=due_id, requirement__case=case)
    day = _date(request.POST.get("notified_on", ""))

    def act() -> None:
        if day is None:
            raise ActionRefused("Enter the date of the notification as a real date")
        notification_requirements.record_notification(due, by=request.user, notified_on=day)

    return _done(request, case, act, "Notification recorded.")


@require_POST
def travel(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    requirement = get_object_or_404(NotificationRequirement, case=case)
    departs, returns = _date(request.POST.get("departs_on", "")), _date(request.POST.get("returns_on", ""))

    def act() -> None:
        if departs is None or returns is None:
            raise ActionRefused("Enter the departure and return as real dates")
        due = notification_requirements.plan_travel(
            requirement,
            by=request.user,
            departs_on=departs,
            returns_on=returns,
            destination=request.POST.get("destination", ""),
        )
        if due is None:
            raise ActionRefused(
                "Travel this short does not need notice under the rules; nothing was recorded."
            )

    return _done(request, case, act, "Travel recorded: it must be notified before departure.")


@require_POST
def change_notified(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    requirement = get_object_or_404(NotificationRequirement, case=case)
    day = _date(request.POST.get("notified_on", ""))

    def act() -> None:
        if day is None:
            raise ActionRefused("Enter the date of the notification as a real date")
        notification_requirements.record_change(
            requirement, by=request.user, notified_on=day, details=request.POST.get("details", "")
        )

    return _done(request, case, act, "Change notification recorded.")
