"""Risk assessment pages. Risk is a data category: only those who hold it see or write these pages."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.cases.models import Case, DataCategory
from throughcare.lib.dates import parse_date
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.http import AuthedRequest, posted_id
from throughcare.risk import actions, plan_form, plans, reviews, sections, trajectory
from throughcare.risk import information as information_actions
from throughcare.risk.models import (
    Assessment,
    HarmJudgement,
    HarmTarget,
    IncomingInformation,
    Instrument,
    Item,
    PlanVersion,
    ReviewDue,
    ReviewReason,
    Scenario,
    Setting,
    WarningSign,
)
from throughcare.sharing.access import get_case_for_user, record_case_read, standing_on_case


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
        "heading": "Risk",
        "judgement": sections.latest_judgement(case, standing),
        "trajectory": mark_safe(trajectory.svg(case, phases, judged)),  # noqa: S308 - built by us, escaped
        "dues": dues,
        "today": timezone.localdate(),
    }
    record_case_read(request.user, case, "risk.reviewdue", [d.pk for d in dues], channel="risk section")
    return render(request, "risk/section.html", context)


@require_GET
def assessments(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
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
        "targets": HarmTarget.choices,
        "settings": Setting.choices,
        "levels": Assessment.Priority.choices,
    }
    return render(request, "risk/assessments.html", context)


@require_POST
def start(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    instrument = get_object_or_404(Instrument, pk=posted_id(request, "instrument"))
    try:
        assessment = actions.start_assessment(case, instrument, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("risk:assessments", case_id=case.pk)
    return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)


@require_http_methods(["GET", "POST"])
def assessment(request: AuthedRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    current = get_object_or_404(Assessment.objects.select_related("instrument"), pk=assessment_id, case=case)
    if request.method == "POST":
        _save(request, current)
        return redirect("risk:assessment", case_id=case.pk, assessment_id=current.pk)
    ratings = {r.item_id: r for r in current.ratings.all()}
    domains = [
        (domain, [(item, ratings.get(item.pk)) for item in domain.items.all()])
        for domain in current.instrument.domains.prefetch_related("items")
    ]
    context = {
        "case": case,
        "assessment": current,
        "domains": domains,
        "counts": actions.rating_counts(current),
        "scale": current.instrument.scale_choices(),
        "priorities": Assessment.Priority.choices,
        "is_assessor": current.assessors.filter(pk=request.user.pk).exists(),
    }
    record_case_read(request.user, case, "risk.assessment", [current.pk], channel="risk assessment")
    return render(request, "risk/assessment.html", context)


def _save(request: AuthedRequest, current: Assessment) -> None:
    """Save the ratings given in the form; complete the assessment if the judgement was given."""
    try:
        with transaction.atomic():  # all the form's ratings, or none of them
            _rate_all(request, current)
            if request.POST.get("judgement") or request.POST.get("complete"):
                actions.complete(
                    current,
                    by=request.user,
                    judgement=request.POST.get("judgement", ""),
                    rationale=request.POST.get("rationale", ""),
                )
                messages.success(request, "Assessment completed with your judgement.")
            else:
                messages.success(request, "Ratings saved.")
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")


def _rate_all(request: AuthedRequest, current: Assessment) -> None:
    for item in Item.objects.filter(domain__instrument=current.instrument):
        value = request.POST.get(f"value-{item.code}", "")
        if value:
            actions.rate(
                current,
                item,
                by=request.user,
                value=value,
                evidence=request.POST.get(f"evidence-{item.code}", ""),
                source=request.POST.get(f"source-{item.code}", ""),
            )


@require_POST
def judge_harm(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    levels = {
        (t, s): request.POST.get(f"level-{t}-{s}", "") for t in HarmTarget.values for s in Setting.values
    }
    try:
        actions.judge_harm(
            case, by=request.user, levels=levels, explanation=request.POST.get("explanation", "")
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
    else:
        messages.success(request, "Risk of serious harm recorded.")
    return redirect("risk:assessments", case_id=case.pk)


@require_GET
def plan(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The current plan with its history; `?compare=A&with=B` shows two versions side by side."""
    case = _risk_case(request, case_id)
    versions = list(PlanVersion.objects.filter(case=case).select_related("created_by"))
    by_number = {v.number: v for v in versions}
    older = by_number.get(_int(request.GET.get("compare")))
    newer = by_number.get(_int(request.GET.get("with")))
    current = versions[0] if versions else None
    standing = standing_on_case(request.user, case)
    context = {
        "case": case,
        "versions": versions,
        "current": current,
        "strategies": plans.ordered_strategies(current) if current else [],
        "signs": list(current.warning_signs.prefetch_related("triggers", "observations")) if current else [],
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
        "review_reasons": _REQUESTABLE,
        "today": timezone.localdate(),
    }
    record_case_read(
        request.user, case, "risk.planversion", [v.pk for v in versions], channel="risk management plan"
    )
    return render(request, "risk/plan.html", context)


_REQUESTABLE = [
    (ReviewReason.CHANGE, "A change of circumstances"),
    (ReviewReason.NEW_INFORMATION, "New information"),
    (ReviewReason.CONFERENCE, "A conference decision"),
]


