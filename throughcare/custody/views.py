"""Sentence pages. The case is fetched through the gate; sentence data is legal-category data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.cases.models import Case, DataCategory
from throughcare.custody import actions, handover
from throughcare.custody.forms import AbandonHandoverForm, ChangeDatesForm, OverrideForm, SentenceForm
from throughcare.custody.models import Handover, HandoverItem, HandoverState, Offence, Sentence
from throughcare.lib.conflicts import Conflict, conflict, rebased
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.forms import run_action, submit
from throughcare.lib.http import AuthedRequest
from throughcare.sharing.access import get_case_for_user, record_case_read, standing_on_case


@require_GET
def section(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _section_page(request, case_id)


def _section_page(
    request: AuthedRequest,
    case_id: int,
    *,
    abandon_form: AbandonHandoverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Custody and licence: the sentence and who is responsible, the offences, the handover."""
    case = get_case_for_user(request.user, case_id, category=DataCategory.LEGAL)
    standing = standing_on_case(request.user, case)
    sentence = Sentence.objects.on_case_as(case, standing).select_related("profile").first()
    offences = list(Offence.objects.on_case_as(case, standing)) if sentence else []
    handover_now = Handover.objects.on_case_as(case, standing).filter(state__in=OPEN_HANDOVER).first()
    items = list(
        HandoverItem.objects.on_case_as(case, standing)
        .filter(handover__state__in=OPEN_HANDOVER)
        .select_related("owner")
    )
    context = {
        "case": case,
        "standing": standing,
        "section": "custody",
        "heading": gettext("Custody and licence"),
        "sentence": sentence,
        "offences": offences,
        "override": sentence.overrides.filter(lifted_at__isnull=True).first() if sentence else None,
        "handover": handover_now,
        "handover_items": items,
        "phase_changes": list(case.phase_changes.select_related("changed_by")),
        "abandon_form": abandon_form or AbandonHandoverForm(auto_id="abandon-%s"),
        "refused": abandon_form,
        "today": timezone.localdate(),
    }
    record_case_read(
        request.user,
        case,
        "custody.sentence",
        [sentence.pk] if sentence else [],
        channel="custody and licence",
    )
    return render(request, "custody/section.html", context, status=status)


OPEN_HANDOVER = [HandoverState.CREATED, HandoverState.ACCEPTED]


def _legal_case(request: AuthedRequest, case_id: int, *, write: bool = True) -> Case:
    return get_case_for_user(request.user, case_id, category=DataCategory.LEGAL, write=write)


def _sentence(case: Case) -> Sentence:
    sentence: Sentence | None = Sentence.objects.filter(case=case).select_related("profile").first()
    if sentence is None:
        raise Http404("No sentence recorded")
    return sentence


