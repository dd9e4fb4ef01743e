"""Rehabilitation pages. Cases are fetched through the gate; referrals through its referral form, so a
provider sees a referral's curated summary and its delivery, never the case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import Agency
from throughcare.audit.log import record_consultation
from throughcare.cases.models import Case, DataCategory
from throughcare.lib.dates import parse_date
from throughcare.lib.errors import ActionRefused
from throughcare.lib.forms import attempt
from throughcare.lib.http import AuthedRequest, posted_id
from throughcare.rehab import closure, referrals, support
from throughcare.rehab.access import get_referral_for_user, provider_referrals_for
from throughcare.rehab.models import (
    Achievement,
    Closure,
    ClosureReason,
    CriterionReview,
    Dependant,
    EndReason,
    FollowUp,
    Pathway,
    PathwayNeed,
    Programme,
    Referral,
    Session,
    Setting,
    Status,
    SupportNeed,
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
    if q := get.get("q", "").strip():
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
    if language := get.get("language", "").strip():
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
    case, standing = _case(request, case_id)
    held = standing.categories
    listed = list(case.referrals.select_related("programme__provider"))
    held_pathways = pathways_held(held)
    needs = list(case.pathway_needs.filter(pathway__in=held_pathways).select_related("owner_agency"))
    family = DataCategory.FAMILY in held
    context = {
        "case": case,
        "standing": standing,
        "section": "rehabilitation",
        "heading": "Rehabilitation",
        "referrals": listed,
        "pathways": [
            (value, label, [n for n in needs if n.pathway == value]) for value, label in Pathway.choices
        ],
        "held_pathways": [(v, label) for v, label in Pathway.choices if v in held_pathways],
        "need_states": PathwayNeed.State.choices,
        "owner_kinds": PathwayNeed.Owner.choices,
        "agencies": Agency.objects.order_by("name"),
        "family": family,
        "support_needs": list(case.support_needs.all()) if family else [],
        "support_kinds": SupportNeed.Kind.choices,
        "dependants": list(case.dependants.select_related("person")) if family else [],
        "relations": Dependant.Relation.choices,
        "appointments": list(case.appointments.filter(starts_at__gte=timezone.now())[:10]),
        "progress": closure.progress(case),
    }
    _log(request, case, standing, "rehab.referral", [r.pk for r in listed], "rehabilitation")
    return render(request, "rehab/overview.html", context)


@require_POST
def record_form(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The overview's forms: a pathway need, its status, a gender-responsive need, a family member, an
    appointment. Each refused form says why; nothing half-written."""
    case = get_case_for_user(request.user, case_id, category=None)
    post, by = request.POST, request.user
    what = post.get("what", "")
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "need": (
            lambda: support.add_need(
                case,
                by=by,
                pathway=post.get("pathway", ""),
                need=post.get("need", ""),
                owner_kind=post.get("owner_kind", ""),
                owner_agency=_agency(post.get("owner_agency", "")),
            ),
            "Resettlement need recorded.",
        ),
        "need_state": (
            lambda: support.update_need(
                _need(case, request),
                by=by,
                state=post.get("state", ""),
                expected_version=_int(post.get("version", "")),
            ),
            "Resettlement need updated.",
        ),
        "support": (
            lambda: support.add_support_need(
                case,
                by=by,
                kind=post.get("kind", ""),
                detail=post.get("detail", ""),
                safety_plan=post.get("safety_plan", ""),
            ),
            "Need recorded.",
        ),
        "dependant": (
            lambda: support.add_dependant(
                case,
                by=by,
                given_name=post.get("given_name", ""),
                family_name=post.get("family_name", ""),
                date_of_birth=parse_date(post["date_of_birth"], "date of birth")
                if post.get("date_of_birth")
                else None,
                relation=post.get("relation", ""),
                lives_with=bool(post.get("lives_with")),
                care_arrangement=post.get("care_arrangement", ""),
            ),
            "Family member recorded.",
        ),
        "appointment": (
            lambda: support.add_appointment(
                case,
                by=by,
                starts_at=_datetime(post.get("starts_at", "")),
                with_whom=post.get("with_whom", ""),
                place=post.get("place", ""),
                purpose=post.get("purpose", ""),
            ),
            "Appointment added.",
        ),
    }
    if what not in actions:
        raise Http404("No such form")
    action, done = actions[what]
    attempt(request, action, done)
    return redirect(reverse("rehab:overview", args=[case.pk]) + f"#{what}")


