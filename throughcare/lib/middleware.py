from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url


class LoginRequired(LoginRequiredMiddleware):
    """Django's login-by-default; tells HTMX to load the login page rather than swap it into a fragment."""

    def handle_no_permission(self, request: HttpRequest, view_func: object) -> HttpResponseRedirect:
        if request.headers.get("HX-Request") == "true":
            # A 401 with HX-Redirect makes HTMX load the login page as a whole page.
            response = HttpResponseRedirect(resolve_url("login"), status=401)
            response["HX-Redirect"] = resolve_url("login")
            return response
        return super().handle_no_permission(request, view_func)  # type: ignore[arg-type]


class NoStore:
    """What a signed-in user sees, and every API answer, is never kept by a browser or a shared cache: the
    back button on a shared computer must not show a case after sign-out (`Cache-Control: no-store`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store, private"
        return response
