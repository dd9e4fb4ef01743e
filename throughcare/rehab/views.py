"""Rehabilitation pages. Cases are fetched through the gate; referrals through its referral form, so a
provider sees a referral's curated summary and its delivery, never the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.audit.log import record_consultation
from throughcare.cases.models import Case, DataCategory
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.errors import ActionRefused
from throughcare.lib.forms import query_text, submit, written
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate, read_page_in_two
from throughcare.rehab import closure, referrals, support
from throughcare.rehab.access import (
    ReferralStanding,
    get_referral_for_user,
    provider_referrals,
    provider_standings,
    with_details,
)
from throughcare.rehab.forms import (
    ActionPlanForm,
    AppointmentForm,
    CriteriaReviewForm,
    DependantForm,
    EndOfServiceForm,
    MoveForm,
    NeedForm,
    NeedStateForm,
    NoteForm,
    ProposeClosingForm,
    ReferralForm,
    SessionForm,
    SupportNeedForm,
)
from throughcare.rehab.models import (
    Closure,
    FollowUp,
    Pathway,
    PathwayNeed,
    Programme,
    Referral,
    Setting,
    Status,
    pathways_held,
)
from throughcare.sharing.access import Standing, get_case_for_user, standing_on_case


def _log(
    request: AuthedRequest, case: Case, standing: Standing, kind: str, ids: list[int], channel: str
) -> None:
    record_consultation(
        by=request.user,
        agency=standing.agency,
        object_type=kind,
        shown={case.pk: ids},
        justification=standing.justification,
        channel=channel,
    )


# Catalogue -----------------------------------------------------------------------------------------


@require_GET
def catalogue(request: AuthedRequest) -> HttpResponse:
    """The programmes and services, searchable and filterable. Not case data: everyone signed in sees it."""
    taken = Count("referrals", filter=Q(referrals__status=Status.ON_PROGRAMME))
    found = Programme.objects.filter(is_active=True).select_related("provider").annotate(taken=taken)
    get = request.GET
    if q := query_text(request, "q"):
        found = found.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(provider__name__icontains=q)
        )
    if get.get("setting") in Setting.values:
        found = found.filter(setting__in=[get["setting"], Setting.BOTH])
    if get.get("audience") in Programme.Audience.values:
        found = found.filter(audience=get["audience"])
    if get.get("gender_responsive"):
        found = found.filter(
            Q(women_only_delivery=True)
            | Q(trauma_informed=True)
            | Q(eligible_gender=Programme.Eligible.WOMEN)
        )
    if get.get("provider") == "government":
        found = found.filter(provider__is_government=True)
    elif get.get("provider") == "ngo":
        found = found.filter(provider__is_government=False)
    if language := query_text(request, "language", max_length=60):
        found = found.filter(languages__icontains=language)
    context = {
        "programmes": found,
        "settings": Setting.choices,
        "audiences": Programme.Audience.choices,
        "filters": get,
    }
    return render(request, "rehab/catalogue.html", context)


# The case's rehabilitation ---------------------------------------------------------------------------


def _case(request: AuthedRequest, case_id: int) -> tuple[Case, Standing]:
    case = get_case_for_user(request.user, case_id, category=DataCategory.INTERVENTIONS)
    return case, standing_on_case(request.user, case)


@require_GET
def overview(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _overview_page(request, case_id)


def _overview_page(
    request: AuthedRequest, case_id: int, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The rehabilitation section with its forms; a refused one shown bound, open, its errors by the field."""
    case, standing = _case(request, case_id)
    refused = refused or {}
    held = standing.categories
    listed = list(case.referrals.select_related("programme__provider"))
    held_pathways = pathways_held(held)
    needs = list(case.pathway_needs.filter(pathway__in=held_pathways).select_related("owner_agency"))
    for need in needs:
        need.state_form = refused.get(f"need-{need.pk}") or NeedStateForm(
            auto_id=f"need-{need.pk}-%s", initial={"state": need.state, "version": need.version}
        )
        need.state_form.fields["state"].label = format_html(
            gettext("Status of {need}"), need=written(need.need)
        )
    family = DataCategory.FAMILY in held
    pathway_choices = [(v, label) for v, label in Pathway.choices if v in held_pathways]
    context = {
        "case": case,
        "standing": standing,
        "section": "rehabilitation",
        "heading": gettext("Rehabilitation"),
        "referrals": listed,
        "pathways": [
            (value, label, [n for n in needs if n.pathway == value]) for value, label in Pathway.choices
        ],
        "need_form": refused.get("need") or NeedForm(pathways=pathway_choices, auto_id="need-%s"),
        "family": family,
        "support_needs": list(case.support_needs.all()) if family else [],
        "support_form": refused.get("support") or SupportNeedForm(auto_id="support-%s"),
        "dependants": list(case.dependants.select_related("person")) if family else [],
        "dependant_form": refused.get("dependant")
        or DependantForm(given_name=case.person.given_name, auto_id="dependant-%s"),
        "appointments": list(case.appointments.filter(starts_at__gte=timezone.now())[:10]),
        "appointment_form": refused.get("appointment") or AppointmentForm(auto_id="appointment-%s"),
        "refused": next(iter(refused.values()), None),
        "progress": closure.progress(case),
    }
    _log(request, case, standing, "rehab.referral", [r.pk for r in listed], "rehabilitation")
    return render(request, "rehab/overview.html", context, status=status)


