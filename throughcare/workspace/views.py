"""The workspace's pages: the caseload, the case overview and its timeline, search, Needs attention.
Every view fetches through the access gate and logs what it shows."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from throughcare.audit.log import record, record_consultation
from throughcare.audit.models import Operation
from throughcare.cases import actions
from throughcare.cases.forms import (
    CaseloadFilterForm,
    NewCaseForm,
    PersonForm,
    SearchForm,
    can_open_cases,
)
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.lib.conflicts import conflict, rebased
from throughcare.lib.errors import EditConflict
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate, read_page, walk_to_page
from throughcare.lib.routers import replica_reads
from throughcare.lib.text import spreadsheet_cell
from throughcare.sharing.access import (
    get_case_for_user,
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
    # Counted without the names' flag — or by the gate, all the cases the user can see, with no query of
    # the list's own to build — then the page read by walking (names flagged for its rows) or sorted.
    counter = _counter(request, filters)
    rows = Case.objects.none() if counter else caseload_queryset(request, filters, named=False)
    page = paginate(rows, settings.CASELOAD_PAGE_SIZE, request.GET.get("page"), counter)
    if _walks(filters) and walk_to_page(page, lambda: caseload_queryset(request, filters, per_case=True)):
        Case.objects.flag_identity(request.user, list(page.object_list))
    else:
        read_page(page, caseload_queryset(request, filters))
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
    log_caseload_shown(request, list(page.object_list))
    return render(request, "cases/caseload.html", context)


def caseload_shown(request: AuthedRequest, limit: int) -> tuple[list[Case], int]:
    """The first `limit` cases of the user's caseload by last activity, and how many there are (logged as
    the caseload page logs them)."""
    cases = caseload_queryset(request, {})
    shown = list(cases[:limit])
    log_caseload_shown(request, shown)
    return shown, cases.count()


def log_caseload_shown(request: AuthedRequest, cases: list[Case], channel: str = "caseload") -> None:
    """Names on a list are identity data: each case listed is a consultation."""
    shown = {case.pk: [case.person_id] for case in cases if getattr(case, "shows_identity", False)}
    roles = {case.pk: getattr(case, "my_responsibility", None) for case in cases}
    justification = {
        pk: f"caseload: {role}" if role else "caseload: cases I can see as a manager"
        for pk, role in roles.items()
    }
    record_consultation(
        by=request.user,
        agency=viewer_for(request.user).primary_agency,
        object_type="people.person",
        shown=shown,
        justification=justification,
        channel=channel,
    )


def caseload_queryset(
    request: AuthedRequest, filters: dict[str, Any], *, per_case: bool = False, named: bool = True
) -> QuerySet[Case]:
    """The caseload as filtered and sorted, each case flagged with whether its person's names may be shown.
    `per_case`: the same rows as a query that walks the cases by last activity (the gate probed for each
    case, no flag: `flag_identity` sets it on the page). `named=False`: without the flag (to count)."""
    base = Case.objects.all()
    cases = (
        base.visible_to(request.user, per_case=per_case)
        if filters.get("scope") == "all"
        else base.on_caseload_of(request.user)
    )
    if filters.get("phase"):
        cases = cases.filter(phase=filters["phase"])
    sort = filters.get("sort") or "activity"
    descending = (filters.get("order") or ("desc" if sort == "activity" else "asc")) == "desc"
    fields = CaseloadFilterForm.SORTS[sort]
    ordering = [f"-{f}" if descending else f for f in fields]
    cases = cases.with_caseload_columns(request.user)
    if named and not per_case:
        cases = cases.with_identity_flag(request.user)
    return cases.annotate(phase_order=PHASE_ORDER).order_by(*ordering, "pk")


def _counter(request: AuthedRequest, filters: dict[str, Any]) -> Callable[[int], int] | None:
    """All the cases the user can see, not narrowed by phase: counted as the gate counts them best."""
    if filters.get("scope") != "all" or filters.get("phase"):
        return None
    return lambda cap: Case.objects.count_visible_to(request.user, cap)


def _walks(filters: dict[str, Any]) -> bool:
    """Whether the page may be read by walking the cases' activity index (`lib.paging`): all cases the
    user can see, most recent activity first — the order of the index `case_by_activity`."""
    sort, order = filters.get("sort") or "activity", filters.get("order") or "desc"
    return filters.get("scope") == "all" and sort == "activity" and order == "desc"


@require_http_methods(["GET", "POST"])
def edit_person(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=DataCategory.IDENTITY, write=True)
    person = case.person
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    changed = None
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in PersonForm.Meta.fields}
        try:
            actions.update_person(
                person, case, by=request.user, changes=changes, expected_version=form.cleaned_data["version"]
            )
        except EditConflict as refused:
            person.refresh_from_db()
            now = {name: getattr(person, name) for name in PersonForm.Meta.fields}
            changed = conflict(form, now, refused.message)
            form = PersonForm(rebased(request.POST, person.version), instance=person)
            form.is_valid()
        else:
            messages.success(request, gettext("Identity details saved."))
            return redirect("cases:detail", case_id=case.pk)
    record_case_read(request.user, case, "people.person", [case.person_id], channel="identity form")
    status = 409 if changed else _status(request, form)
    context = {"case": case, "form": form, "conflict": changed}
    return render(request, "cases/person_edit.html", context, status=status)


def _status(request: AuthedRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@require_http_methods(["GET", "POST"])
def new_case(request: AuthedRequest) -> HttpResponse:
    if not can_open_cases(request.user):
        return render(
            request,
            "403.html",
            {"reason": gettext("Only practitioners and managers can open cases.")},
            status=403,
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
        messages.success(
            request,
            gettext("Case %(reference)s opened. You lead the case team.") % {"reference": case.reference},
        )
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/new_case.html", {"form": form}, status=_status(request, form))


@require_GET
@replica_reads
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
        row = [
            e.occurred_at.isoformat(),
            e.recorded_at.isoformat(),
            e.get_category_display(),
            e.get_nature_display(),
            str(e.author),
            e.author_agency.label if e.author_agency else "",
            str(e.body),
        ]
        writer.writerow([spreadsheet_cell(cell) for cell in row])
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
        context |= search_cases(request, form.cleaned_data["q"], form.cleaned_data["reason"])
    template = "cases/search.html#results" if request.htmx else "cases/search.html"
    return render(request, template, context)


def search_cases(request: AuthedRequest, query: str, reason: str, channel: str = "search") -> dict[str, Any]:
    """The cases whose person matches every word, the user's own first; others only with a reason."""
    # The cases are found from the words first (`matching`: a few, by their indexes), then the gate is
    # probed for each of them: as a set, a manager's whole scope was gathered for every search.
    words = query.split()
    cases = Case.objects.identity_visible_to(request.user, per_case=True).matching(words)
    cases = cases.with_caseload_columns(request.user).prefetch_related("person__aliases")
    found = list(cases.order_by("person__family_name", "pk")[:50])
    mine = [case for case in found if getattr(case, "my_responsibility", None)]
    others = [case for case in found if not getattr(case, "my_responsibility", None)]
    shown = mine + others if reason else mine
    _log_search_shown(request, query, mine, others if reason else [], reason, channel)
    return {
        "results": shown,
        "hidden_count": 0 if reason else len(others),
        "restricted": list(restricted_cases_for(request.user).matching(words)),
        "reason": reason,
    }


