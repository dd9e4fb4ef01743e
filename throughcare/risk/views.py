"""Risk assessment pages. Risk is a data category: only those who hold it see or write these pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.cases.models import Case, DataCategory
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.wording import worded
from throughcare.risk import actions, plan_form, plans, reviews, sections, trajectory
from throughcare.risk import information as information_actions
from throughcare.risk.forms import (
    AcknowledgeForm,
    HarmForm,
    InformationForm,
    ObservationForm,
    RatingsForm,
    RequireReviewForm,
    StartForm,
)
from throughcare.risk.models import (
    Assessment,
    HarmJudgement,
    IncomingInformation,
    Instrument,
    Item,
    PlanVersion,
    ReviewDue,
    ReviewReason,
    WarningSign,
)
from throughcare.sharing.access import get_case_for_user, record_case_read, standing_on_case, team_lead


def _risk_case(request: AuthedRequest, case_id: int) -> Case:
    return get_case_for_user(request.user, case_id, category=DataCategory.RISK)


@require_GET
def section(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Risk: the trajectory of people's judgements against the phases, the latest judgement, what is due,
    and the way to the plan, the assessments and incoming information."""
    case = _risk_case(request, case_id)
    standing = standing_on_case(request.user, case)
    judged = trajectory.points(case)
    phases = list(case.phase_changes.all())
    dues = list(ReviewDue.objects.on_case_as(case, standing).filter(done_at__isnull=True).order_by("due_on"))
    context = {
        "case": case,
        "standing": standing,
        "section": "risk",
        "heading": gettext("Risk"),
        "judgement": sections.latest_judgement(case, standing),
        "trajectory": mark_safe(trajectory.svg(case, phases, judged)),  # noqa: S308 - built by us, escaped
        "dues": dues,
        "today": timezone.localdate(),
    }
    record_case_read(request.user, case, "risk.reviewdue", [d.pk for d in dues], channel="risk section")
    return render(request, "risk/section.html", context)


