"""Pages of need-to-know sharing: what is shared and with whom, consent, restrictions, break-glass,
who accessed a case, and the person's own view of what is shared about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.accounts.models import Membership, Role, User
from throughcare.audit.log import record_consultation
from throughcare.audit.models import AuditEvent, EventAbout, about_case
from throughcare.cases.models import Case, CaseTeamMember, DataCategory
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.errors import ActionRefused
from throughcare.lib.forms import run_action, submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate
from throughcare.lib.routers import replica_reads
from throughcare.lib.wording import lowered
from throughcare.sharing import actions
from throughcare.sharing.access import (
    Capability,
    get_case_for_user,
    has_capability,
    notifications_for,
    standing_on_case,
    viewer_for,
)
from throughcare.sharing.forms import (
    AccessLogFilterForm,
    AgreementForm,
    BreakGlassForm,
    ConsentForm,
    FlagForm,
    RestrictionForm,
    ReviewForm,
    RevokeForm,
    WithdrawForm,
)
from throughcare.sharing.models import BreakGlass, Consent, Restriction, SharingAgreement, SharingRule

# The case team's view of sharing -------------------------------------------------------------------


def _team_case(request: AuthedRequest, case_id: int) -> Case:
    """A case whose sharing the user may look at: they are (or recently were) on its team, or manage it."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    if not standing.works_on_case:
        raise Http404("No case found")
    return case


