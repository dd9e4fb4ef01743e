from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from throughcare.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in user (the login middleware guarantees it for app views)."""

    user: User
    htmx: HtmxDetails


def posted_id(request: HttpRequest, name: str) -> int:
    """The integer id a form posted under `name`; anything else answers 404 (never a 500)."""
    from django.http import Http404

    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404(f"No such {name}")
    return int(value)
