"""Cursor pagination: a page ends with an opaque cursor naming the last row's position, so a list that
grows while a partner system walks it neither repeats nor skips a row."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext

from throughcare.api.problems import Problem

M = TypeVar("M", bound=Model)


def encode(*values: Any) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise Problem(400, gettext("The cursor is not one this API gave; start again without it")) from error
    if not isinstance(values, list) or len(values) != size:
        raise Problem(400, gettext("The cursor is not one this API gave; start again without it"))
    return values


def limit_or_default(limit: int | None) -> int:
    return limit or min(50, settings.API_PAGE_MAX)


def by_pk(rows: QuerySet[M], cursor: str | None, limit: int | None) -> tuple[list[M], str | None]:
    """Oldest first by id."""
    size = limit_or_default(limit)
    if cursor:
        (after,) = decode(cursor, 1)
        if not isinstance(after, int):
            raise Problem(400, gettext("The cursor is not one this API gave; start again without it"))
        rows = rows.filter(pk__gt=after)
    page = list(rows.order_by("pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, encode(page[-1].pk) if more and page else None


def newest_first(
    rows: QuerySet[M], field: str, cursor: str | None, limit: int | None
) -> tuple[list[M], str | None]:
    """Newest first by `field` (a date and time), then by id."""
    size = limit_or_default(limit)
    if cursor:
        when, pk = decode(cursor, 2)
        try:
            moment = datetime.fromisoformat(when)
        except (TypeError, ValueError) as error:
            raise Problem(
                400, gettext("The cursor is not one this API gave; start again without it")
            ) from error
        if not isinstance(pk, int):
            raise Problem(400, gettext("The cursor is not one this API gave; start again without it"))
        rows = rows.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
    page = list(rows.order_by(f"-{field}", "-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, encode(getattr(page[-1], field), page[-1].pk) if more and page else None