@require_GET
def assessments(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _assessments_page(request, _risk_case(request, case_id))


def _assessments_page(
    request: AuthedRequest,
    case: Case,
    *,
    start_form: StartForm | None = None,
    harm_form: HarmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    listed = list(
        Assessment.objects.filter(case=case)
        .select_related("instrument", "started_by")
        .prefetch_related("assessors")
    )
    instruments = [
        (i, not i.licensed or actions.certified(request.user, i)) for i in Instrument.objects.all()
    ]
    standing = standing_on_case(request.user, case)
    record_case_read(
        request.user, case, "risk.assessment", [a.pk for a in listed], channel="risk assessments"
    )
    context = {
        "case": case,
        "assessments": listed,
        "instruments": instruments,
        "can_write": standing.can_write,
        "harm": HarmJudgement.objects.filter(case=case)
        .prefetch_related("levels")
        .select_related("judged_by")
        .first(),
        "start_form": start_form or StartForm(),
        "harm_form": harm_form or HarmForm(auto_id="harm-%s"),
        "refused": start_form or harm_form,
    }
    return render(request, "risk/assessments.html", context, status=status)


@require_POST
def start(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    form = StartForm(request.POST)
    made: list[Assessment] = []
    return submit(
        request,
        form,
        lambda data: made.append(actions.start_assessment(case, data["instrument"], by=request.user)),
        done=gettext("Assessment started: rate each item with its evidence."),
        then=lambda: reverse("risk:assessment", args=[case.pk, made[0].pk]),
        again=lambda: _assessments_page(request, case, start_form=form, status=400),
    )


@require_http_methods(["GET", "POST"])
def assessment(request: AuthedRequest, case_id: int, assessment_id: int) -> HttpResponse:
    """The assessment: the assessor rates items (saved together, or none of them) and completes it with
    their own judgement."""
    case = _risk_case(request, case_id)
    current = get_object_or_404(Assessment.objects.select_related("instrument"), pk=assessment_id, case=case)
    items = list(Item.objects.filter(domain__instrument=current.instrument).select_related("domain"))
    scale = current.instrument.scale_choices()
    ratings = {r.item_id: r for r in current.ratings.all()}
    initial: dict[str, str] = {}
    for item in items:
        if rating := ratings.get(item.pk):
            initial |= {
                f"value-{item.code}": rating.value,
                f"evidence-{item.code}": rating.evidence,
                f"source-{item.code}": rating.source,
            }
    form = RatingsForm(request.POST or None, items=items, scale=scale, initial=initial)
    if request.method == "POST":

        def save(data: dict[str, Any]) -> None:
            with transaction.atomic():  # all the form's ratings, or none of them
                for item, value, evidence, source in form.ratings():
                    actions.rate(
                        current, item, by=request.user, value=value, evidence=evidence, source=source
                    )
                if form.completing():
                    actions.complete(
                        current, by=request.user, judgement=data["judgement"], rationale=data["rationale"]
                    )

        return submit(
            request,
            form,
            save,
            done=lambda data: (
                gettext("Assessment completed with your judgement.")
                if form.completing()
                else gettext("Ratings saved.")
            ),
            then=reverse("risk:assessment", args=[case.pk, current.pk]),
            again=lambda: _assessment_page(request, case, current, form, status=400),
        )
    return _assessment_page(request, case, current, form)


def _assessment_page(
    request: AuthedRequest, case: Case, current: Assessment, form: RatingsForm, status: int = 200
) -> HttpResponse:
    domains: dict[
        Any, list[Any]
    ] = {}  # the items the form was built on, by domain, in the instrument's order
    for item in sorted(form.items, key=lambda i: (i.domain.order, i.domain.pk, i.order)):
        domains.setdefault(item.domain, []).append(
            (item, form[f"value-{item.code}"], form[f"evidence-{item.code}"], form[f"source-{item.code}"])
        )
    context = {
        "case": case,
        "assessment": current,
        "domains": list(domains.items()),
        "form": form,
        "counts": actions.rating_counts(current),
        "is_assessor": current.assessors.filter(pk=request.user.pk).exists(),
    }
    record_case_read(request.user, case, "risk.assessment", [current.pk], channel="risk assessment")
    return render(request, "risk/assessment.html", context, status=status)


@require_POST
def judge_harm(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    form = HarmForm(request.POST, auto_id="harm-%s")
    return submit(
        request,
        form,
        lambda data: actions.judge_harm(
            case, by=request.user, levels=form.levels(), explanation=data["explanation"]
        ),
        done=gettext("Risk of serious harm recorded."),
        then=reverse("risk:assessments", args=[case.pk]) + "#harm",
        again=lambda: _assessments_page(request, case, harm_form=form, status=400),
    )


@require_GET
def plan(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The current plan with its history; `?compare=A&with=B` shows two versions side by side."""
    return _plan_page(request, _risk_case(request, case_id))


def _plan_page(
    request: AuthedRequest, case: Case, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    refused = refused or {}
    versions = list(PlanVersion.objects.filter(case=case).select_related("created_by"))
    by_number = {v.number: v for v in versions}
    older = by_number.get(_int(request.GET.get("compare")))
    newer = by_number.get(_int(request.GET.get("with")))
    current = versions[0] if versions else None
    standing = standing_on_case(request.user, case)
    signs = list(current.warning_signs.prefetch_related("triggers", "observations")) if current else []
    for sign in signs:
        sign.form = refused.get(f"sign-{sign.pk}") or ObservationForm(auto_id=f"sign-{sign.pk}-%s")
    context = {
        "case": case,
        "versions": versions,
        "current": current,
        "strategies": plans.ordered_strategies(current) if current else [],
        "signs": signs,
        "older": older,
        "newer": newer,
        "differences": plans.compare(older, newer) if older and newer else [],
        "formulation_diff": plans.text_diff(older.formulation, newer.formulation) if older and newer else [],
        "reviews_due": ReviewDue.objects.filter(case=case, done_at__isnull=True).select_related(
            "requested_by"
        ),
        "reviews_done": ReviewDue.objects.filter(case=case, done_at__isnull=False)
        .select_related("done_by_version")
        .order_by("-done_at")[:10],
        "can_write": standing.can_write,
        "refused": next(iter(refused.values()), None),
        "today": timezone.localdate(),
    }
    record_case_read(
        request.user, case, "risk.planversion", [v.pk for v in versions], channel="risk management plan"
    )
    return render(request, "risk/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
def plan_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Review the plan: a new version, starting from the current one, with its reason and judgement."""
    case = _risk_case(request, case_id)
    current = PlanVersion.objects.filter(case=case).first()
    if request.method == "GET":
        return _plan_review_page(request, case, current, plan_form.review_form(case, current))
    review = plan_form.review_form(case, current, request.POST)
    if review.is_valid():
        data = review.plan.cleaned_data
        try:
            version = plans.save_version(
                case,
                review.content(case),
                by=request.user,
                reason=data["reason"],
                reason_note=data["reason_note"],
                based_on=data["based_on"],
            )
        except EditConflict as conflict:
            # Shown again as sent, now based on the version saved meanwhile: saving again is a decision
            # taken knowingly.
            posted = request.POST.copy()
            posted["based_on"] = str(current.number if current else 0)
            review = plan_form.review_form(case, current, posted)
            review.is_valid()
            review.plan.add_error(None, conflict.message)
        except ActionRefused as refusal:
            field = refusal.field if refusal.field in review.plan.fields else None
            review.plan.add_error(field, refusal.message)
        else:
            messages.success(
                request, gettext("Version %(number)s of the plan saved.") % {"number": version.number}
            )
            url = reverse("risk:plan", args=[case.pk])
            if version.number > 1:
                url += f"?compare={version.number - 1}&with={version.number}"
            return redirect(url)
    return _plan_review_page(request, case, current, review, status=400)


def _plan_review_page(
    request: AuthedRequest,
    case: Case,
    current: PlanVersion | None,
    review: plan_form.PlanReview,
    status: int = 200,
) -> HttpResponse:
    record_case_read(
        request.user, case, "risk.planversion", [current.pk] if current else [], channel="plan review form"
    )
    context = {
        "case": case,
        "current": current,
        "review": review,
        "problems": review.problems(),
        "due": ReviewDue.objects.filter(case=case, kind=ReviewDue.Kind.PLAN, done_at__isnull=True),
    }
    return render(request, "risk/plan_review.html", context, status=status)


@require_http_methods(["GET", "POST"])
def require_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Require a plan review now, after a confirmation page that says who is told what. The owner of
    intelligence can do so without saying why (from the flag on the case overview: `?intelligence=1`);
    anyone else who holds risk says what happened."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    intelligence = request.GET.get("intelligence") == "1"
    lead = team_lead(case)
    told = (
        gettext("The case lead (%(lead)s) is told to review the plan, due today.") % {"lead": lead}
        if lead
        else gettext("The case lead is told to review the plan, due today.")
    )
    if intelligence:
        flag = case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first()
        if flag is None or not standing.sees_intelligence:
            raise Http404("No case found")
        confirmation = Confirmation(
            title=gettext("Require a plan review without revealing the intelligence?"),
            button=gettext("Require the review"),
            action=reverse("risk:require_review", args=[case.pk]) + "?intelligence=1",
            cancel=reverse("cases:detail", args=[case.pk]),
            caption=gettext("Case %(reference)s") % {"reference": case.reference},
            consequences=[
                told,
                gettext("The review says only that there is new information — nothing of the intelligence."),
                gettext("The team is told to contact %(owner)s before the review.") % {"owner": flag.owner},
            ],
        )
        return confirmation.run(
            request,
            forms.Form(posted(request)),  # nothing to fill in
            lambda data: reviews.require_plan_review(
                case,
                by=request.user,
                reason=ReviewReason.NEW_INFORMATION,
                system_note=worded(
                    "Intelligence held; contact %(person)s before the review", person=str(flag.owner)
                ),
                cause=DataCategory.INTELLIGENCE,
            ),
            done=gettext("Plan review required; the case lead has been told."),
            then=reverse("cases:detail", args=[case.pk]),
        )
    if not standing.holds(DataCategory.RISK):
        raise Http404("No case found")
    confirmation = Confirmation(
        title=gettext("Require a plan review now?"),
        button=gettext("Require the review"),
        action=reverse("risk:require_review", args=[case.pk]),
        cancel=reverse("risk:plan", args=[case.pk]),
        caption=gettext("Case %(reference)s") % {"reference": case.reference},
        consequences=[told, gettext("What you write here is on the review due and the case timeline.")],
    )
    return confirmation.run(
        request,
        RequireReviewForm(posted(request), auto_id="require-%s"),
        lambda data: reviews.require_plan_review(
            case, by=request.user, reason=data["reason"], note=data["note"], cause=DataCategory.RISK
        ),
        done=gettext("Plan review required; the case lead has been told."),
        then=reverse("risk:plan", args=[case.pk]),
    )


@require_POST
def observe_sign(request: AuthedRequest, case_id: int, sign_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    sign = get_object_or_404(WarningSign, pk=sign_id, version__case=case)
    form = ObservationForm(request.POST, auto_id=f"sign-{sign.pk}-%s")
    return submit(
        request,
        form,
        lambda data: plans.observe_sign(sign, by=request.user, **data),
        done=gettext("Warning sign recorded; the owners of its contingency actions are alerted."),
        then=reverse("risk:plan", args=[case.pk]) + "#warning-signs",
        again=lambda: _plan_page(request, case, {f"sign-{sign.pk}": form}, status=400),
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 9 else 0


@require_GET
def information(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Incoming information on the case. Summaries are shown only in categories the viewer holds."""
    return _information_page(request, get_case_for_user(request.user, case_id, category=None))


def _information_page(
    request: AuthedRequest, case: Case, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    refused = refused or {}
    standing = standing_on_case(request.user, case)
    items = list(IncomingInformation.objects.filter(case=case).select_related("recorded_by", "routed_to"))
    for i in items:
        i.form = refused.get(f"acknowledge-{i.pk}") or AcknowledgeForm(auto_id=f"acknowledge-{i.pk}-%s")
    record_case_read(
        request.user,
        case,
        "risk.incominginformation",
        [i.pk for i in items if i.category in standing.categories],
        channel="incoming information",
    )
    categories = [c for c in DataCategory.choices if c[0] in standing.categories]
    context = {
        "case": case,
        "items": items,
        "allowed": standing.categories,
        "can_write": standing.can_write,
        "form": refused.get("record") or InformationForm(categories=categories, auto_id="information-%s"),
        "refused": next(iter(refused.values()), None),
        "now": timezone.now(),
    }
    return render(request, "risk/information.html", context, status=status)


@require_POST
def record_information(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    categories = [c for c in DataCategory.choices if c[0] in standing.categories]
    form = InformationForm(request.POST, categories=categories, auto_id="information-%s")
    return submit(
        request,
        form,
        lambda data: information_actions.record_information(case, by=request.user, **data),
        done=gettext("Information recorded and routed to the case lead."),
        then=reverse("risk:information", args=[case.pk]),
        again=lambda: _information_page(request, case, {"record": form}, status=400),
    )


@require_POST
def acknowledge_information(request: AuthedRequest, case_id: int, information_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    info = get_object_or_404(IncomingInformation, pk=information_id, case=case)
    form = AcknowledgeForm(request.POST, auto_id=f"acknowledge-{info.pk}-%s")
    return submit(
        request,
        form,
        lambda data: information_actions.acknowledge(info, by=request.user, **data),
        done=lambda data: (
            gettext("Information acknowledged. A plan review is now due: start it below.")
            if data["decision"] == IncomingInformation.Decision.PLAN_REVIEW
            else gettext("Information acknowledged.")
        ),
        then=lambda: (
            reverse("risk:plan", args=[case.pk]) + "#reviews"
            if form.cleaned_data["decision"] == IncomingInformation.Decision.PLAN_REVIEW
            else reverse("risk:information", args=[case.pk])
        ),
        again=lambda: _information_page(request, case, {f"acknowledge-{info.pk}": form}, status=400),
    )
