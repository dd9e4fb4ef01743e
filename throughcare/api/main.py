"""The JSON API, version 1 (`/api/v1/`): its schema at `/api/v1/openapi.json`, its docs at
`/api/v1/docs` (served from here). See docs/api.md."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern
from ninja import NinjaAPI

from throughcare.api import cases, me, problems
from throughcare.api.auth import AUTH, PerToken

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


def urlpatterns() -> list[URLPattern]:
    """The API's URLs. The API answers 401 itself: the pages' sign-in redirect does not apply."""
    patterns, _, _ = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns  # type: ignore[return-value]