def _log_search_shown(
    request: AuthedRequest, query: str, mine: list[Case], others: list[Case], reason: str, channel: str
) -> None:
    justifications = {case.pk: f"search in own caseload for {query!r}" for case in mine}
    justifications |= {case.pk: f"search outside own caseload for {query!r}: {reason}" for case in others}
    if not justifications:
        return
    record_consultation(
        by=request.user,
        agency=viewer_for(request.user).primary_agency,
        object_type="people.person",
        shown={case.pk: [case.person_id] for case in mine + others},
        justification=justifications,
        channel=channel,
    )


# Needs attention -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def needs_attention(request: AuthedRequest) -> HttpResponse:
    groups = attention.group_titles()
    is_manager = bool(viewer_for(request.user).managed)
    # A manager's own list is usually short: theirs is their agencies' unless they ask for their own.
    scope = "agency" if is_manager and request.GET.get("scope") != "mine" else "mine"
    today = timezone.localdate()
    group = request.GET.get("group", "")
    # A whole agency's list runs to thousands: a page of it at a time, named and logged page by page.
    shown = attention.listing(
        request.user, today, scope, group, request.GET.get("page"), settings.ATTENTION_PAGE_SIZE
    )
    rows = attention.rows_for(request.user, shown.items, today)
    log_attention_shown(request, rows, f"needs attention ({scope})")
    context = {
        "parts": attention.parts(rows),
        "page": shown.page,
        "items": shown.items,
        "scope": scope,
        "is_manager": is_manager,
        "today": today,
        "counts": shown.counts,
        "group": group if group in groups else "",
        "total": shown.total,
        "overdue": shown.overdue,
    }
    return render(request, "custody/needs_attention.html", context)


def log_attention_shown(
    request: AuthedRequest, rows: list[attention.Row], justification: str, channel: str = "needs attention"
) -> None:
    """A list of things to do names cases, and people where the gate shows their names: consultations."""
    agency = viewer_for(request.user).primary_agency
    shown = {row.item.case.pk: [row.item.case.pk] for row in rows if row.item.case is not None}
    record_consultation(
        by=request.user,
        agency=agency,
        object_type="cases.case",
        shown=shown,
        justification=justification,
        channel=channel,
    )
    record_consultation(
        by=request.user,
        agency=agency,
        object_type="people.person",
        shown=attention.named_people(rows),
        justification=justification,
        channel=channel,
    )
