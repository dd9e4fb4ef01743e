"""The case page: an overview that leads with what a practitioner must know first, and the timeline.

The other sections (custody and licence, risk, rehabilitation, conferences, sharing) are the capabilities'
own pages, listed in the case's sub-navigation from `cases.contributions`; the overview's panels are
contributed the same way. Every view fetches through the gate with the category it reads and logs what it
shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from throughcare.accounts.models import User
from throughcare.audit.log import record_consultation
from throughcare.cases import actions
from throughcare.cases.contributions import panels
from throughcare.cases.forms import NoteForm, PhaseChangeForm
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.errors import ActionRefused
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate
from throughcare.sharing.access import (
    Capability,
    Standing,
    active_team,
    get_case_for_user,
    has_capability,
    record_case_read,
    standing_on_case,
    team_lead,
)
from throughcare.workspace import attention

DUE_SHOWN = 5  # items on the overview; the rest are on Needs attention


# The overview ------------------------------------------------------------------------------------------


@require_GET
def overview(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, category=None)
    return _overview(request, case, standing_on_case(request.user, case))


def _overview(
    request: AuthedRequest, case: Case, standing: Standing, status: int = 200, **forms: Any
) -> HttpResponse:
    today = timezone.localdate()
    due = attention.for_case(request.user, case, standing, today)
    shown_panels = [
        {"template": panel.template, "context": built}
        for panel in panels()
        if standing.holds(panel.category) and (built := panel.build(case, standing, request.user)) is not None
    ]
    person = case.person
    context = {
        "case": case,
        "person": person,
        "standing": standing,
        "section": "overview",
        "heading": person.full_name if standing.holds(DataCategory.IDENTITY) else f"Case {case.reference}",
        "show_identity": standing.holds(DataCategory.IDENTITY),
        "age": person.age_on(today),
        "aliases": list(person.aliases.all()),
        "identifiers": list(person.identifiers.all()),
        "team": active_team(case),
        "lead": team_lead(case),
        "flag": case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first(),
        "panels": shown_panels,
        "due": due[:DUE_SHOWN],
        "more_due": max(len(due) - DUE_SHOWN, 0),
        "today": today,
        "may_change_phase": has_capability(request.user, Capability.CHANGE_PHASE, case),
    } | forms
    if standing.holds(DataCategory.IDENTITY):
        record_case_read(request.user, case, "people.person", [person.pk], channel="case overview")
    return render(request, "cases/overview.html", context, status=status)


# What moving to a phase sets in motion, said on the confirmation page (the reactions to the move are the
# capabilities' own: cases.events).
PHASE_CONSEQUENCES = {
    Phase.RELEASE_PLANNING: [
        gettext_lazy("Release planning starts: who is responsible is recomputed from the sentence."),
    ],
    Phase.COMMUNITY: [
        gettext_lazy("The person counts as released: who is responsible is recomputed from the sentence."),
        gettext_lazy("The risk management plan must be reviewed, due today."),
        gettext_lazy("The notification requirement starts, where the sentence carries one."),
        gettext_lazy(
            "If the jurisdiction requires a release conference and none is recorded, the move is refused."
        ),
    ],
    Phase.REINTEGRATION: [
        gettext_lazy(
            "Supervision ends: the case goes on with reintegration support, and its team stays as it is."
        ),
    ],
}


@require_http_methods(["GET", "POST"])
def change_phase(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Move the case to its next phase, after a confirmation page that says what follows."""
    case = get_case_for_user(request.user, case_id, category=None)
    if not case.next_phase or case.next_phase == Phase.CLOSED:
        raise Http404("No next phase")  # closing goes through the criteria and the agencies' sign-off
    if not has_capability(request.user, Capability.CHANGE_PHASE, case):
        reason = gettext(
            "Only the case lead or a manager of the lead agency can change the phase of this case."
        )
        return render(request, "403.html", {"reason": reason}, status=403)
    to = Phase(case.next_phase)
    confirmation = Confirmation(
        title=gettext("Move the case to %(phase)s?") % {"phase": to.label},
        button=gettext("Move case to %(phase)s") % {"phase": to.label},
        action=reverse("cases:change_phase", args=[case.pk]),
        cancel=reverse("cases:detail", args=[case.pk]),
        caption=gettext("Case %(reference)s · now in %(phase)s")
        % {"reference": case.reference, "phase": case.get_phase_display()},
        consequences=[
            *PHASE_CONSEQUENCES.get(to, []),
            gettext("The move, your reason and your name are on the timeline and in the audit log."),
        ],
    )
    initial = {"to_phase": to.value, "version": case.version}
    form = PhaseChangeForm(posted(request), initial=initial)
    if form.is_bound and not form.is_valid() and not form.only_visible_errors():
        messages.error(
            request, gettext("The phase change was not understood. Reload the page and try again.")
        )
        return redirect("cases:detail", case_id=case.pk)
    return confirmation.run(
        request,
        form,
        lambda data: actions.change_phase(
            case,
            by=request.user,
            to_phase=data["to_phase"],
            expected_version=data["version"],
            reason=data["reason"],
        ),
        done=gettext("The case is now in %(phase)s.") % {"phase": to.label},
        then=reverse("cases:detail", args=[case.pk]),
    )


