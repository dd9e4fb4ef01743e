"""The workspace's pages: the caseload, the case overview and its timeline, search, Needs attention.
Every view fetches through the access gate and logs what it shows."""

from __future__ import annotations

import csv
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import retarget

from throughcare.audit.log import record, record_consultation
from throughcare.audit.models import Operation
from throughcare.cases import actions
from throughcare.cases.forms import (
    CaseloadFilterForm,
    NewCaseForm,
    NoteForm,
    PersonForm,
    PhaseChangeForm,
    SearchForm,
    can_open_cases,
)
from throughcare.cases.models import Case, DataCategory, Phase, PhaseChange, TimelineEntry
from throughcare.conferences.models import AgendaItem
from throughcare.custody.models import Handover, HandoverItem, Offence, Sentence
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.http import AuthedRequest
from throughcare.lib.text import fold
from throughcare.rehab.closure import progress
from throughcare.risk import trajectory
from throughcare.risk.models import ReviewDue
from throughcare.sharing.access import (
    Capability,
    Standing,
    active_team,
    get_case_for_user,
    has_capability,
    record_case_read,
    restricted_cases_for,
    standing_on_case,
    viewer_for,
)
from throughcare.workspace import attention

PHASE_ORDER = When_(
    *(When(phase=p, then=Value(i)) for i, p in enumerate(Phase.values)), output_field=IntegerField()
)


@require_GET
def caseload(request: AuthedRequest) -> HttpResponse:
    form = CaseloadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = _caseload_queryset(request, filters)
    page = Paginator(cases, settings.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": filters.get("sort") or "activity",
        "order": filters.get("order") or ("desc" if not filters.get("sort") else "asc"),
        "scope": filters.get("scope") or "mine",
        "phase": filters.get("phase") or "",
        "phase_label": Phase(filters["phase"]).label if filters.get("phase") else "",
        "can_open_cases": can_open_cases(request.user),
        "restricted": list(restricted_cases_for(request.user)),
    }
    _log_caseload_shown(request, list(page.object_list))
    return render(request, "cases/caseload.html", context)


def _log_caseload_shown(request: AuthedRequest, cases: list[Case]) -> None:
    """Names on a list are identity data: each case listed is a consultation."""
    shown = {case.pk: [case.person_id] for case in cases if getattr(case, "shows_identity", False)}
    roles = {case.pk: getattr(case, "my_responsibility", None) for case in cases}
    justification = {
        pk: f"caseload: {role}" if role else "caseload: cases I can see as a manager"
        for pk, role in roles.items()
    }
    record_consultation(
        by=request.user,
        agency=request.user.primary_agency(),
        object_type="people.person",
        shown=shown,
        justification=justification,
        channel="caseload",
    )


def _caseload_queryset(request: AuthedRequest, filters: dict[str, Any]) -> QuerySet[Case]:
    base = Case.objects.all()
    cases = (
        base.visible_to(request.user) if filters.get("scope") == "all" else base.on_caseload_of(request.user)
    )
    if filters.get("phase"):
        cases = cases.filter(phase=filters["phase"])
    sort = filters.get("sort") or "activity"
    descending = (filters.get("order") or ("desc" if sort == "activity" else "asc")) == "desc"
    fields = CaseloadFilterForm.SORTS[sort]
    ordering = [f"-{f}" if descending else f for f in fields]
    return (
        cases.with_caseload_columns(request.user)
        .with_identity_flag(request.user)
        .annotate(phase_order=PHASE_ORDER)
        .order_by(*ordering, "pk")
    )


@require_GET
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    page = _timeline_page(case, standing, request.GET.get("category", ""), request.GET.get("page"))
    _log_timeline_shown(request, case, standing, page, channel="case page")
    context = _case_context(request, case, standing) | {"timeline_page": page}
    return render(request, "cases/case_detail.html", context)


