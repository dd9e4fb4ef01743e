"""Errors as `application/problem+json` (RFC 9457): a status, a title, and a detail a developer can act
on. Never a server error for bad input; never a hint that a case exists when the caller may not see it."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from throughcare.lib.errors import ActionRefused, EditConflict

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
# The title and detail are in the caller's language (Accept-Language, or the person's own); the type, the
# field names and the status are the same in every language, for the calling program.
TITLES = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Too large"),
    415: _("Unsupported media type"),
    422: _("Unprocessable content"),
    428: _("Precondition required"),
    429: _("Too many requests"),
    500: _("Server error"),
}


class Problem(Exception):
    """Raised by an endpoint to answer with this problem."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field, self.extra = status, detail, field, extra


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    body |= extra
    response = HttpResponse(_dumps(body), status=status, content_type=CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="throughcare"'
    return response


def _dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, default=str)


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field(error.get("loc", ())),
            "in": str((error.get("loc") or ("body",))[0]),
            "message": error.get("msg", "invalid"),
        }
        for error in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or gettext(
        "The request is not valid"
    )
    return problem(request, 422, detail, errors=errors)


def _field(loc: Any) -> str:
    """`("body", "note", "category")` → `category`: the name the caller sent, without ninja's parameter."""
    parts = [str(part) for part in loc]
    parts = parts[2:] if parts[:1] == ["body"] and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Every error the API can answer, in one format."""

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _validation(request, exc)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            request,
            401,
            gettext(
                "Send a valid token as 'Authorization: Bearer <token>' (it may have expired or been revoked)"
            ),
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, 404, gettext("There is nothing here that you may see"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, exc.status_code, str(exc.message) if hasattr(exc, "message") else str(exc))

    _install_domain(api)


def _install_domain(api: NinjaAPI) -> None:
    """The refusals of the product's own actions and checks."""

    @api.exception_handler(Problem)
    def known_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        errors = [{"field": exc.field, "in": "body", "message": exc.detail}] if exc.field else None
        return problem(request, exc.status, exc.detail, errors=errors, **exc.extra)

    @api.exception_handler(EditConflict)
    def conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        return problem(
            request,
            412,
            gettext("%(refusal)s Read the record again and send its new ETag in If-Match.")
            % {"refusal": exc.message},
        )

    @api.exception_handler(ActionRefused)
    def refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
        errors = [{"field": exc.field, "in": "body", "message": exc.message}] if exc.field else None
        return problem(request, 422, exc.message, errors=errors)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path, exc_info=exc)
        return problem(request, 500, gettext("Something went wrong on our side; nothing was changed"))
