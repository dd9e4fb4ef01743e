from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseRedirect
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