def _on_overview(
    request: AuthedRequest,
    case: Case,
    key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str,
) -> HttpResponse:
    """A verb of the rehabilitation section. The write rule is the action's (a health need needs health
    information, a family member family information); showing the section again needs interventions."""
    return submit(
        request,
        form,
        action,
        done=done,
        then=reverse("rehab:overview", args=[case.pk]) + f"#{anchor}",
        again=lambda: _overview_page(request, case.pk, {key: form}, status=400),
    )


def _writable(request: AuthedRequest, case_id: int) -> Case:
    return get_case_for_user(request.user, case_id, category=None)


@require_POST
def add_need(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _writable(request, case_id)
    form = NeedForm(request.POST, pathways=list(Pathway.choices), auto_id="need-%s")
    return _on_overview(
        request,
        case,
        "need",
        form,
        lambda data: support.add_need(case, by=request.user, **data),
        "Resettlement need recorded.",
        "need",
    )


@require_POST
def update_need(request: AuthedRequest, case_id: int, need_id: int) -> HttpResponse:
    case = _writable(request, case_id)
    need = get_object_or_404(PathwayNeed, pk=need_id, case=case)
    form = NeedStateForm(request.POST, auto_id=f"need-{need.pk}-%s")
    return _on_overview(
        request,
        case,
        f"need-{need.pk}",
        form,
        lambda data: support.update_need(
            need, by=request.user, state=data["state"], expected_version=data["version"]
        ),
        "Resettlement need updated.",
        "need",
    )


@require_POST
def add_support_need(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _writable(request, case_id)
    form = SupportNeedForm(request.POST, auto_id="support-%s")
    return _on_overview(
        request,
        case,
        "support",
        form,
        lambda data: support.add_support_need(case, by=request.user, **data),
        "Need recorded.",
        "support",
    )


@require_POST
def add_dependant(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _writable(request, case_id)
    form = DependantForm(request.POST, given_name=case.person.given_name, auto_id="dependant-%s")
    return _on_overview(
        request,
        case,
        "dependant",
        form,
        lambda data: support.add_dependant(case, by=request.user, **data),
        "Family member recorded.",
        "dependant",
    )


@require_POST
def add_appointment(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _writable(request, case_id)
    form = AppointmentForm(request.POST, auto_id="appointment-%s")
    return _on_overview(
        request,
        case,
        "appointment",
        form,
        lambda data: support.add_appointment(case, by=request.user, **data),
        "Appointment added.",
        "appointment",
    )


# Referrals --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_referral(request: AuthedRequest, case_id: int) -> HttpResponse:
    case, standing = _case(request, case_id)
    today = timezone.localdate()
    programmes = [
        (p, referrals.eligibility_problem(p, case, today))
        for p in Programme.objects.filter(is_active=True).select_related("provider")
    ]
    shareable = [
        (s.code, gettext(s.heading)) for s in referrals.SECTIONS if s.category in standing.categories
    ]
    form = ReferralForm(request.POST or None, sections=shareable)
    if request.method == "POST":
        made: list[Referral] = []
        return submit(
            request,
            form,
            lambda data: made.append(
                referrals.make_referral(
                    case,
                    data["programme"],
                    by=request.user,
                    reason=data["reason"],
                    sections=data["sections"],
                    note_for_provider=data["note"],
                    consent_override_reason=data["consent_override_reason"],
                )
            ),
            done=gettext("Referral prepared. Check what the provider will see, then send it."),
            then=lambda: reverse("rehab:referral", args=[made[0].pk]),
            again=lambda: _new_referral_page(request, case, programmes, form, status=400),
        )
    return _new_referral_page(request, case, programmes, form)


def _new_referral_page(
    request: AuthedRequest, case: Case, programmes: list[Any], form: ReferralForm, status: int = 200
) -> HttpResponse:
    context = {"case": case, "programmes": programmes, "form": form}
    return render(request, "rehab/new_referral.html", context, status=status)


@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """Referrals to the programmes of the user's agencies."""
    # Sorted and counted without their details, which are joined for the page's rows only.
    rows = provider_referrals(request.user)
    page = paginate(rows, settings.CASELOAD_PAGE_SIZE, request.GET.get("page"))
    read_page_in_two(page, rows, with_details)
    seen = provider_standings(request.user, page.object_list)
    shown: dict[int, list[int]] = {}
    for referral, _ in seen:
        shown.setdefault(referral.case_id, []).append(referral.pk)
    if seen:
        record_consultation(
            by=request.user,
            agency=seen[0][1].agency,
            object_type="rehab.referral",
            shown=shown,
            justification="provider of the programme",
            channel="referrals received",
        )
    return render(request, "rehab/inbox.html", {"referrals": [r for r, _ in seen], "page": page})


@require_GET
def referral(request: AuthedRequest, referral_id: int) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    return _referral_page(request, found, standing)


def _referral_page(
    request: AuthedRequest,
    found: Referral,
    standing: ReferralStanding,
    refused: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    moves = referrals.PROVIDER_MOVES if standing.as_provider else referrals.TEAM_MOVES
    record_consultation(
        by=request.user,
        agency=standing.agency,
        object_type="rehab.referral",
        shown={found.case_id: [found.pk]},
        justification=standing.justification,
        channel="referral",
    )
    outcomes = list(found.outcomes.all())
    context = {
        "referral": found,
        "standing": standing,
        "moves": [
            (
                m,
                Status(m).label,
                m in referrals.NEEDS_REASON,
                refused.get(f"move-{m}") or MoveForm(auto_id=f"move-{m}-%s"),
            )
            for m in sorted(moves.get(found.status, set()))
        ]
        if standing.can_write
        else [],
        "events": found.events.select_related("by"),
        "outcomes": outcomes,
        "sessions": list(found.sessions.select_related("recorded_by")),
        "plan_form": refused.get("plan")
        or ActionPlanForm(auto_id="plan-%s", initial={"action_plan": found.action_plan}),
        "session_form": refused.get("session") or SessionForm(auto_id="session-%s"),
        "end_form": refused.get("end") or EndOfServiceForm(outcomes=outcomes, auto_id="end-%s"),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "rehab/referral.html", context, status=status)


def _on_referral(
    request: AuthedRequest,
    found: Referral,
    standing: ReferralStanding,
    key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    return submit(
        request,
        form,
        action,
        done=done,
        then=reverse("rehab:referral", args=[found.pk]),
        again=lambda: _referral_page(request, found, standing, {key: form}, status=400),
    )


@require_POST
def move_referral(request: AuthedRequest, referral_id: int, to: str) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    form = MoveForm(request.POST, auto_id=f"move-{to}-%s")
    return _on_referral(
        request,
        found,
        standing,
        f"move-{to}",
        form,
        lambda data: referrals.move(
            found, to, by=request.user, standing=standing, end_reason=data["end_reason"], note=data["note"]
        ),
        "Referral updated.",
    )


@require_POST
def write_action_plan(request: AuthedRequest, referral_id: int) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    form = ActionPlanForm(request.POST, auto_id="plan-%s")
    return _on_referral(
        request,
        found,
        standing,
        "plan",
        form,
        lambda data: referrals.set_action_plan(
            found,
            by=request.user,
            standing=standing,
            plan=data["action_plan"],
            outcomes=data["outcomes"].splitlines(),
        ),
        "Action plan saved.",
    )


@require_POST
def record_session(request: AuthedRequest, referral_id: int) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    form = SessionForm(request.POST, auto_id="session-%s")
    return _on_referral(
        request,
        found,
        standing,
        "session",
        form,
        lambda data: referrals.record_session(found, by=request.user, standing=standing, **data),
        "Session recorded.",
    )


@require_POST
def end_of_service(request: AuthedRequest, referral_id: int) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    form = EndOfServiceForm(request.POST, outcomes=list(found.outcomes.all()), auto_id="end-%s")
    return _on_referral(
        request,
        found,
        standing,
        "end",
        form,
        lambda data: referrals.end_of_service(
            found, by=request.user, standing=standing, report=data["report"], achievements=form.achievements()
        ),
        "End-of-service report saved; the referral is complete.",
    )


# Criteria, closure, follow-up ----------------------------------------------------------------------------


@require_GET
def criteria(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _criteria_page(request, case_id)


def _criteria_page(
    request: AuthedRequest, case_id: int, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """Criteria and closure. Every team member may sign off closing; the criteria's evidence is shown to
    those who hold progress information."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    refused = refused or {}
    proposal = closure.open_closure(case, standing)
    state = closure.progress(case)
    review_form = refused.get("review") or CriteriaReviewForm(criteria=[c for c, _ in state.criteria])
    follow_ups = list(FollowUp.objects.on_case_as(case, standing).select_related("owner"))
    for f in follow_ups:
        f.form = refused.get(f"follow-up-{f.pk}") or NoteForm(
            label=gettext("How the check-in went"), auto_id=f"follow-up-{f.pk}-%s"
        )
    context = {
        "case": case,
        "standing": standing,
        "progress": state,
        "criteria": [
            (c, r, review_form[f"state-{c.pk}"], review_form[f"evidence-{c.pk}"]) for c, r in state.criteria
        ],
        "review_form": review_form,
        "propose_form": refused.get("propose") or ProposeClosingForm(auto_id="propose-%s"),
        "cancel_form": refused.get("cancel") or NoteForm(label=gettext("Why"), auto_id="cancel-%s"),
        "refused": next(iter(refused.values()), None),
        "proposal": proposal,
        "sign_offs": list(proposal.sign_offs.select_related("user", "agency")) if proposal else [],
        "needed": closure.sign_offs_needed(case),
        "terrorism": closure.is_terrorism_case(case),
        "open_referrals": [
            r for r in Referral.objects.on_case_as(case, standing).select_related("programme") if r.is_open
        ],
        "closed": closure.last_closed(case, standing),
        "follow_ups": follow_ups,
        "sees_progress": standing.holds(DataCategory.INTERVENTIONS),
    }
    _log(
        request,
        case,
        standing,
        "rehab.criterionreview",
        [r.pk for _, r in state.criteria if r] if context["sees_progress"] else [],
        "criteria and closure",
    )
    return render(request, "rehab/criteria.html", context, status=status)


def _on_criteria(
    request: AuthedRequest,
    case: Case,
    key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    return submit(
        request,
        form,
        action,
        done=done,
        then=reverse("rehab:criteria", args=[case.pk]),
        again=lambda: _criteria_page(request, case.pk, {key: form}, status=400),
    )


@require_POST
def review_criteria(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    form = CriteriaReviewForm(request.POST, criteria=list(closure.criteria_for(case)))

    def review_all(data: dict[str, Any]) -> None:
        """All of the form's criterion reviews, or none of them."""
        reviewed = form.reviews()
        if not reviewed:
            raise ActionRefused(gettext("Say where at least one criterion stands"))
        with transaction.atomic():
            for criterion, state, evidence in reviewed:
                closure.review_criterion(case, criterion, by=request.user, state=state, evidence=evidence)

    return _on_criteria(request, case, "review", form, review_all, "Criteria reviewed and signed off by you.")


@require_POST
def propose_closing(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    form = ProposeClosingForm(request.POST, auto_id="propose-%s")
    return _on_criteria(
        request,
        case,
        "propose",
        form,
        lambda data: closure.propose(case, by=request.user, **data),
        "Closing proposed; the other agencies on the team are asked to sign off.",
    )


def _proposal(request: AuthedRequest, case_id: int, closure_id: int) -> tuple[Case, Closure]:
    case = get_case_for_user(request.user, case_id, category=None)
    return case, get_object_or_404(Closure, pk=closure_id, case=case)


@require_POST
def sign_off_closing(request: AuthedRequest, case_id: int, closure_id: int) -> HttpResponse:
    case, proposal = _proposal(request, case_id, closure_id)
    form = NoteForm(request.POST, auto_id="sign-off-%s")
    return _on_criteria(
        request,
        case,
        "sign-off",
        form,
        lambda data: closure.sign_off(proposal, by=request.user, note=data["note"]),
        "Signed off for your agency. The case can be closed once enough agencies have signed off.",
    )


@require_http_methods(["GET", "POST"])
def close_case(request: AuthedRequest, case_id: int, closure_id: int) -> HttpResponse:
    """Closing ends the case's active work: a confirmation page first, with the sign-offs it rests on."""
    case, proposal = _proposal(request, case_id, closure_id)
    agencies = [str(s.agency) for s in proposal.sign_offs.select_related("agency")]
    months = JurisdictionProfile.for_case(case).follow_up_months
    confirmation = Confirmation(
        title=gettext("Close the case?"),
        button=gettext("Close the case"),
        action=reverse("rehab:close_case", args=[case.pk, proposal.pk]),
        cancel=reverse("rehab:criteria", args=[case.pk]) + "#closure",
        caption=gettext("Case %(reference)s · %(reason)s")
        % {"reference": case.reference, "reason": proposal.get_reason_display()},
        consequences=[
            gettext("The case moves to Closed, on the sign-off of %(agencies)s.")
            % {"agencies": ", ".join(agencies)}
            if agencies
            else gettext("The case moves to Closed."),
            gettext("Follow-ups after exit are scheduled (months after closing: %(months)s), for the lead.")
            % {"months": months}
            if months
            else gettext("No follow-up after exit is scheduled."),
            gettext("The case leaves the open work of its team; its record and history stay as they are."),
        ],
        destructive=True,
    )
    form = forms.Form(posted(request))
    return confirmation.run(
        request,
        form,
        lambda data: closure.close(proposal, by=request.user),
        done=gettext("Case closed. Follow-ups after exit are scheduled."),
        then=reverse("rehab:criteria", args=[case.pk]),
    )


@require_POST
def cancel_closing(request: AuthedRequest, case_id: int, closure_id: int) -> HttpResponse:
    case, proposal = _proposal(request, case_id, closure_id)
    form = NoteForm(request.POST, label=gettext("Why"), auto_id="cancel-%s")
    return _on_criteria(
        request,
        case,
        "cancel",
        form,
        lambda data: closure.cancel(proposal, by=request.user, note=data["note"]),
        "Closing cancelled: the case stays open.",
    )


@require_POST
def record_follow_up(request: AuthedRequest, case_id: int, follow_up_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    follow_up = get_object_or_404(FollowUp.objects.on_case_as(case, standing), pk=follow_up_id)
    form = NoteForm(
        request.POST, label=gettext("How the check-in went"), auto_id=f"follow-up-{follow_up.pk}-%s"
    )
    return _on_criteria(
        request,
        case,
        f"follow-up-{follow_up.pk}",
        form,
        lambda data: closure.follow_up_done(follow_up, by=request.user, note=data["note"]),
        "Follow-up recorded.",
    )