def _page(
    request: AuthedRequest, case: Case, form: Any, heading: str, button: str, changed: Conflict | None = None
) -> HttpResponse:
    status = 409 if changed else 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "heading": heading, "button": button, "conflict": changed}
    return render(request, "custody/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def record_sentence(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    if Sentence.objects.filter(case=case).exists():
        return redirect("custody:change_dates", case_id=case.pk)
    form = SentenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = actions.SentenceDetails(
            **{name: data[name] for name in actions.SentenceDetails.__dataclass_fields__}
        )
        offence = Offence(
            description=data["offence"],
            terrorism_offence=data["terrorism_offence"],
            terrorist_connection=data["terrorist_connection"],
        )
        if run_action(
            form,
            lambda: actions.record_sentence(
                case, details, [offence], by=request.user, profile=data["profile"]
            ),
        ):
            messages.success(
                request, gettext("Sentence recorded. Responsibility and the handover date are computed.")
            )
            return redirect("custody:section", case_id=case.pk)
    return _page(request, case, form, gettext("Record the sentence"), gettext("Record sentence"))


@require_http_methods(["GET", "POST"])
def change_dates(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    sentence = _sentence(case)
    initial = {
        name: getattr(sentence, name) for name in ChangeDatesForm.base_fields if hasattr(sentence, name)
    }
    form = ChangeDatesForm(request.POST or None, initial=initial | {"version": sentence.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_dates(
                sentence,
                form.changes(),
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as refused:
            sentence.refresh_from_db()
            now = {name: getattr(sentence, name) for name in initial}
            changed = conflict(form, now, refused.message)
            form = ChangeDatesForm(rebased(request.POST, sentence.version))
            form.is_valid()
            return _page(
                request, case, form, gettext("Change sentence dates"), gettext("Save dates"), changed=changed
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, gettext("Dates saved. Responsibility was recomputed."))
            return redirect("custody:section", case_id=case.pk)
    return _page(request, case, form, gettext("Change sentence dates"), gettext("Save dates"))


@require_http_methods(["GET", "POST"])
def override(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id, write=False)
    sentence = _sentence(case)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.override_responsibility(
                sentence, by=request.user, responsibility=data["responsibility"], reason=data["reason"]
            ),
        ):
            messages.success(
                request,
                gettext("Responsibility set by your decision. The rules no longer apply until lifted."),
            )
            return redirect("custody:section", case_id=case.pk)
    return _page(request, case, form, gettext("Override responsibility"), gettext("Save decision"))


@require_POST
def lift_override(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id, write=False)
    try:
        actions.lift_override(_sentence(case), by=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, gettext("Override lifted: the rules decide again."))
    return redirect("custody:section", case_id=case.pk)


# Handover ------------------------------------------------------------------------------------------


def _handover_step(
    request: AuthedRequest, case_id: int, step: Callable[[Case], Any], done: str | Callable[[Any], str]
) -> HttpResponse:
    """Run one step of the handover on the case the gate gave; `done` may say what the step returned."""
    case = _legal_case(request, case_id)
    try:
        result = step(case)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(f"{reverse('custody:section', args=[case.pk])}#handover")


def _open_handover(case: Case) -> Handover:
    handover: Handover | None = Handover.objects.filter(
        case=case, state__in=[HandoverState.CREATED, HandoverState.ACCEPTED]
    ).first()
    if handover is None:
        raise ActionRefused(gettext("There is no open handover on this case."))
    return handover


@require_POST
def start_handover(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _handover_step(
        request,
        case_id,
        lambda case: handover.start_handover(case, by=request.user),
        "Handover started. Each item has an owner and a due date.",
    )


@require_POST
def accept_handover(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _handover_step(
        request,
        case_id,
        lambda case: handover.accept_handover(_open_handover(case), by=request.user),
        "Handover accepted.",
    )


@require_POST
def complete_item(request: AuthedRequest, case_id: int, item_id: int) -> HttpResponse:
    def step(case: Case) -> HandoverItem:
        items = HandoverItem.objects.filter(pk=item_id, handover__case=case).select_related("handover")
        item: HandoverItem | None = items.first()
        if item is None:
            raise ActionRefused(gettext("That item is not on this case's handover."))
        handover.complete_item(item, by=request.user)
        return item

    return _handover_step(request, case_id, step, lambda item: f"Marked as done: {item.title}.")


@require_POST
def complete_handover(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _handover_step(
        request,
        case_id,
        lambda case: handover.complete_handover(_open_handover(case), by=request.user),
        "Handover completed.",
    )


@require_POST
def abandon_handover(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _legal_case(request, case_id)
    form = AbandonHandoverForm(request.POST, auto_id="abandon-%s")
    return submit(
        request,
        form,
        lambda data: handover.abandon_handover(_open_handover(case), by=request.user, reason=data["reason"]),
        done=gettext("Handover abandoned."),
        then=reverse("custody:section", args=[case.pk]) + "#handover",
        again=lambda: _section_page(request, case.pk, abandon_form=form, status=400),
    )
