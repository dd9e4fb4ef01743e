"""Schemathesis against the API's own OpenAPI schema, as two personas of different standing: requests that
fit the schema and requests that break it (wrong types, unknown fields, out-of-range values, odd text,
stale versions, bad keys) must all get an answer below 500, in problem+json when they are refused.

`API_FUZZ_EXAMPLES` sets the examples per operation and persona; by default enough for 1,100 requests per
persona over all the operations (CI); `make fuzz-api` runs ten times more.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from throughcare.api import tokens
from throughcare.api.main import api
from throughcare.cases.models import TimelineEntry
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "0")) or -(-1100 // len(OPERATIONS))

odd_header = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)
extra_headers = st.fixed_dictionaries(
    {},
    optional={
        "If-Match": st.one_of(odd_header, st.just('"1"'), st.just('"999"')),
        "Idempotency-Key": st.one_of(odd_header, st.just("same-key")),
    },
)


def _send(client: Client, case: Any, token: str, extra: dict[str, str]) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    url = urlsplit(kwargs["url"])
    headers = {
        k: v for k, v in kwargs.get("headers", {}).items() if k.lower() not in ("authorization", "cookie")
    }
    headers |= extra | {"Authorization": f"Bearer {token}"}
    if "json" in kwargs:
        body: Any = json.dumps(kwargs["json"])
    else:
        body = kwargs.get("data") or b""
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    return client.generic(
        kwargs["method"],
        url.path,
        body if isinstance(body, bytes | str) else json.dumps(body),
        content_type=headers.pop("Content-Type", "application/json"),
        headers=headers,
        QUERY_STRING=query,
    )


def _world(cast: Cast) -> None:
    for category in ("general", "risk", "interventions", "intelligence"):
        TimelineEntry.objects.create(
            case=cast.case,
            category=category,
            nature="fact",
            body=f"Entry in {category}",
            occurred_at=timezone.now(),
            author=cast.lead,
        )


@pytest.mark.parametrize("operation", OPERATIONS, ids=[f"{o.method.upper()} {o.path}" for o in OPERATIONS])
@pytest.mark.parametrize("persona", ["lead", "mentor"])
def test_no_request_gets_a_server_error(cast: Cast, roomy_rate: None, persona: str, operation: Any) -> None:
    _world(cast)
    user = getattr(cast, persona)
    _, token = tokens.issue(user, name="fuzz", scope="write", days=1, by=user)
    client = Client(raise_request_exception=False)
    real_case = {"case_id": cast.case.pk}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real_case),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real_case),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, extra=extra_headers)
    def check(case: Any, extra: dict[str, str]) -> None:
        cache.clear()  # the rate limit is tested on its own
        response = _send(client, case, token, extra)
        assert response.status_code < 500, (case.method, case.formatted_path, response.content[:500])
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", response.content[:200]

    check()


@pytest.fixture
def roomy_rate(settings: Any) -> None:
    settings.API_RATE = "100000/m"
