"""The confirmation step before an action that cannot be undone or that locks a record (GOV.UK's "check
and confirm" pattern): the action's URL shows, on GET, what will happen and the form that does it; the
POST runs it through `lib.forms.submit`, and a refusal shows the same page again with the reason next to
the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from throughcare.lib.forms import submit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Confirmation:
    title: str  # a question: "Withdraw consent for Exit NGO?" (in the reader's language, as all below)
    button: str  # what the button does: "Withdraw consent"
    action: str  # the URL the form posts to (the page's own)
    cancel: str  # where Cancel and Back go
    consequences: list[StrOrPromise] = field(default_factory=list)
    caption: str = ""
    warning: str = ""
    destructive: bool = False
    shown: Callable[[], object] | None = None  # logs what the page shows (e.g. the entry to erase)

    def run(
        self,
        request: HttpRequest,
        form: forms.Form,
        action: Callable[[dict[str, Any]], object],
        *,
        done: str,
        then: str,
    ) -> HttpResponse:
        """GET: the page. POST: the action through `submit`; refused, the page again with the reason."""
        if request.method == "GET":
            return self.page(request, form)
        return submit(request, form, action, done=done, then=then, again=lambda: self.page(request, form))

    def page(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        if self.shown is not None:
            self.shown()
        context: dict[str, Any] = {k: v for k, v in self.__dict__.items() if k != "shown"} | {"form": form}
        return render(request, "confirm.html", context, status=400 if request.method == "POST" else 200)


def posted(request: HttpRequest) -> QueryDict | None:
    """The data a confirmation page's form is bound to: what was posted (even nothing: a bare button), or
    None to show it unbound."""
    return request.POST if request.method == "POST" else None