def _agency(value: str) -> Agency | None:
    return Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None


def _need(case: Case, request: AuthedRequest) -> PathwayNeed:
    return get_object_or_404(PathwayNeed, pk=posted_id(request, "need_id"), case=case)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _datetime(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# Referrals --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_referral(request: AuthedRequest, case_id: int) -> HttpResponse:
    case, standing = _case(request, case_id)
    today = timezone.localdate()
    programmes = [
        (p, referrals.eligibility_problem(p, case, today))
        for p in Programme.objects.filter(is_active=True).select_related("provider")
    ]
    if request.method == "POST":
        programme = get_object_or_404(Programme, pk=posted_id(request, "programme"))
        made: list[Referral] = []
        if attempt(
            request,
            lambda: made.append(
                referrals.make_referral(
                    case,
                    programme,
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                    sections=request.POST.getlist("sections"),
                    note_for_provider=request.POST.get("note", ""),
                    consent_override_reason=request.POST.get("consent_override_reason", ""),
                )
            ),
            "Referral prepared. Check what the provider will see, then send it.",
        ):
            return redirect("rehab:referral", referral_id=made[0].pk)
    context = {
        "case": case,
        "programmes": programmes,
        "sections": [(s, s.category in standing.categories) for s in referrals.SECTIONS],
        "posted": request.POST,
        "chosen": request.POST.getlist("sections"),
    }
    return render(
        request, "rehab/new_referral.html", context, status=400 if request.method == "POST" else 200
    )


@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """Referrals to the programmes of the user's agencies."""
    seen = provider_referrals_for(request.user)
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
    return render(request, "rehab/inbox.html", {"referrals": [r for r, _ in seen]})


@require_http_methods(["GET", "POST"])
def referral(request: AuthedRequest, referral_id: int) -> HttpResponse:
    found, standing = get_referral_for_user(request.user, referral_id)
    if request.method == "POST":
        _referral_post(request, found, standing)
        return redirect("rehab:referral", referral_id=found.pk)
    moves = referrals.PROVIDER_MOVES if standing.as_provider else referrals.TEAM_MOVES
    record_consultation(
        by=request.user,
        agency=standing.agency,
        object_type="rehab.referral",
        shown={found.case_id: [found.pk]},
        justification=standing.justification,
        channel="referral",
    )
    context = {
        "referral": found,
        "standing": standing,
        "moves": [
            (m, Status(m).label, m in referrals.NEEDS_REASON) for m in sorted(moves.get(found.status, set()))
        ]
        if standing.can_write
        else [],
        "end_reasons": EndReason.choices,
        "events": found.events.select_related("by"),
        "outcomes": list(found.outcomes.all()),
        "sessions": list(found.sessions.select_related("recorded_by")),
        "attendance": Session.Attendance.choices,
        "achievements": Achievement.choices,
        "today": timezone.localdate(),
    }
    return render(request, "rehab/referral.html", context)


def _referral_post(request: AuthedRequest, found: Referral, standing: Any) -> None:
    post, by = request.POST, request.user
    what = post.get("what", "")
    if what == "move":
        attempt(
            request,
            lambda: referrals.move(
                found,
                post.get("to", ""),
                by=by,
                standing=standing,
                end_reason=post.get("end_reason", ""),
                note=post.get("note", ""),
            ),
            "Referral updated.",
        )
    elif what == "plan":
        attempt(
            request,
            lambda: referrals.set_action_plan(
                found,
                by=by,
                standing=standing,
                plan=post.get("action_plan", ""),
                outcomes=post.get("outcomes", "").splitlines(),
            ),
            "Action plan saved.",
        )
    elif what == "session":
        attempt(
            request,
            lambda: referrals.record_session(
                found,
                by=by,
                standing=standing,
                held_on=parse_date(post.get("held_on", ""), "session date"),
                attendance=post.get("attendance", ""),
                note=post.get("note", ""),
            ),
            "Session recorded.",
        )
    elif what == "end":
        achievements = {o.pk: post.get(f"achievement-{o.pk}", "") for o in found.outcomes.all()}
        attempt(
            request,
            lambda: referrals.end_of_service(
                found, by=by, standing=standing, report=post.get("report", ""), achievements=achievements
            ),
            "End-of-service report saved; the referral is complete.",
        )
    else:
        raise Http404("No such form")


# Criteria, closure, follow-up ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def criteria(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Criteria and closure. Every team member may sign off closing; the criteria's evidence is shown to
    those who hold progress information."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    if request.method == "POST":
        _criteria_post(request, case)
        return redirect("rehab:criteria", case_id=case.pk)
    proposal = closure.open_closure(case)
    state = closure.progress(case)
    context = {
        "case": case,
        "standing": standing,
        "progress": state,
        "states": CriterionReview.State.choices,
        "reasons": ClosureReason.choices,
        "proposal": proposal,
        "sign_offs": list(proposal.sign_offs.select_related("user", "agency")) if proposal else [],
        "needed": closure.sign_offs_needed(case),
        "terrorism": closure.is_terrorism_case(case),
        "open_referrals": [
            r for r in Referral.objects.on_case_as(case, standing).select_related("programme") if r.is_open
        ],
        "closed": case.closures.filter(closed_at__isnull=False).first(),
        "follow_ups": list(FollowUp.objects.on_case_as(case, standing).select_related("owner")),
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
    return render(request, "rehab/criteria.html", context)


def _criteria_post(request: AuthedRequest, case: Case) -> None:
    post, by = request.POST, request.user

    def proposal() -> Closure:
        return get_object_or_404(Closure, pk=posted_id(request, "closure"), case=case)

    def follow_up() -> FollowUp:
        return get_object_or_404(FollowUp, pk=posted_id(request, "follow_up"), case=case)

    note = post.get("note", "")
    forms: dict[str, tuple[Callable[[], Any], str]] = {
        "review": (lambda: _review_all(request, case), "Criteria reviewed and signed off by you."),
        "propose": (
            lambda: closure.propose(
                case,
                by=by,
                reason=post.get("reason", ""),
                note=note,
                override_reason=post.get("override_reason", ""),
            ),
            "Closing proposed; the other agencies on the team are asked to sign off.",
        ),
        "sign_off": (lambda: closure.sign_off(proposal(), by=by, note=note), "Signed off."),
        "close": (lambda: closure.close(proposal(), by=by), "Case closed. Follow-ups are scheduled."),
        "cancel": (lambda: closure.cancel(proposal(), by=by, note=note), "Closing cancelled."),
        "follow_up": (lambda: closure.follow_up_done(follow_up(), by=by, note=note), "Follow-up recorded."),
    }
    what = post.get("what", "")
    if what not in forms:
        raise Http404("No such form")
    attempt(request, *forms[what])


def _review_all(request: AuthedRequest, case: Case) -> None:
    """All of the form's criterion reviews, or none of them."""
    from django.db import transaction

    post = request.POST
    reviewed = [c for c in closure.criteria_for(case) if post.get(f"state-{c.pk}")]
    if not reviewed:
        raise ActionRefused("Say where at least one criterion stands")
    with transaction.atomic():
        for criterion in reviewed:
            closure.review_criterion(
                case,
                criterion,
                by=request.user,
                state=post.get(f"state-{criterion.pk}", ""),
                evidence=post.get(f"evidence-{criterion.pk}", ""),
            )


# The person's own plan ---------------------------------------------------------------------------
