"""A cache that lives for one request, so facts about the signed-in user are read once per request.

Outside a request (management commands, tests calling actions directly) nothing is cached. A request that
only reads (GET, HEAD, OPTIONS) is marked so: what it decides once may be kept for the whole request, since
nothing it does can change it; a request that writes asks the database again after its change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_cache: ContextVar[dict[Any, Any] | None] = ContextVar("throughcare_request_cache", default=None)
_READS_ONLY = object()  # the key under which a request marks that it only reads
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cached(key: Any, compute: Callable[[], T]) -> T:
    store = _cache.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def peek(key: Any) -> Any:
    """What this request has cached under `key`, or None."""
    store = _cache.get()
    return None if store is None else store.get(key)


def forget() -> None:
    """Drop what was cached in this request (after a change the rest of the request must see)."""
    store = _cache.get()
    if store is not None:
        reads_only = store.get(_READS_ONLY, False)
        store.clear()
        store[_READS_ONLY] = reads_only


def reads_only() -> bool:
    """Whether this is a request that changes nothing (outside a request: no)."""
    store = _cache.get()
    return store is not None and bool(store.get(_READS_ONLY, False))


@contextmanager
def request_scope(*, method: str) -> Iterator[None]:
    """A fresh cache for one request made with this HTTP method."""
    token = _cache.set({_READS_ONLY: method.upper() in SAFE_METHODS})
    try:
        yield
    finally:
        _cache.reset(token)


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope(method=request.method or "GET"):
            return self.get_response(request)
