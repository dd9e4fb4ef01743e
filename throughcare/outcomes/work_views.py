"""The analysts' statistics work and the publishers' approvals. Nothing here shows a row or an unprotected
count: measures are previewed through the same protection as publication. Anyone without the capability
finds nothing (404), as for a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.cases.standing import Capability
from throughcare.lib.errors import ActionRefused
from throughcare.lib.forms import run_action, submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.routers import replica_reads
from throughcare.outcomes import figures, publishing
from throughcare.outcomes.forms import MeasureForm, NoticeForm, ReleaseForm, SendBackForm
from throughcare.outcomes.models import Extract, MeasureDefinition, ReferenceStudy, Release, ReleaseStatus
from throughcare.outcomes.public_views import measures_with_alt
from throughcare.outcomes.reading import as_read
from throughcare.sharing.access import has_capability


def _analyst(request: AuthedRequest) -> None:
    if not has_capability(request.user, Capability.COMPUTE_STATISTICS):
        raise Http404("No statistics work")


def _analyst_or_publisher(request: AuthedRequest) -> bool:
    """Whether the user publishes (True) or prepares (False); neither: 404."""
    if has_capability(request.user, Capability.PUBLISH_STATISTICS):
        return True
    _analyst(request)
    return False


@require_GET
def work(request: AuthedRequest) -> HttpResponse:
    return _work_page(request)


def _work_page(
    request: AuthedRequest, refused: dict[str, forms.BaseForm] | None = None, status: int = 200
) -> HttpResponse:
    publisher = _analyst_or_publisher(request)
    refused = refused or {}
    context: dict[str, Any] = {
        "publisher": publisher,
        "analyst": has_capability(request.user, Capability.COMPUTE_STATISTICS),
        "measures": MeasureDefinition.objects.select_related("extract"),
        "releases": Release.objects.select_related("prepared_by", "approved_by").order_by("slug", "-version"),
        "extracts": Extract.objects.all(),
        "studies": ReferenceStudy.objects.all(),
        "measure_form": refused.get("measure") or MeasureForm(auto_id="measure-%s"),
        "release_form": refused.get("release") or ReleaseForm(auto_id="release-%s"),
        "refused": next(iter(refused.values()), None),
    }
    return render(request, "outcomes/work.html", context, status=status)


@require_POST
def new_measure(request: AuthedRequest) -> HttpResponse:
    _analyst(request)
    form = MeasureForm(request.POST, auto_id="measure-%s")
    if form.is_valid():
        measure = form.save(commit=False)
        measure.created_by = request.user
        measure.save()
        messages.success(
            request,
            gettext("Measure “%(name)s” saved. Preview its protected figures below.")
            % {"name": measure.name},
        )
        return redirect(reverse("outcomes:preview", args=[measure.pk]))
    return _work_page(request, {"measure": form}, status=400)


@require_GET
@replica_reads
def preview(request: AuthedRequest, measure_id: int) -> HttpResponse:
    _analyst(request)
    measure = get_object_or_404(MeasureDefinition, pk=measure_id)
    try:
        computed: dict[str, Any] | None = as_read(figures.compute([measure], by=request.user))
        problem = ""
    except ActionRefused as refused:
        computed, problem = None, refused.message
    context = {
        "measure": measure,
        "computed": computed,
        "measures": measures_with_alt(computed or {}),
        "problem": problem,
    }
    return render(request, "outcomes/preview.html", context, status=200 if computed else 400)


@require_POST
def new_release(request: AuthedRequest) -> HttpResponse:
    _analyst(request)
    form = ReleaseForm(request.POST, auto_id="release-%s")
    made: list[Release] = []
    return submit(
        request,
        form,
        lambda data: made.append(publishing.draft(publishing.ReleaseInput(**data), by=request.user)),
        done=gettext("Release drafted. Submit it when the figures are right: a publisher approves it."),
        then=lambda: reverse("outcomes:work_release", args=[made[0].pk]),
        again=lambda: _work_page(request, {"release": form}, status=400),
    )


@require_GET
def work_release(request: AuthedRequest, release_id: int) -> HttpResponse:
    return _release_page(request, release_id)


def _release_page(
    request: AuthedRequest, release_id: int, refused: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    publisher = _analyst_or_publisher(request)
    release = get_object_or_404(
        Release.objects.select_related("prepared_by", "approved_by", "corrects"), pk=release_id
    )
    refused = refused or {}
    context = {
        "release": release,
        "publisher": publisher,
        "analyst": has_capability(request.user, Capability.COMPUTE_STATISTICS),
        "computed": as_read(release.content) if release.content else None,
        "measures": measures_with_alt(as_read(release.content or {})),
        "mine": release.prepared_by_id == request.user.pk,
        "epsilon_spent": sum(s.epsilon for s in release.spends.all()),
        "notice_form": refused.get("notice") or NoticeForm(auto_id="notice-%s"),
        "send_back_form": refused.get("send_back") or SendBackForm(auto_id="send-back-%s"),
        "refused": next(iter(refused.values()), None),
        "ReleaseStatus": ReleaseStatus,
    }
    return render(request, "outcomes/work_release.html", context, status=status)


def _step(request: AuthedRequest, release_id: int, step: Any, done: str) -> HttpResponse:
    release = get_object_or_404(Release, pk=release_id)
    form = forms.Form(request.POST)
    if run_action(form, lambda: step(release)):
        messages.success(request, done)
    else:
        messages.error(
            request,
            gettext("%(errors)s Nothing was changed.")
            % {"errors": " ".join(str(e) for e in form.non_field_errors())},
        )
    return redirect(reverse("outcomes:work_release", args=[release.pk]))


@require_POST
def submit_release(request: AuthedRequest, release_id: int) -> HttpResponse:
    _analyst(request)
    return _step(
        request,
        release_id,
        lambda r: publishing.submit(r, by=request.user),
        "Submitted. The figures are computed, protected and frozen; a publisher approves them next.",
    )


@require_POST
def approve_release(request: AuthedRequest, release_id: int) -> HttpResponse:
    _analyst_or_publisher(request)
    return _step(
        request,
        release_id,
        lambda r: publishing.approve(r, by=request.user),
        "Published. The release is on the public statistics pages.",
    )


@require_POST
def send_back_release(request: AuthedRequest, release_id: int) -> HttpResponse:
    _analyst_or_publisher(request)
    release = get_object_or_404(Release, pk=release_id)
    form = SendBackForm(request.POST, auto_id="send-back-%s")
    return submit(
        request,
        form,
        lambda data: publishing.send_back(release, by=request.user, reason=data["reason"]),
        done=gettext("Sent back to the analyst as a draft."),
        then=reverse("outcomes:work_release", args=[release.pk]),
        again=lambda: _release_page(request, release.pk, {"send_back": form}, status=400),
    )


@require_POST
def correct_release(request: AuthedRequest, release_id: int) -> HttpResponse:
    _analyst(request)
    release = get_object_or_404(Release, pk=release_id)
    form = NoticeForm(request.POST, auto_id="notice-%s")
    made: list[Release] = []
    return submit(
        request,
        form,
        lambda data: made.append(publishing.correct(release, by=request.user, notice=data["notice"])),
        done=gettext("A corrected version is drafted with your notice. Submit it for approval."),
        then=lambda: reverse("outcomes:work_release", args=[made[0].pk]),
        again=lambda: _release_page(request, release.pk, {"notice": form}, status=400),
    )