@require_http_methods(["GET", "POST"])
def plan_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Review the plan: a new version, starting from the current one, with its reason and judgement."""
    case = _risk_case(request, case_id)
    current = PlanVersion.objects.filter(case=case).first()
    form = plan_form.from_version(current)
    if request.method == "POST":
        form = plan_form.from_post(request.POST)
        try:
            version = plans.save_version(
                case,
                plan_form.content(form, case),
                by=request.user,
                reason=form.reason,
                reason_note=form.reason_note,
                based_on=form.based_on,
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
            form.based_on = current.number if current else 0
        except ActionRefused as refusal:
            messages.error(request, refusal.message + " Nothing was saved.")
        else:
            messages.success(request, f"Version {version.number} of the plan saved.")
            url = reverse("risk:plan", args=[case.pk])
            if version.number > 1:
                url += f"?compare={version.number - 1}&with={version.number}"
            return redirect(url)
    record_case_read(
        request.user, case, "risk.planversion", [current.pk] if current else [], channel="plan review form"
    )
    context = {
        "case": case,
        "current": current,
        "form": form,
        "owners": plan_form.owner_choices(case),
        "sections": plan_form.SECTIONS,
        "kinds": Scenario.Kind.choices,
        "reasons": [c for c in ReviewReason.choices if (c[0] == ReviewReason.FIRST) == (current is None)],
        "judgements": Assessment.Priority.choices,
        "due": ReviewDue.objects.filter(case=case, kind=ReviewDue.Kind.PLAN, done_at__isnull=True),
    }
    return render(request, "risk/plan_review.html", context)


@require_POST
def require_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Require a plan review now. The owner of intelligence can do so without saying why."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    intelligence = bool(request.POST.get("intelligence"))
    try:
        if intelligence:
            flag = case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first()
            if flag is None or not standing.sees_intelligence:
                raise Http404("No case found")
            note = f"Intelligence held; contact {flag.owner} before the review"
            reason: str = ReviewReason.NEW_INFORMATION
            cause: str = DataCategory.INTELLIGENCE
        else:
            if not standing.holds(DataCategory.RISK):
                raise Http404("No case found")
            note, reason = request.POST.get("note", ""), request.POST.get("reason", "")
            cause = DataCategory.RISK
        reviews.require_plan_review(case, by=request.user, reason=reason, note=note, cause=cause)
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
    else:
        messages.success(request, "Plan review required; the case lead has been told.")
    if intelligence:
        return redirect("cases:detail", case_id=case.pk)
    return redirect("risk:plan", case_id=case.pk)


@require_POST
def observe_sign(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _risk_case(request, case_id)
    sign = get_object_or_404(WarningSign, pk=posted_id(request, "sign"), version__case=case)
    try:
        plans.observe_sign(
            sign,
            by=request.user,
            observed_on=parse_date(
                request.POST.get("observed_on", ""), "date observed", field="observed_on", past=True
            ),
            note=request.POST.get("note", ""),
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
    else:
        messages.success(request, "Warning sign recorded; the owners of its contingency actions are alerted.")
    return redirect(reverse("risk:plan", args=[case.pk]) + "#warning-signs")


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@require_http_methods(["GET", "POST"])
def information(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Incoming information on the case. Summaries are shown only in categories the viewer holds."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    if request.method == "POST":
        return redirect(_information_post(request, case) or reverse("risk:information", args=[case.pk]))
    items = list(IncomingInformation.objects.filter(case=case).select_related("recorded_by", "routed_to"))
    record_case_read(
        request.user,
        case,
        "risk.incominginformation",
        [i.pk for i in items if i.category in standing.categories],
        channel="incoming information",
    )
    context = {
        "case": case,
        "items": items,
        "allowed": standing.categories,
        "can_write": standing.can_write,
        "reliability": IncomingInformation.Reliability.choices,
        "credibility": IncomingInformation.Credibility.choices,
        "categories": [c for c in DataCategory.choices if c[0] in standing.categories],
        "decisions": IncomingInformation.Decision.choices,
        "now": timezone.now(),
    }
    return render(request, "risk/information.html", context)


def _information_post(request: AuthedRequest, case: Case) -> str | None:
    """Record or acknowledge; returns where to go next when it is not back to the list."""
    post = request.POST
    try:
        if post.get("acknowledge"):
            info = get_object_or_404(IncomingInformation, pk=posted_id(request, "acknowledge"), case=case)
            information_actions.acknowledge(
                info, by=request.user, decision=post.get("decision", ""), note=post.get("note", "")
            )
            if info.decision != IncomingInformation.Decision.PLAN_REVIEW:
                messages.success(request, "Information acknowledged.")
                return None
            messages.success(request, "Information acknowledged. A plan review is now due: start it below.")
            return reverse("risk:plan", args=[case.pk]) + "#reviews"
        received = parse_date(post.get("received_on", ""), "date received", field="received_on", past=True)
        information_actions.record_information(
            case,
            by=request.user,
            source=post.get("source", ""),
            received_on=received,
            reliability=post.get("reliability", ""),
            credibility=post.get("credibility", ""),
            category=post.get("category", ""),
            summary=post.get("summary", ""),
        )
        messages.success(request, "Information recorded and routed to the case lead.")
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
    return None