@require_GET
def overview(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    context = _overview_context(request, case)
    _log_shown(request, case, "sharing.consent", [c.pk for c in context["consents"]], "sharing overview")
    return render(request, "sharing/overview.html", context)


def _log_shown(request: AuthedRequest, case: Case, object_type: str, ids: list[int], channel: str) -> None:
    standing = standing_on_case(request.user, case)
    record_consultation(
        by=request.user,
        agency=standing.agency,
        object_type=object_type,
        shown={case.pk: ids},
        justification=standing.justification,
        channel=channel,
    )


def _overview_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    now = timezone.now()
    agreements = list(
        case.agreements.select_related("recipient_agency", "recipient_user", "granted_by").prefetch_related(
            "categories"
        )
    )
    return {
        "case": case,
        "standing": standing_on_case(request.user, case),
        "section": "sharing",
        "heading": gettext("Sharing and access"),
        "in_force": [a for a in agreements if a.is_in_force(now)],
        "ended": [a for a in agreements if not a.is_in_force(now)],
        "consents": list(
            Consent.objects.filter(person=case.person)
            .select_related("recipient_agency", "recorded_by")
            .prefetch_related("categories")
        ),
        "restrictions": list(case.restrictions.filter(removed_at__isnull=True).select_related("user")),
        "flag": case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first(),
        "may_manage": actions.may_manage_sharing(request.user, case) is not None,
        "on_team": case.team.active().filter(user=request.user).exists(),
        "cleared": viewer_for(request.user).cleared,
        "is_lead": _is_lead(request.user, case),
    }


def _is_lead(user: User, case: Case) -> bool:
    return case.team.active().filter(user=user, responsibility=CaseTeamMember.Responsibility.LEAD).exists()


@require_http_methods(["GET", "POST"])
def new_agreement(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.window()
        share = actions.AgreementRequest(
            recipient_agency=data["recipient_agency"],
            recipient_user=data["recipient_user"],
            categories=data["categories"],
            purpose=data["purpose"],
            legal_basis=data["legal_basis"],
            valid_from=start,
            valid_until=end,
            override_reason=data["override_reason"],
        )
        if run_action(form, lambda: actions.grant_agreement(case, share, by=request.user)):
            messages.success(
                request,
                gettext("Shared with %(value)s.")
                % {"value": data["recipient_user"] or data["recipient_agency"]},
            )
            return redirect("sharing:overview", case_id=case.pk)
    return _form_page(
        request,
        "sharing/agreement_form.html",
        case,
        form,
        heading=gettext("Share with another agency"),
        button=gettext("Share"),
    )


def _form_page(request: AuthedRequest, template: str, case: Case, form: Any, **extra: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"case": case, "form": form, **extra}, status=status)


@require_POST
def revoke_agreement(request: AuthedRequest, case_id: int, agreement_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    agreement = get_object_or_404(SharingAgreement, pk=agreement_id, case=case)
    form = RevokeForm(request.POST)
    if form.is_valid() and run_action(
        form, lambda: actions.revoke_agreement(agreement, by=request.user, reason=form.cleaned_data["reason"])
    ):
        messages.success(request, gettext("The agreement has ended. Nothing more is shared under it."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("sharing:overview", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def new_consent(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = actions.ConsentRequest(
            recipient_agency=data["recipient_agency"],
            categories=data["categories"],
            purpose=data["purpose"],
            evidence=data["evidence"],
            given_on=data["given_on"],
            expires_on=data["expires_on"],
        )
        if run_action(form, lambda: actions.record_consent(case, consent, by=request.user)):
            messages.success(
                request,
                gettext("Consent to share with %(recipient_agency)s recorded.")
                % {"recipient_agency": data["recipient_agency"]},
            )
            return redirect("sharing:overview", case_id=case.pk)
    return _form_page(
        request,
        "sharing/consent_form.html",
        case,
        form,
        heading=gettext("Record consent"),
        button=gettext("Record consent"),
    )


@require_http_methods(["GET", "POST"])
def withdraw_consent(request: AuthedRequest, case_id: int, consent_id: int) -> HttpResponse:
    """Withdrawing takes effect at once and cannot be undone (a new consent must be recorded): the page
    says what follows before the user confirms."""
    case = _team_case(request, case_id)
    consent = get_object_or_404(Consent, pk=consent_id, person=case.person)
    labels = dict(DataCategory.choices)
    categories = ", ".join(lowered(str(labels[c])) for c in consent.category_list()) or gettext("no category")
    agency = {"agency": consent.recipient_agency}
    back = reverse("sharing:overview", args=[case.pk]) + "#consent"
    confirmation = Confirmation(
        title=gettext("Withdraw consent to share with %(agency)s?") % agency,
        button=gettext("Withdraw consent"),
        action=reverse("sharing:withdraw_consent", args=[case.pk, consent.pk]),
        cancel=back,
        caption=gettext("Case %(reference)s") % {"reference": case.reference},
        consequences=[
            gettext("%(agency)s no longer sees what relied on this consent (%(categories)s).")
            % {**agency, "categories": categories},
            gettext("The workers of %(agency)s on the case are told, and it is on the timeline.") % agency,
            gettext("It cannot be undone: if the person consents again, record a new consent."),
        ],
        destructive=True,
    )
    form = WithdrawForm(posted(request))
    return confirmation.run(
        request,
        form,
        lambda data: actions.withdraw_consent(consent, case, by=request.user, note=data["note"]),
        done=gettext("Consent withdrawn. %(agency)s no longer sees what relied on it.") % agency,
        then=back,
    )


@require_http_methods(["GET", "POST"])
def new_restriction(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    form = RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.add_restriction(
                case,
                by=request.user,
                user=data["user"],
                kind=data["kind"],
                message=data["message"],
                reason=data["reason"],
            ),
        ):
            messages.success(request, gettext("Restriction added."))
            return redirect("sharing:overview", case_id=case.pk)
    return _form_page(
        request,
        "sharing/restriction_form.html",
        case,
        form,
        heading=gettext("Add a restriction"),
        button=gettext("Add restriction"),
    )


@require_POST
def remove_restriction(request: AuthedRequest, case_id: int, restriction_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    restriction = get_object_or_404(Restriction, pk=restriction_id, case=case, removed_at__isnull=True)
    try:
        actions.remove_restriction(restriction, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, gettext("Restriction removed."))
    return redirect("sharing:overview", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def flag_intelligence(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.INTELLIGENCE)
    if not viewer_for(request.user).cleared:
        raise Http404("No case found")
    owners = (
        User.objects.filter(
            Q(memberships__agency__kind="police_ct") | Q(memberships__intelligence_cleared=True),
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name")
    )
    current = case.intelligence_flags.filter(closed_at__isnull=True).first()
    form = FlagForm(
        request.POST or None,
        owners=owners,
        initial={
            "owner": current.owner_id if current else request.user.pk,
            "contact_note": current.contact_note if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.flag_intelligence(
                case, by=request.user, owner=data["owner"], contact_note=data["contact_note"]
            ),
        ):
            messages.success(
                request, gettext("The case team now sees that intelligence exists and whom to contact.")
            )
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(
        request,
        "sharing/flag_form.html",
        case,
        form,
        heading=gettext("Intelligence exists"),
        button=gettext("Show the flag to the team"),
    )


# What is shared about me ----------------------------------------------------------------------------


@require_GET
def shared_about_me(request: AuthedRequest, case_id: int) -> HttpResponse:
    """A plain-language, printable page for the conversation with the person about trust."""
    case = _team_case(request, case_id)
    rows = sharing_rows(case)
    _log_shown(
        request,
        case,
        "sharing.sharingagreement",
        list(case.agreements.values_list("pk", flat=True)),
        "what is shared about me",
    )
    return render(
        request, "sharing/shared_about_me.html", {"case": case, "rows": rows, "today": timezone.now()}
    )


def sharing_rows(case: Case) -> list[dict[str, Any]]:

    rows: list[dict[str, Any]] = []
    modes = {(r.agency_kind, r.category): r.mode for r in SharingRule.objects.all()}
    for place in case.team.active().select_related("agency", "user"):
        categories = [c for c in _person_labels() if modes.get((place.agency.kind, c[0])) == "always"]
        consented = actions.consented_categories(case, place.agency)
        categories += [
            c
            for c in _person_labels()
            if c[0] in consented and modes.get((place.agency.kind, c[0])) == "consent"
        ]
        rows.append(
            {
                "who": f"{place.user}, {place.agency}",
                "categories": [c[1] for c in categories],
                "basis": "works on your case" + (" (and your consent)" if consented else ""),
                "since": place.started_at,
            }
        )
    for agreement in (
        case.agreements.in_force()
        .select_related("recipient_agency", "recipient_user")
        .prefetch_related("categories")
    ):
        who = (
            f"{agreement.recipient_user}, {agreement.recipient_agency}"
            if agreement.recipient_user
            else str(agreement.recipient_agency)
        )
        shown = [label for c, label in _person_labels() if c in agreement.category_list()]
        if not shown:
            continue  # an agreement for intelligence alone: its existence would tip the person off
        rows.append(
            {
                "who": who,
                "categories": shown,
                "basis": f"{agreement.get_legal_basis_display()} — {agreement.purpose}",
                "since": agreement.valid_from,
            }
        )
    return rows


def _person_labels() -> list[tuple[str, str]]:
    """What the person is told of: everything but intelligence, which (and anything derived from it) is
    never shown on a page meant for them."""
    return [(c, label) for c, label in _labels() if c != "intelligence"]


def _labels() -> list[tuple[str, str]]:

    plain = {
        "identity": "who you are",
        "legal": "your sentence and licence",
        "risk": "assessments of risk",
        "intelligence": "police intelligence",
        "health": "your health",
        "interventions": "programmes and progress",
        "family": "your family",
        "general": "general notes",
    }
    return [(c, plain[c]) for c in DataCategory.values if c != "intelligence"]


# Who accessed this case -----------------------------------------------------------------------------


def _is_auditor(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.AUDITOR, is_active=True).exists()


def _case_for_audit(request: AuthedRequest, case_id: int) -> Case:
    """The case lead, the data protection officer and auditors may read a case's log. Auditors need not
    see the case itself: the log shows who did what, never the content."""
    if _is_auditor(request.user):
        return get_object_or_404(Case, pk=case_id)
    case = get_case_for_user(request.user, case_id, category=None)
    if not _is_lead(request.user, case):
        raise Http404("No case found")
    return case


@require_GET
@replica_reads
def access_log(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _case_for_audit(request, case_id)
    about = about_case(case.pk)
    # Who acted comes from the indexes (the people to filter by); the events themselves are read for the
    # page only, each from its own month (docs/audit.md, "Who accessed this case").
    actors = User.objects.filter(pk__in={a.actor_id for a in about if a.actor_id is not None})
    form = AccessLogFilterForm(request.GET or None, actors=actors.order_by("last_name"))
    chosen = _filters(form)
    number = request.GET.get("page")
    if chosen:
        page = paginate(_newest_first(_filtered(about, chosen)), 50, number)
    else:
        page = paginate(about, 50, number)
        page.object_list = _read(list(page.object_list))
    for event in page.object_list:
        if not getattr(event, "missing", False):  # the reason given for this case, of a list's
            event.reason_here = event.reason_for(case.pk)
    record_consultation(
        by=request.user,
        agency=request.user.primary_agency(),
        object_type="audit.auditevent",
        shown={case.pk: [e.pk for e in page.object_list]},
        justification="audit: who accessed this case",
        channel="access log",
    )
    return render(
        request,
        "sharing/access_log.html",
        {"case": case, "form": form, "page": page, "as_auditor": _is_auditor(request.user)},
    )


def _newest_first(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return events.select_related("actor", "actor_agency").order_by("-id")


@dataclass(frozen=True)
class MissingEvent:
    """An event the indexes say is about the case that the log does not hold (deleted, or its month
    archived since the indexes were read): shown in its place, for the auditor to look into."""

    pk: int
    missing: bool = True


def _read(about: list[EventAbout]) -> list[AuditEvent | MissingEvent]:
    """The events named, newest first, each read from the month its index names; one not there is read
    again by its id alone (sealed into its month since the index was read), else shown as missing."""
    found = {e.pk: e for e in _newest_first(AuditEvent.objects.named(about))}
    missing = [a.id for a in about if a.id not in found]
    if missing:
        found |= {e.pk: e for e in _newest_first(AuditEvent.objects.filter(pk__in=missing))}
    return [found.get(a.id) or MissingEvent(a.id) for a in about]


def _filters(form: AccessLogFilterForm) -> dict[str, Any]:
    """The filters the form asks for (none when it is not valid)."""
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    filters = {
        "actor": data.get("actor"),
        "actor_agency": data.get("agency"),
        "operation": data.get("operation"),
        "occurred_at__date__gte": data.get("since"),
        "occurred_at__date__lte": data.get("until"),
    }
    return {k: v for k, v in filters.items() if v}


def _filtered(about: list[EventAbout], chosen: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events about the case the filters keep. The person is chosen from the index; the rest is
    asked of the events, in the months of those left."""
    actor = chosen.get("actor")
    if actor is not None:
        about = [a for a in about if a.actor_id == actor.pk]
    return AuditEvent.objects.named(about).filter(**chosen)


# Break-glass ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def break_glass(request: AuthedRequest) -> HttpResponse:
    permitted = has_capability(request.user, Capability.BREAK_GLASS)
    if not permitted:
        return render(
            request,
            "403.html",
            {"reason": gettext("You do not have the break-glass permission.")},
            status=403,
        )
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(reference__iexact=form.cleaned_data["reference"].strip()).first()
        if case is None:
            form.add_error("reference", gettext("There is no case with that reference"))
        elif run_action(
            form, lambda: actions.open_break_glass(case, by=request.user, reason=form.cleaned_data["reason"])
        ):
            messages.success(
                request, gettext("Emergency access opened. The case lead and your manager have been told.")
            )
            return redirect("cases:detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "sharing/break_glass.html", {"form": form}, status=status)


@require_GET
def break_glass_review(request: AuthedRequest) -> HttpResponse:
    return _break_glass_review_page(request)


def _break_glass_review_page(
    request: AuthedRequest, refused: tuple[int, ReviewForm] | None = None
) -> HttpResponse:
    if not _is_auditor(request.user):
        raise Http404("Not found")
    accesses = BreakGlass.objects.select_related("case", "user", "agency", "reviewed_by")
    pending = [
        (a, refused[1] if refused and refused[0] == a.pk else ReviewForm(auto_id=f"review-{a.pk}-%s"))
        for a in accesses.filter(reviewed_at__isnull=True)
    ]
    return render(
        request,
        "sharing/break_glass_review.html",
        {
            "pending": pending,
            "reviewed": accesses.filter(reviewed_at__isnull=False)[:50],
            "refused": refused[1] if refused else None,
        },
        status=400 if refused else 200,
    )


@require_POST
def review_break_glass(request: AuthedRequest, access_id: int) -> HttpResponse:
    if not _is_auditor(request.user):
        raise Http404("Not found")
    access = get_object_or_404(BreakGlass.objects.select_related("case"), pk=access_id)
    form = ReviewForm(request.POST, auto_id=f"review-{access.pk}-%s")
    return submit(
        request,
        form,
        lambda data: actions.review_break_glass(
            access, by=request.user, outcome=data["outcome"], note=data["note"]
        ),
        done=gettext("Review of the access to %(reference)s recorded.")
        % {"reference": access.case.reference},
        then=reverse("sharing:break_glass_review"),
        again=lambda: _break_glass_review_page(request, (access.pk, form)),
    )


# Notifications --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notifications(request: AuthedRequest) -> HttpResponse:
    mine = notifications_for(request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("sharing:notifications")
    return render(request, "sharing/notifications.html", {"notifications": mine[:100]})
