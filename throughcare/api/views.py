"""Your account: the API tokens you made — made here, shown once, listed, revoked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from throughcare.api import tokens
from throughcare.api.forms import TokenForm
from throughcare.api.models import ApiToken
from throughcare.lib.forms import submit
from throughcare.lib.http import AuthedRequest
from throughcare.workspace import signin


@require_GET
def account(request: AuthedRequest) -> HttpResponse:
    return _page(request, TokenForm())


def _page(request: AuthedRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "tokens": list(ApiToken.objects.filter(user=request.user)),
        "new_token": request.session.pop("new_api_token", None),
        "api_docs": reverse("api-1:openapi-view"),
        "second_factor": signin.status(request.user),
    }
    return render(request, "api/account.html", context, status=status)


@require_POST
def new_token(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)

    def make(data: dict[str, Any]) -> None:
        _, raw = tokens.issue(
            request.user, name=data["name"], scope=data["scope"], days=data["days"], by=request.user
        )
        request.session["new_api_token"] = raw

    return submit(
        request,
        form,
        make,
        done=gettext("Your token is ready. Copy it now: it is shown only once."),
        then=reverse("api:account") + "#new-token",
        again=lambda: _page(request, form, status=400),
    )


@require_POST
def revoke_token(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    tokens.revoke(token, by=request.user)
    messages.success(
        request,
        gettext("The token %(prefix)s… is revoked. Calls made with it are refused.")
        % {"prefix": token.prefix},
    )
    return redirect(reverse("api:account") + "#tokens")