# The timeline ------------------------------------------------------------------------------------------


@require_GET
def timeline(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The timeline section; an HTMX request (filtering, paging) gets the list alone."""
    case = get_case_for_user(request.user, case_id, category=None)
    standing = standing_on_case(request.user, case)
    category = request.GET.get("category", "")
    page = timeline_page(case, standing, category, request.GET.get("page"))
    log_timeline_shown(request, case, standing, page, channel="timeline")
    context = _timeline_context(case, standing, page, category)
    if request.htmx:
        return render(request, "cases/timeline.html#timeline", context)
    return render(request, "cases/timeline.html", context)


def _timeline_context(
    case: Case, standing: Standing, page: Page[TimelineEntry], category: str
) -> dict[str, Any]:
    return {
        "case": case,
        "standing": standing,
        "section": "timeline",
        "heading": gettext("Timeline"),
        "timeline_page": page,
        "category": category,
        "categories": DataCategory.choices,
        "note_form": NoteForm().limit_categories(standing.categories),
    }


def timeline_page(
    case: Case, standing: Standing, category: str, page_number: str | None
) -> Page[TimelineEntry]:
    """The entries of the categories the gate allows this user."""
    entries = TimelineEntry.objects.on_case_as(case, standing)
    entries = entries.select_related("author", "author_agency").newest_first()
    if category in DataCategory.values:
        entries = entries.filter(category=category)
    return paginate(entries, settings.TIMELINE_PAGE_SIZE, page_number)


def log_timeline_shown(
    request: AuthedRequest, case: Case, standing: Standing, page: Page[TimelineEntry], channel: str
) -> None:
    log_timeline_entries(request.user, case, standing, page.object_list, channel=channel)


def log_timeline_entries(
    user: User, case: Case, standing: Standing, entries: Iterable[TimelineEntry], *, channel: str
) -> None:
    record_consultation(
        by=user,
        agency=standing.agency,
        object_type="cases.timelineentry",
        shown={case.pk: [entry.pk for entry in entries]},
        justification=standing.justification,
        channel=channel,
    )


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
                occurred_at=actions.note_moment(form.cleaned_data["occurred_on"]),
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return _note_added(request, case, entry)
    return _note_refused(request, case, standing, form)


def _note_added(request: AuthedRequest, case: Case, entry: TimelineEntry) -> HttpResponse:
    if not request.htmx:
        messages.success(request, gettext("Note added to the timeline."))
        return redirect("cases:timeline", case_id=case.pk)
    entry = TimelineEntry.objects.select_related("author", "author_agency").get(pk=entry.pk)
    categories = standing_on_case(request.user, case).categories
    context = {
        "case": case,
        "entry": entry,
        "note_form": NoteForm().limit_categories(categories),
        "added": True,
    }
    return render(request, "cases/partials/note_added.html", context)


def _note_refused(request: AuthedRequest, case: Case, standing: Standing, form: NoteForm) -> HttpResponse:
    if request.htmx:
        response = render(request, "cases/partials/note_form.html", {"case": case, "note_form": form})
        # The form's own swap puts new entries atop the timeline; a refused form replaces itself instead
        # (inserted there, it would show twice).
        return reswap(retarget(response, "#note-form"), "outerHTML")
    page = timeline_page(case, standing, "", None)
    log_timeline_shown(request, case, standing, page, channel="timeline")
    context = _timeline_context(case, standing, page, "") | {"note_form": form}
    return render(request, "cases/timeline.html", context, status=400)
