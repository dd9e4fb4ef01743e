"""Idempotency keys on creates (`Idempotency-Key` header): a retried POST gets the first answer again
instead of creating twice. The answer is stored in the transaction of the create, so a create that rolled
back leaves no answer and may be retried."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Status

from throughcare.accounts.models import User
from throughcare.api.models import IdempotentResponse
from throughcare.api.problems import Problem

KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(request.method.encode() + request.path.encode() + b"\n" + request.body).hexdigest()  # type: ignore[union-attr]


def create(
    request: HttpRequest, response: HttpResponse, run: Callable[[], tuple[dict[str, Any], str]]
) -> Status[dict[str, Any]]:
    """Run `run` (which returns the created record as JSON and its address) once per key; answer 201."""
    key = request.headers.get("Idempotency-Key")
    user: User = request.user  # type: ignore[assignment]
    if key is None:
        body, location = run()
        response["Location"] = location
        return Status(201, body)
    if not KEY.match(key):
        raise Problem(
            400, gettext("Idempotency-Key must be 1 to 200 printable ASCII characters without spaces")
        )
    fingerprint = _fingerprint(request)
    earlier = IdempotentResponse.objects.filter(user=user, key=key).first()
    if earlier is not None:
        return _replay(earlier, fingerprint, response)
    try:
        with transaction.atomic():
            body, location = run()
            IdempotentResponse.objects.create(
                user=user, key=key, fingerprint=fingerprint, status=201, body=body, location=location
            )
    except IntegrityError as clash:
        if not IdempotentResponse.objects.filter(user=user, key=key).exists():
            raise
        raise Problem(
            409, gettext("A request with this Idempotency-Key is being handled; retry in a moment")
        ) from clash
    response["Location"] = location
    return Status(201, body)


def _replay(earlier: IdempotentResponse, fingerprint: str, response: HttpResponse) -> Status[dict[str, Any]]:
    if earlier.fingerprint != fingerprint:
        raise Problem(
            422, gettext("This Idempotency-Key was used for another request; use a new key for a new record")
        )
    response["Idempotent-Replayed"] = "true"
    if earlier.location:
        response["Location"] = earlier.location
    return Status(earlier.status, earlier.body)
