from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.models import Case, TimelineEntry
from throughcare.lib.confirm import Confirmation, posted
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.lib.paging import paginate
from throughcare.lib.pdf import pdf_response
from throughcare.rights import report
from throughcare.rights.forms import EraseForm, IncludeIntelligenceForm, OpenRequestForm, RestrictForm
from throughcare.rights.models import SubjectAccessRequest


def _handler_only(request: AuthedRequest) -> None:
    if not report.handles_subject_access(request.user):
        raise Http404("Not found")


REQUESTS_PAGE_SIZE = 50  # the DPO's requests a page: every one reachable, however many the years bring


@require_http_methods(["GET", "POST"])
def requests(request: AuthedRequest) -> HttpResponse:
    _handler_only(request)
    form = OpenRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(reference__iexact=form.cleaned_data["reference"].strip()).first()
        if case is None:
            form.add_error("reference", gettext("There is no case with that reference"))
        else:
            opened = report.open_request(
                case.person,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                how_received=form.cleaned_data["how_received"],
            )
            return redirect("rights:detail", request_id=opened.pk)
    status = 400 if request.method == "POST" else 200
    rows = SubjectAccessRequest.objects.select_related("person", "opened_by")  # newest received first
    page = paginate(rows, REQUESTS_PAGE_SIZE, request.GET.get("page"))
    context = {"form": form, "requests": page.object_list, "page": page}
    return render(request, "rights/requests.html", context, status=status)


@require_http_methods(["GET", "POST"])
def detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    _handler_only(request)
    access_request = get_object_or_404(SubjectAccessRequest.objects.select_related("person"), pk=request_id)
    if request.method == "GET":
        return _detail_page(request, access_request)
    form = RestrictForm(request.POST)
    return submit(
        request,
        form,
        lambda data: report.restrict(
            access_request,
            by=request.user,
            category=data["category"],
            ground=data["ground"],
            reasons=data["reasons"],
            tell_person=data["tell_person"],
        ),
        done=gettext("Restriction recorded. That category is left out of the person's copy."),
        then=reverse("rights:detail", args=[access_request.pk]),
        again=lambda: _detail_page(request, access_request, form=form),
    )


def _detail_page(
    request: AuthedRequest,
    access_request: SubjectAccessRequest,
    *,
    form: RestrictForm | None = None,
    intelligence_form: IncludeIntelligenceForm | None = None,
) -> HttpResponse:
    built = report.build(access_request, by=request.user, for_person=False)
    status = 400 if request.method == "POST" else 200
    context = {
        "report": built,
        "form": form or RestrictForm(),
        "intelligence_form": intelligence_form or IncludeIntelligenceForm(),
    }
    return render(request, "rights/detail.html", context, status=status)


@require_POST
def include_intelligence(request: AuthedRequest, request_id: int) -> HttpResponse:
    """The DPO's recorded decision that the person's copy includes intelligence."""
    _handler_only(request)
    access_request = get_object_or_404(SubjectAccessRequest.objects.select_related("person"), pk=request_id)
    form = IncludeIntelligenceForm(request.POST)
    return submit(
        request,
        form,
        lambda data: report.include_intelligence(access_request, by=request.user, reason=data["reason"]),
        done=gettext("Recorded: the person's copy includes intelligence."),
        then=reverse("rights:detail", args=[access_request.pk]),
        again=lambda: _detail_page(request, access_request, intelligence_form=form),
    )


@require_http_methods(["GET", "POST"])
def erase(request: AuthedRequest, request_id: int, entry_id: int) -> HttpResponse:
    """Erasing cannot be undone: a confirmation page shows the entry and asks for the reason."""
    _handler_only(request)
    access_request = get_object_or_404(SubjectAccessRequest, pk=request_id)
    entry = get_object_or_404(
        TimelineEntry.objects.select_related("author_agency", "case"),
        pk=entry_id,
        case__person=access_request.person,
    )
    back = reverse("rights:detail", args=[access_request.pk])
    confirmation = Confirmation(
        title=gettext("Erase this entry?"),
        button=gettext("Erase the entry"),
        action=reverse("rights:erase", args=[access_request.pk, entry.pk]),
        cancel=back,
        caption=" · ".join(
            [
                gettext("Case %(reference)s") % {"reference": entry.case.reference},
                entry.get_category_display(),
                date_format(timezone.localtime(entry.occurred_at), "SHORT_DATE_FORMAT"),
                *([entry.author_agency.label] if entry.author_agency else []),
            ]
        ),
        consequences=[
            gettext("The entry is gone for everyone: “%(entry)s”")
            % {"entry": Truncator(str(entry.body)).chars(301)},
            gettext(
                "The timeline says that an entry was erased, when and why — without its content or author."
            ),
            gettext("The audit log records the erasure without the content."),
        ],
        warning=gettext("An erasure cannot be undone."),
        destructive=True,
        shown=lambda: report.record_erasure_review(entry, by=request.user),
    )
    return confirmation.run(
        request,
        EraseForm(posted(request)),
        lambda data: report.erase_entry(entry, by=request.user, reason=data["reason"]),
        done=gettext("The entry was erased. The audit log records the erasure without its content."),
        then=back,
    )


@require_GET
def letter(request: AuthedRequest, request_id: int) -> HttpResponse:
    """The person's copy, printable: restricted parts left out, the grounds said where allowed."""
    _handler_only(request)
    access_request = get_object_or_404(SubjectAccessRequest.objects.select_related("person"), pk=request_id)
    built = report.build(access_request, by=request.user, for_person=True)
    return render(request, "rights/letter.html", {"report": built})


@require_GET
def letter_pdf(request: AuthedRequest, request_id: int) -> HttpResponse:
    """The person's copy as a PDF, to send: a disclosure to the person, of each of their cases."""
    _handler_only(request)
    access_request = get_object_or_404(SubjectAccessRequest.objects.select_related("person"), pk=request_id)
    built = report.build(access_request, by=request.user, for_person=True)
    recipient = f"{access_request.person.full_name} (the person's copy)"
    with transaction.atomic():
        for case in built.cases:
            record(
                Operation.DISCLOSURE,
                access_request,
                by=request.user,
                agency=request.user.primary_agency(),
                case_id=case.pk,
                justification="subject access: the person's copy",
                recipients=[recipient],
                details={"document": "subject access report"},
            )
    return pdf_response(
        request,
        title=gettext("Your information – %(name)s") % {"name": access_request.person.full_name},
        body="rights/letter.html#body",
        context={"report": built},
        recipients=recipient,
        filename=f"subject-access-{access_request.pk}.pdf",
    )
