"""Domain events out: the transactional outbox, subscriptions, and delivery as signed CloudEvents.

1. Every domain event is written to `OutboxEvent` by a handler that runs inside the emitting action's
   transaction (`lib.events.subscribe_all`): an action that rolls back leaves no row; one that commits
   leaves exactly its rows.
2. `fan_out` makes one `Delivery` per active subscription that wants the event (by type and category).
3. `deliver_due` sends each due delivery as a CloudEvents 1.0 JSON document (structured mode), signed with
   the subscription's secret. **The gate decides at delivery time**: the subscriber (a service account)
   must be able to see the case and hold the event's data category, or the delivery is withheld and nothing
   is sent. A delivery answered 2xx is an audited disclosure naming its recipient; a failure is retried with
   exponential backoff and parked as dead after `EVENT_MAX_ATTEMPTS` (replayable by an administrator).

Deliveries are at least once: a receiver should ignore an event id it has already handled.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from typing import Any

from cloudevents.core.bindings.http import to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.api.models import Delivery, OutboxEvent, Subscription
from throughcare.audit import log as audit
from throughcare.audit.models import Operation
from throughcare.cases.models import Case
from throughcare.cases.standing import Standing
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import DomainEvent
from throughcare.sharing.access import case_standing_or_none

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Throughcare-Signature"
TYPE_PREFIX = "org.throughcare."
# While one worker sends a delivery, no other picks it up; if the worker dies, it is retried after this.
LEASE = timedelta(minutes=2)


def record(event: DomainEvent) -> None:
    """Subscribed to every domain event: one outbox row, in the emitting action's transaction."""
    data = event.as_dict()
    OutboxEvent.objects.create(
        event_id=uuid.uuid4(),
        type=event.type,
        category=event.category,
        case_id=event.case_id,
        data=data,
        occurred_at=event.at,
    )


# Subscriptions ------------------------------------------------------------------------------------------


def subscribe(
    subscriber: User, *, url: str, event_types: list[str], categories: list[str], by: User
) -> tuple[Subscription, str]:
    """A service account's subscription; the signing secret is returned once."""
    if subscriber.kind != User.Kind.SERVICE:
        raise ActionRefused(
            gettext("Only a service account (an agency's system) can subscribe to events"), field="url"
        )
    if not url.startswith(("https://", "http://")):
        raise ActionRefused(gettext("Give an http(s) address"), field="url")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            subscriber=subscriber, url=url, secret=secret, event_types=event_types, categories=categories
        )
        audit.record(
            Operation.COLLECTION,
            subscription,
            by=by,
            agency=subscriber.primary_agency(),
            details={"url": url, "event_types": event_types, "categories": categories},
        )
    return subscription, secret


def end_subscription(subscription: Subscription, *, by: User) -> None:
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(is_active=False)
        Delivery.objects.filter(subscription=subscription, status=Delivery.Status.PENDING).delete()
        audit.record(Operation.ALTERATION, subscription, by=by, details={"ended": True})


# Fan-out and delivery -----------------------------------------------------------------------------------


def fan_out(batch: int = 500) -> int:
    """Deliveries for the events not yet fanned out, for the subscriptions active now."""
    events = list(OutboxEvent.objects.filter(fanned_out=False).order_by("pk")[:batch])
    if not events:
        return 0
    subscriptions = list(Subscription.objects.filter(is_active=True))
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [Delivery(event=e, subscription=s) for e in events for s in subscriptions if s.wants(e)],
            ignore_conflicts=True,
        )
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(fanned_out=True)
    return len(events)


def deliver_due(now: datetime | None = None, batch: int = 100) -> dict[str, int]:
    """Send what is due; returns how many were delivered, withheld, failed and parked as dead."""
    now = now or timezone.now()
    counts = {"delivered": 0, "withheld": 0, "failed": 0, "dead": 0}
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    for pk in list(due.order_by("event_id", "pk").values_list("pk", flat=True)[:batch]):
        outcome = _deliver_one(pk, now)
        if outcome:
            counts[outcome] += 1
    return counts


