"""The JSON API, version 1 (`/api/v1/`): its schema at `/api/v1/openapi.json`, its docs at
`/api/v1/docs` (served from here). See docs/api.md."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext
from ninja import NinjaAPI

from throughcare.api import cases, events_api, me, problems, records, work
from throughcare.api.auth import AUTH, PerToken
from throughcare.audit import log as audit

api = NinjaAPI(
    title="Throughcare API",
    version="1",
    description=(
        "One continuous, multi-agency case, for the systems agencies already run. Every call passes the "
        "same need-to-know gate as the pages and is logged; what you may not see answers 404, like "
        "missing. Errors are `application/problem+json` (RFC 9457). See docs/api.md."
    ),
    auth=AUTH,
    throttle=[PerToken()],
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", cases.router)
api.add_router("/me", me.router)
api.add_router("", events_api.router)
api.add_router("", records.router)
api.add_router("", records.public)
api.add_router("", work.router)


def urlpatterns() -> list[URLPattern]:
    """The API's URLs. The API answers 401 itself (the pages' sign-in redirect does not apply), and every
    change made through it is audited as coming through the API."""
    patterns, _, _ = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(_through_api(pattern.callback))
    return [*patterns, re_path(r"^.*$", login_not_required(_unknown), name="unknown")]  # type: ignore[list-item]


def _unknown(request: HttpRequest) -> HttpResponse:
    """Any other address under the API answers in the API's own format."""
    return problems.problem(
        request, 404, gettext("No such address in the API: see /api/v1/docs for what there is")
    )


def _through_api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def call(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            with audit.through("api"):
                response = view(request, *args, **kwargs)
        except Http404:
            return _unknown(request)  # the API's root, which has no page of its own
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            problems.CONTENT_TYPE
        ):
            allowed = response.get("Allow", "")
            answer = problems.problem(
                request,
                405,
                gettext("This address answers %(methods)s") % {"methods": allowed}
                if allowed
                else gettext("This address answers other methods"),
            )
            answer["Allow"] = allowed
            return answer
        return response

    return call
