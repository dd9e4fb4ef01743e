"""A case's outcomes: what happened after release, recorded and corrected by the team."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.cases.models import Case, DataCategory
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.outcomes import actions
from throughcare.outcomes.forms import CorrectionForm, OutcomeForm
from throughcare.outcomes.models import OutcomeEvent
from throughcare.sharing.access import get_case_for_user, record_case_read, standing_on_case


def _case(request: AuthedRequest, case_id: int) -> Case:
    return get_case_for_user(request.user, case_id, category=DataCategory.LEGAL)


@require_GET
def outcomes(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _page(request, _case(request, case_id))


def _page(
    request: AuthedRequest, case: Case, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    refused = refused or {}
    standing = standing_on_case(request.user, case)
    events = list(OutcomeEvent.objects.on_case_as(case, standing).select_related("recorded_by", "corrects"))
    current = [e for e in events if not any(o.corrects_id == e.pk for o in events)]
    for event in current:
        event.form = refused.get(f"correct-{event.pk}") or CorrectionForm(
            auto_id=f"correct-{event.pk}-%s", initial=_initial(event)
        )
    record_case_read(request.user, case, "outcomes.outcomeevent", [e.pk for e in events], channel="outcomes")
    context = {
        "case": case,
        "standing": standing,
        "section": "outcomes",
        "heading": gettext("Outcomes"),
        "current": current,
        "history": [e for e in events if e not in current],
        "released": actions.first_release(case),
        "form": refused.get("record") or OutcomeForm(auto_id="outcome-%s"),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "outcomes/case.html", context, status=status)


def _initial(event: OutcomeEvent) -> dict[str, object]:
    fields = [
        "kind",
        "occurred_on",
        "offence_kind",
        "proven_by",
        "proven_on",
        "censor_reason",
        "reliability",
        "source",
        "evidence",
        "version",
    ]
    return {name: getattr(event, name) for name in fields}


@require_POST
def record_outcome(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = OutcomeForm(request.POST, auto_id="outcome-%s")
    return submit(
        request,
        form,
        lambda data: actions.record_outcome(case, form.outcome(), by=request.user),
        done=gettext(
            "Outcome recorded. It counts in the statistics from now on, by the definitions that include it."
        ),
        then=reverse("outcomes:case", args=[case.pk]),
        again=lambda: _page(request, case, {"record": form}, status=400),
    )


@require_POST
def correct_outcome(request: AuthedRequest, case_id: int, outcome_id: int) -> HttpResponse:
    case = _case(request, case_id)
    event = get_object_or_404(
        OutcomeEvent.objects.on_case_as(case, standing_on_case(request.user, case)), pk=outcome_id
    )
    form = CorrectionForm(request.POST, auto_id=f"correct-{event.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.correct_outcome(
            event,
            form.outcome(),
            by=request.user,
            reason=data["correction_reason"],
            expected_version=data["version"],
        ),
        done=gettext(
            "Outcome corrected. The earlier version is kept below; the statistics read the new one."
        ),
        then=reverse("outcomes:case", args=[case.pk]) + f"#outcome-{event.pk}",
        again=lambda: _page(request, case, {f"correct-{event.pk}": form}, status=400),
    )
