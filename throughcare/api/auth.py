"""Who is calling: a bearer token (a person's or a service account's), or the signed-in session (reads;
writes only with the CSRF token, as a form would send it). Calls are limited per token."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from throughcare.api import tokens
from throughcare.api.models import ApiToken, Scope
from throughcare.api.problems import Problem
from throughcare.workspace import signin


class TokenAuth(HttpBearer):
    openapi_description = "A personal access token or a service account's token: `Authorization: Bearer tc_…`"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class SignedIn(SessionAuth):
    """The browser session of a signed-in person (the interactive docs); unsafe methods need CSRF."""

    openapi_description = "The session of a person signed in to the pages (reads; writes need CSRF)"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "Authorization" in request.headers:
            return None  # a call that sends a token is judged by its token alone, not by a session beside it
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "kind", "person") != "person":
            return None
        if user is not None and signin.owes_code(request):
            return None  # signed in with the password but not yet the second factor their access needs
        return user


AUTH = [TokenAuth(), SignedIn()]


def require_write_scope(request: HttpRequest) -> None:
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and token.scope != Scope.WRITE:
        raise Problem(403, gettext("This token is read only; ask for a token with the write scope"))


class PerToken(SimpleRateThrottle):
    """`API_RATE` calls per token (or per signed-in user), counted in the cache."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(settings.API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE  # read on each call: the setting may change while the process runs
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token: ApiToken | None = getattr(request, "api_token", None)
        if token is not None:
            return f"throttle-api-token-{token.pk}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"throttle-api-user-{user.pk}"
        return f"throttle-api-ip-{self.get_ident(request)}"