def _case_context(request: AuthedRequest, case: Case, standing: Standing) -> dict[str, Any]:
    person = case.person
    phases = list(case.phase_changes.select_related("changed_by"))  # the history list and the chart's bands
    return (
        {
            "case": case,
            "person": person,
            "standing": standing,
            "aliases": list(person.aliases.all()),
            "identifiers": list(person.identifiers.all()),
            "phase_changes": phases,
            "team": active_team(case),
            "note_form": NoteForm().limit_categories(standing.categories),
            "phase_form": PhaseChangeForm(initial={"to_phase": case.next_phase, "version": case.version}),
            "categories": DataCategory.choices,
            "category": request.GET.get("category", ""),
            "age": person.age_on(timezone.localdate()),
            "show_identity": standing.holds(DataCategory.IDENTITY),
            "show_legal": standing.holds(DataCategory.LEGAL),
            "flag": case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first(),
            "on_team_or_manager": standing.works_on_case,
            "is_lead": standing.is_lead,
            "may_change_phase": has_capability(request.user, Capability.CHANGE_PHASE, case),
        }
        | _sentence_context(case, standing)
        | _trajectory_context(case, standing, phases)
        | _progress_context(case, standing)
    )


def _progress_context(case: Case, standing: Standing) -> dict[str, Any]:
    """How long rehabilitation has lasted and the criteria met, so that neither is ever implicit."""

    if not standing.holds(DataCategory.INTERVENTIONS):
        return {}
    return {"progress": progress(case)}


def _trajectory_context(case: Case, standing: Standing, phases: list[PhaseChange]) -> dict[str, Any]:
    """The risk trajectory chart, for those who hold risk information."""
    from django.utils.safestring import mark_safe

    if not standing.holds(DataCategory.RISK):
        return {}
    chart = trajectory.svg(case, phases, trajectory.points(case))
    return {
        "pending_requests": case.risk_requests.filter(outcome="pending").count(),
        "trajectory": mark_safe(chart),  # noqa: S308 - built by us, every text escaped
        "next_review": ReviewDue.objects.filter(case=case, done_at__isnull=True).first(),
        "today": timezone.localdate(),
    }


def _sentence_context(case: Case, standing: Standing) -> dict[str, Any]:
    """The sentence section of the case page: legal-category data, for those who hold it."""

    if not standing.holds(DataCategory.LEGAL):
        return {"show_sentence": False}
    sentence = Sentence.objects.filter(case=case).select_related("profile").first()
    return {
        "show_sentence": True,
        "sentence": sentence,
        "offences": list(Offence.objects.filter(case=case)) if sentence else [],
        "override": sentence.overrides.filter(lifted_at__isnull=True).first() if sentence else None,
        "handover": Handover.objects.filter(case=case, state__in=["created", "accepted"]).first(),
        "handover_items": list(
            HandoverItem.objects.filter(
                handover__case=case, handover__state__in=["created", "accepted"]
            ).select_related("owner")
        ),
        "today": timezone.localdate(),
        "conference_required": bool(sentence and sentence.profile.requires_release_conference(sentence)),
        "conference_items": list(
            AgendaItem.objects.filter(
                case=case, conference__kind="release", conference__status__in=["held", "approved"]
            )
            .select_related("conference__chair")
            .prefetch_related("decisions", "actions__owner")
        )
        if sentence
        else [],
    }


def _timeline_page(
    case: Case, standing: Standing, category: str, page_number: str | None
) -> Page[TimelineEntry]:
    """The entries of the categories the gate allows this user (see access.categories_for)."""
    entries = TimelineEntry.objects.on_case_as(case, standing)
    entries = entries.select_related("author", "author_agency").newest_first()
    if category in DataCategory.values:
        entries = entries.filter(category=category)
    return Paginator(entries, settings.TIMELINE_PAGE_SIZE).get_page(page_number)


def _log_timeline_shown(
    request: AuthedRequest, case: Case, standing: Standing, page: Page[TimelineEntry], channel: str
) -> None:
    record_consultation(
        by=request.user,
        agency=standing.agency,
        object_type="cases.timelineentry",
        shown={case.pk: [entry.pk for entry in page.object_list]},
        justification=standing.justification,
        channel=channel,
    )


