from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from throughcare.accounts.models import User
from throughcare.api import tokens
from throughcare.api.models import OutboxEvent
from throughcare.test import Cast


@pytest.fixture(autouse=True)
def no_earlier_events(cast: Cast) -> None:
    """The events of setting up a test's world (the cast's case was opened) are not the test's."""
    OutboxEvent.objects.update(fanned_out=True)


class Api:
    """A partner system calling the API with a bearer token."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: Any = None, *, raw: str | None = None, **environ: str) -> Any:
        """`environ`: headers as WSGI names, e.g. HTTP_IF_MATCH."""
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **environ)  # type: ignore[arg-type]


@pytest.fixture
def api_for(db: None) -> Callable[..., Api]:
    def make(user: User, scope: str = "write", days: int = 30) -> Api:
        _, raw = tokens.issue(user, name="test system", scope=scope, days=days, by=user)
        return Api(raw)

    return make
