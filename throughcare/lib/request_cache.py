"""A cache that lives for one request, so facts about the signed-in user are read once per request.

Outside a request (management commands, tests calling actions directly) nothing is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_cache: ContextVar[dict[Any, Any] | None] = ContextVar("throughcare_request_cache", default=None)


def cached(key: Any, compute: Callable[[], T]) -> T:
    store = _cache.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def forget() -> None:
    """Drop what was cached in this request (after a change the rest of the request must see)."""
    store = _cache.get()
    if store is not None:
        store.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
