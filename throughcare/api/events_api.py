"""A service account manages its own event subscriptions; anyone may read which event types exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Router, Status

from throughcare.accounts.models import User
from throughcare.api import idempotency, outbox
from throughcare.api.auth import require_write_scope
from throughcare.api.models import Subscription
from throughcare.api.problems import Problem
from throughcare.api.schemas import EventTypeOut, SubscriptionCreated, SubscriptionIn, SubscriptionOut
from throughcare.cases.events import ALL_EVENTS

router = Router(tags=["events"])


def _service(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.kind != User.Kind.SERVICE:
        raise Problem(403, gettext("Only a service account (an agency's system) subscribes to events"))
    return user


def _out(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "categories": subscription.categories,
        "is_active": subscription.is_active,
        "created_at": subscription.created_at,
    }


@router.get("/event-types", response=list[EventTypeOut], summary="The event types there are")
def event_types(request: HttpRequest) -> list[dict[str, Any]]:
    """Each type, the data category of what it tells (you receive it only while you hold that category on
    the case), and what it says."""
    return [
        {
            "type": event.type,
            "cloudevents_type": outbox.TYPE_PREFIX + event.type,
            "category": event.category,
            "description": " ".join((event.__doc__ or "").split()) if event.__doc__ else "",
        }
        for event in ALL_EVENTS
    ]


@router.get("/subscriptions", response=list[SubscriptionOut], summary="Your subscriptions")
def subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    user = _service(request)
    return [_out(s) for s in Subscription.objects.filter(subscriber=user, is_active=True)]


@router.post("/subscriptions", response={201: SubscriptionCreated}, summary="Subscribe to events")
def subscribe(request: HttpRequest, response: HttpResponse, wanted: SubscriptionIn) -> Status[dict[str, Any]]:
    """Events are POSTed to `url` as CloudEvents, signed with the `secret` given here once
    (header `Throughcare-Signature`; docs/api.md says how to check it). Send an `Idempotency-Key`."""
    require_write_scope(request)
    user = _service(request)
    known = {event.type for event in ALL_EVENTS}
    unknown = sorted(set(wanted.event_types) - known)
    if unknown:
        raise Problem(
            422,
            gettext("Unknown event types: %(types)s (see /api/v1/event-types)")
            % {"types": ", ".join(unknown)},
            field="event_types",
        )

    def run() -> tuple[dict[str, Any], str]:
        subscription, secret = outbox.subscribe(
            user,
            url=wanted.url,
            event_types=list(wanted.event_types),
            categories=list(wanted.categories),
            by=user,
        )
        body = _out(subscription) | {"secret": secret, "created_at": subscription.created_at.isoformat()}
        return body, f"/api/v1/subscriptions/{subscription.pk}"

    return idempotency.create(request, response, run)


@router.delete("/subscriptions/{subscription_id}", response={204: None}, summary="End a subscription")
def unsubscribe(request: HttpRequest, subscription_id: int) -> Status[None]:
    require_write_scope(request)
    user = _service(request)
    if not 0 < subscription_id < 2**31:
        raise Problem(404, gettext("There is nothing here that you may see"))
    subscription = get_object_or_404(Subscription, pk=subscription_id, subscriber=user, is_active=True)
    outbox.end_subscription(subscription, by=user)
    return Status(204, None)
