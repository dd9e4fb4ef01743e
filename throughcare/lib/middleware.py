from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url


class LoginRequired(LoginRequiredMiddleware):
    """Django's login-by-default, telling HTMX to load the login page instead of swapping it into a fragment."""

    def handle_no_permission(self, request: HttpRequest, view_func: object) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Redirect"] = resolve_url("login")
            return response
        return super().handle_no_permission(request, view_func)  # type: ignore[arg-type]
