"""The case team, managed in the app by its lead (or a manager of the lead's agency): add a worker for an
agency, change a role or function, end a place with a reason. Every change goes on the timeline and in the
audit log (`cases.actions.record_team_change`); a worker whose place ended keeps read-only access for the
residual period, as the gate says."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.cases import actions
from throughcare.cases.forms import AddPlaceForm, ChangePlaceForm, EndPlaceForm
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import Capability, get_case_for_user, has_capability, standing_on_case


@require_GET
def team(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    return _page(request, case)


@require_POST
def add_place(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    form = AddPlaceForm(request.POST)
    return submit(
        request,
        form,
        lambda data: actions.add_to_team(
            case,
            by=request.user,
            user=data["user"],
            agency=data["agency"],
            responsibility=data["responsibility"],
            function=data["function"],
        ),
        done=lambda data: gettext("%(person)s joined the case team.") % {"person": data["user"]},
        then=reverse("cases:team", args=[case.pk]),
        again=lambda: _page(request, case, add_form=form, status=400),
    )


@require_POST
def change_place(request: AuthedRequest, case_id: int, place_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    place = get_object_or_404(CaseTeamMember, pk=place_id, case=case)
    form = ChangePlaceForm(request.POST, prefix=f"change-{place.pk}")
    return submit(
        request,
        form,
        lambda data: actions.change_place(
            place,
            by=request.user,
            responsibility=data["responsibility"],
            function=data["function"],
            expected=data["state"],
        ),
        done=gettext("%(person)s's place on the team is changed.") % {"person": place.user},
        then=reverse("cases:team", args=[case.pk]),
        again=lambda: _page(request, case, change_forms={place.pk: form}, status=400),
    )


@require_POST
def end_place(request: AuthedRequest, case_id: int, place_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    place = get_object_or_404(CaseTeamMember, pk=place_id, case=case)
    form = EndPlaceForm(request.POST, prefix=f"end-{place.pk}")
    return submit(
        request,
        form,
        lambda data: actions.end_place(place, by=request.user, reason=data["reason"], expected=data["state"]),
        done=gettext("%(person)s's place on the team has ended.") % {"person": place.user},
        then=reverse("cases:team", args=[case.pk]),
        again=lambda: _page(request, case, end_forms={place.pk: form}, status=400),
    )


def _page(
    request: AuthedRequest,
    case: Case,
    *,
    add_form: AddPlaceForm | None = None,
    change_forms: dict[int, ChangePlaceForm] | None = None,
    end_forms: dict[int, EndPlaceForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    standing = standing_on_case(request.user, case)
    places = list(
        case.team.select_related("user", "agency").order_by("ended_at", "responsibility", "started_at")
    )
    change_forms, end_forms = change_forms or {}, end_forms or {}
    rows = [
        {
            "place": place,
            "change": change_forms.get(place.pk)
            or ChangePlaceForm(
                prefix=f"change-{place.pk}",
                initial={
                    "responsibility": place.responsibility,
                    "function": place.function,
                    "state": actions.place_state(place),
                },
            ),
            "end": end_forms.get(place.pk)
            or EndPlaceForm(prefix=f"end-{place.pk}", initial={"state": actions.place_state(place)}),
            "open": place.pk in change_forms or place.pk in end_forms,
        }
        for place in places
    ]
    context = {
        "case": case,
        "standing": standing,
        "section": "overview",
        "heading": gettext("Case team"),
        "active": [r for r, place in zip(rows, places, strict=True) if place.ended_at is None],
        "ended": [r for r, place in zip(rows, places, strict=True) if place.ended_at is not None],
        "add_form": add_form or AddPlaceForm(),
        "may_manage": has_capability(request.user, Capability.MANAGE_TEAM, case),
        "errors": [f for f in [add_form, *change_forms.values(), *end_forms.values()] if f is not None],
    }
    return render(request, "cases/team.html", context, status=status)