def _claim(pk: int, now: datetime) -> bool:
    """Take the delivery for this worker (another worker's claim or a change of status wins)."""
    claimed = Delivery.objects.filter(
        Q(pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    ).update(next_attempt_at=now + LEASE)
    return claimed == 1


def _deliver_one(pk: int, now: datetime) -> str | None:
    if not _claim(pk, now):
        return None
    delivery = Delivery.objects.select_related("event", "subscription__subscriber").get(pk=pk)
    event, subscription = delivery.event, delivery.subscription
    case = Case.objects.filter(pk=event.case_id).first() if event.case_id else None
    standing = _standing(subscription, case, event)
    if case is None or standing is None:
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.WITHHELD)
        return "withheld"
    body, headers = envelope(event, case, subscription.secret)
    status, error = _post(subscription.url, body, headers)
    if status is not None and 200 <= status < 300:
        _delivered(delivery, standing, status)
        return "delivered"
    return _failed(delivery, status, error, now)


def _standing(subscription: Subscription, case: Case | None, event: OutboxEvent) -> Standing | None:
    if case is None or not subscription.is_active or not subscription.subscriber.is_active:
        return None
    standing = case_standing_or_none(subscription.subscriber, case)
    return standing if standing is not None and standing.holds(event.category) else None


def envelope(event: OutboxEvent, case: Case, secret: str) -> tuple[bytes, dict[str, str]]:
    """The CloudEvents 1.0 JSON document of the event, and its headers with the signature."""
    data = {k: v for k, v in event.data.items() if k not in ("type", "category")}
    data |= {"case_reference": case.reference, "category": event.category}
    cloud_event = CloudEvent(
        {
            "specversion": "1.0",
            "id": str(event.event_id),
            "source": settings.EVENT_SOURCE,
            "type": TYPE_PREFIX + event.type,
            "subject": f"cases/{event.case_id}",
            "time": event.occurred_at,
            "datacontenttype": "application/json",
            "sequence": str(event.pk),
        },
        data,
    )
    message = to_structured(cloud_event, JSONFormat())
    body = message.body
    headers = {
        "Content-Type": "application/cloudevents+json",
        SIGNATURE_HEADER: signature(secret, body, int(time.time())),
        "User-Agent": "Throughcare-Events/1",
    }
    return body, headers


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`: the receiver recomputes it with the
    secret it was given and refuses old timestamps (replays)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int = 300, now: int | None = None) -> bool:
    """What a receiver does (used by the tests' receiver; documented in docs/api.md)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or int(time.time())) - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 — http(s) only
    try:
        with urllib.request.urlopen(request, timeout=settings.EVENT_TIMEOUT_SECONDS) as answer:  # noqa: S310
            return int(answer.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def _delivered(delivery: Delivery, standing: Standing, status: int) -> None:
    subscription, event = delivery.subscription, delivery.event
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED,
            attempts=delivery.attempts + 1,
            delivered_at=timezone.now(),
            last_status_code=status,
            last_error="",
        )
        audit.record(
            Operation.DISCLOSURE,
            delivery,
            by=None,
            agency=standing.agency,
            case_id=event.case_id,
            justification=standing.justification,
            recipients=[f"{subscription.subscriber.username} ({subscription.url})"],
            details={"channel": "events", "event": event.type, "event_id": str(event.event_id)},
        )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … after the 1st, 2nd, 3rd, 4th failure; at most 6 hours."""
    seconds = settings.EVENT_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def _failed(delivery: Delivery, status: int | None, error: str, now: datetime) -> str:
    attempts = delivery.attempts + 1
    dead = attempts >= settings.EVENT_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DEAD if dead else Delivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_status_code=status,
        last_error=error or f"HTTP {status}",
    )
    logger.warning("Event delivery %s failed (%s), attempt %s", delivery.pk, error or status, attempts)
    return "dead" if dead else "failed"


def replay(deliveries: Any) -> int:
    """Send dead deliveries again, from the first attempt."""
    return int(
        deliveries.filter(status=Delivery.Status.DEAD).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )


def run_once() -> dict[str, int]:
    fanned = fan_out()
    return {"fanned_out": fanned, **deliver_due()}
