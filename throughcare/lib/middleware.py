from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import translation


class LoginRequired(LoginRequiredMiddleware):
    """Django's login-by-default; tells HTMX to load the login page rather than swap it into a fragment."""

    def handle_no_permission(self, request: HttpRequest, view_func: object) -> HttpResponseRedirect:
        if request.headers.get("HX-Request") == "true":
            # A 401 with HX-Redirect makes HTMX load the login page as a whole page.
            response = HttpResponseRedirect(resolve_url("login"), status=401)
            response["HX-Redirect"] = resolve_url("login")
            return response
        return super().handle_no_permission(request, view_func)  # type: ignore[arg-type]


class UserLanguage:
    """The interface language a signed-in person chose (`User.language`, set by the language switcher)
    wins over their browser's, on every device they sign in on. Runs after authentication; Django's
    LocaleMiddleware has chosen from the cookie or the browser before, and names the language in the
    response's `Content-Language`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen and chosen != request.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


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


class SessionLimits:
    """A session ends after `SESSION_IDLE_MINUTES` without a request, and in any case `SESSION_COOKIE_AGE`
    after sign-in (the cookie's own age is renewed with each save, so the lifetime is kept here too). The
    person is sent to sign in again, told why."""

    TOUCH_SECONDS = 60  # the last-seen time is written at most once a minute, not on every request

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request)
            if ended:
                logout(request)
                messages.info(request, ended)
            else:
                self._touch(request)
        return self.get_response(request)

    def _ended(self, request: HttpRequest) -> str:
        now = time.time()
        session = request.session
        began = session.setdefault("signed_in_at", now)
        last = session.get("last_seen_at", now)
        if now - began > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return f"You were signed out: a session lasts at most {hours} hours. Sign in again."
        if now - last > settings.SESSION_IDLE_MINUTES * 60:
            return (
                f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity. "
                "Sign in again."
            )
        return ""

    @staticmethod
    def started(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
        """On sign-in (Django's `user_logged_in`): the lifetime counts from now."""
        request.session["signed_in_at"] = request.session["last_seen_at"] = time.time()

    def _touch(self, request: HttpRequest) -> None:
        now = time.time()
        if now - request.session.get("last_seen_at", 0) >= self.TOUCH_SECONDS:
            request.session["last_seen_at"] = now


class RefuseNulInAddress:
    """A NUL byte in a page address's query is never meant (no form sends one there): answered 400, before
    any view or the administration's filters pass it to PostgreSQL, which refuses it in text. Forms report
    a NUL in a field next to the field; the API validates its own parameters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")) and not request.path.startswith("/api/"):
            raise BadRequest("A NUL byte in the address")
        return self.get_response(request)
