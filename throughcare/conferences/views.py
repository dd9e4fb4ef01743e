from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from throughcare.accounts.models import User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import DataCategory, Phase
from throughcare.conferences import actions
from throughcare.conferences.forms import OverrideReleaseForm, ReleaseConferenceForm
from throughcare.lib.errors import ActionRefused
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import get_case_for_user


@require_http_methods(["GET", "POST"])
def record_release_conference(request: AuthedRequest, case_id: int) -> HttpResponse:
    # The record is risk data: nobody writes what they could not read.
    case = get_case_for_user(request.user, case_id, category=DataCategory.RISK, write=True)
    people = User.objects.filter(case_places__case=case, case_places__ended_at__isnull=True).distinct()
    form = ReleaseConferenceForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conference = actions.ReleaseConferenceInput(
            held_on=data["held_on"],
            chair=data["chair"],
            present=list(data["present"]),
            apologies=list(data["apologies"]),
            shared=data["shared"],
            decisions=[actions.DecisionInput(data["decision"], data["rationale"], data["chair"])],
            actions=[actions.ActionInput(data["action"], data["action_owner"], data["action_due"])]
            if data["action"]
            else [],
        )
        try:
            actions.record_release_conference(case, conference, by=request.user)
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, gettext("Release conference recorded, with its decision and actions."))
            return redirect(reverse("conferences:requests", args=[case.pk]) + "#release-conference")
    status = 400 if request.method == "POST" else 200
    return render(request, "conferences/release_form.html", {"case": case, "form": form}, status=status)


@require_POST
def release_without_conference(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    form = OverrideReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the reason for releasing without the release conference."))
        return redirect(reverse("conferences:requests", args=[case.pk]) + "#release-conference")
    try:
        case_actions.change_phase(
            case,
            by=request.user,
            to_phase=Phase.COMMUNITY,
            expected_version=case.version,
            override_reason=form.cleaned_data["override_reason"],
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, gettext("Released without the release conference. Your reason is recorded.")
        )
    return redirect(reverse("conferences:requests", args=[case.pk]) + "#release-conference")