@require_GET
def timeline(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The timeline alone: filtering by category and paging without reloading the page."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    category = request.GET.get("category", "")
    page = _timeline_page(case, standing, category, request.GET.get("page"))
    _log_timeline_shown(request, case, standing, page, channel="timeline")
    context = {"case": case, "timeline_page": page, "category": category, "categories": DataCategory.choices}
    return render(request, "cases/case_detail.html#timeline", context)


@require_POST
def add_note(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None, write=True)
    standing = standing_on_case(request.user, case)
    form = NoteForm(request.POST).limit_categories(standing.categories)
    if form.is_valid():
        try:
            entry = actions.add_note(
                case,
                by=request.user,
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                nature=form.cleaned_data["nature"],
                occurred_at=_occurred_at(form.cleaned_data["occurred_on"]),
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return _note_added(request, case, entry)
    return _note_refused(request, case, form)


def _occurred_at(day: Any) -> datetime | None:
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _note_added(request: AuthedRequest, case: Case, entry: TimelineEntry) -> HttpResponse:
    if not request.htmx:
        messages.success(request, "Note added to the timeline.")
        return redirect("cases:detail", case_id=case.pk)
    entry = TimelineEntry.objects.select_related("author", "author_agency").get(pk=entry.pk)
    categories = standing_on_case(request.user, case).categories
    context = {
        "case": case,
        "entry": entry,
        "note_form": NoteForm().limit_categories(categories),
        "added": True,
    }
    return render(request, "cases/partials/note_added.html", context)


def _note_refused(request: AuthedRequest, case: Case, form: NoteForm) -> HttpResponse:
    if request.htmx:
        response = render(request, "cases/partials/note_form.html", {"case": case, "note_form": form})
        return retarget(response, "#note-form")
    return _case_page_with(request, case, note_form=form)


def _case_page_with(request: AuthedRequest, case: Case, **forms: Any) -> HttpResponse:
    """The case page again, with a refused form showing what was typed and what to correct."""
    standing = standing_on_case(request.user, case)
    page = _timeline_page(case, standing, "", None)
    _log_timeline_shown(request, case, standing, page, channel="case page")
    context = _case_context(request, case, standing) | {"timeline_page": page} | forms
    return render(request, "cases/case_detail.html", context, status=400)


@require_POST
def change_phase(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    form = PhaseChangeForm(request.POST)
    if not form.is_valid() and form.only_visible_errors():
        return _case_page_with(request, case, phase_form=form)
    if not form.is_valid():
        messages.error(request, "The phase change was not understood. Reload the page and try again.")
        return redirect("cases:detail", case_id=case.pk)
    try:
        change = actions.change_phase(
            case,
            by=request.user,
            to_phase=form.cleaned_data["to_phase"],
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"The case is now in {change.get_to_phase_display()}.")
    return redirect("cases:detail", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def edit_person(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.IDENTITY, write=True)
    person = case.person
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in PersonForm.Meta.fields}
        try:
            actions.update_person(
                person, case, by=request.user, changes=changes, expected_version=form.cleaned_data["version"]
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
            person.refresh_from_db()
            form = PersonForm(instance=person, initial={"version": person.version})
        else:
            messages.success(request, "Identity details saved.")
            return redirect("cases:detail", case_id=case.pk)
    record_case_read(request.user, case, "people.person", [case.person_id], channel="identity form")
    return render(
        request, "cases/person_edit.html", {"case": case, "form": form}, status=_status(request, form)
    )


def _status(request: AuthedRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@require_http_methods(["GET", "POST"])
def new_case(request: AuthedRequest) -> HttpResponse:
    if not can_open_cases(request.user):
        return render(
            request, "403.html", {"reason": "Only practitioners and managers can open cases."}, status=403
        )
    form = NewCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = actions.NewPerson(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            gender=data["gender"],
            nationality=data["nationality"],
            languages=data["languages"],
            subject_category=data["subject_category"],
        )
        case = actions.open_case(
            details,
            by=request.user,
            agency=data["agency"],
            function=data["function"],
            sentence_summary=data["sentence_summary"],
            phase=data["phase"],
        )
        messages.success(request, f"Case {case.reference} opened. You lead the case team.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/new_case.html", {"form": form}, status=_status(request, form))


@require_GET
def export_timeline(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The entries the user may see, as CSV. An export is a disclosure to the user's own device."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    entries = list(
        TimelineEntry.objects.on_case_as(case, standing)
        .select_related("author", "author_agency")
        .newest_first()
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-timeline.csv"'
    writer = csv.writer(response)
    writer.writerow(["happened", "recorded", "category", "fact or assessment", "author", "agency", "entry"])
    for e in entries:
        writer.writerow(
            [
                e.occurred_at.isoformat(),
                e.recorded_at.isoformat(),
                e.get_category_display(),
                e.get_nature_display(),
                str(e.author),
                e.author_agency.label if e.author_agency else "",
                e.body,
            ]
        )
    with transaction.atomic():
        record(
            Operation.DISCLOSURE,
            case,
            by=request.user,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            recipients=[f"export to {request.user}"],
            details={
                "channel": "export",
                "format": "csv",
                "entries": [e.pk for e in entries][:500],
                "entry_count": len(entries),
            },
        )
    return response


@require_GET
def search(request: AuthedRequest) -> HttpResponse:
    """Search among visible cases. Results outside the user's caseload are shown only with a reason,
    which becomes the justification of the consultation."""
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "results": None}
    if form.is_valid():
        context |= _search(request, form.cleaned_data["q"], form.cleaned_data["reason"])
    template = "cases/search.html#results" if request.htmx else "cases/search.html"
    return render(request, template, context)


def _search(request: AuthedRequest, query: str, reason: str) -> dict[str, Any]:
    cases = Case.objects.identity_visible_to(request.user).with_caseload_columns(request.user)
    for term in fold(query).split():
        cases = cases.filter(person__search_text__contains=term)
    found = list(cases.prefetch_related("person__aliases").order_by("person__family_name", "pk")[:50])
    mine = [case for case in found if getattr(case, "my_responsibility", None)]
    others = [case for case in found if not getattr(case, "my_responsibility", None)]
    shown = mine + others if reason else mine
    _log_search_shown(request, query, mine, others if reason else [], reason)
    restricted = list(
        restricted_cases_for(request.user).filter(
            *[Q(person__search_text__contains=t) for t in fold(query).split()]
        )
    )
    return {
        "results": shown,
        "hidden_count": 0 if reason else len(others),
        "restricted": restricted,
        "reason": reason,
    }


def _log_search_shown(
    request: AuthedRequest, query: str, mine: list[Case], others: list[Case], reason: str
) -> None:
    justifications = {case.pk: f"search in own caseload for {query!r}" for case in mine}
    justifications |= {case.pk: f"search outside own caseload for {query!r}: {reason}" for case in others}
    if not justifications:
        return
    record_consultation(
        by=request.user,
        agency=request.user.primary_agency(),
        object_type="people.person",
        shown={case.pk: [case.person_id] for case in mine + others},
        justification=justifications,
        channel="search",
    )


# Needs attention -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def needs_attention(request: AuthedRequest) -> HttpResponse:
    groups = attention.group_titles()
    is_manager = bool(viewer_for(request.user).managed)
    scope = "agency" if is_manager and request.GET.get("scope") == "agency" else "mine"
    everything = attention.needs_attention(request.user, timezone.localdate(), scope=scope)
    group = request.GET.get("group", "")
    items = [item for item in everything if item.group == group] if group in groups else everything
    counts = [(name, sum(1 for item in everything if item.group == name)) for name in groups]
    record_consultation(
        by=request.user,
        agency=request.user.primary_agency(),
        object_type="cases.case",
        shown={item.case.pk: [item.case.pk] for item in items if item.case is not None},
        justification=f"needs attention ({scope})",
        channel="needs attention",
    )
    context = {
        "items": items,
        "scope": scope,
        "is_manager": is_manager,
        "today": timezone.localdate(),
        "counts": counts,
        "group": group if group in groups else "",
        "total": len(everything),
        "overdue": sum(1 for item in everything if item.overdue),
    }
    return render(request, "custody/needs_attention.html", context)
