"""Domain events out: the outbox in the action's transaction, delivery as signed CloudEvents to a real
HTTP receiver, the gate at delivery time, retries with backoff, dead deliveries and their replay."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from throughcare.accounts.models import Membership, Role, User
from throughcare.api import outbox, tokens
from throughcare.api.models import Delivery, OutboxEvent, Subscription
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions
from throughcare.lib.errors import ActionRefused
from throughcare.test import Cast, join_team

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner system's webhook endpoint: checks every signature; can be told to fail."""

    def __init__(self) -> None:
        self.secret = ""
        self.received: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if not outbox.verify(receiver.secret, body, self.headers.get("Throughcare-Signature", "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                assert self.headers["Content-Type"] == "application/cloudevents+json"
                receiver.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def types(self) -> list[str]:
        return [event["type"] for event in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.server.shutdown()


def _system(username: str, agency: Any, role: str = Role.PRACTITIONER) -> User:
    user = tokens.create_service_account(username, name=username, agency=agency, by=None)
    Membership.objects.filter(user=user).update(role=role)
    return user


def _subscribe(user: User, receiver: Receiver, **wanted: list[str]) -> Subscription:
    subscription, secret = outbox.subscribe(
        user,
        url=receiver.url,
        event_types=wanted.get("types", []),
        categories=wanted.get("categories", []),
        by=user,
    )
    receiver.secret = secret
    return subscription


def test_a_rolled_back_action_leaves_no_event_and_a_committed_one_leaves_its_events(cast: Cast) -> None:
    OutboxEvent.objects.all().delete()
    with pytest.raises(ActionRefused), transaction.atomic():
        actions.change_phase(
            cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x"
        )
        raise ActionRefused("something after it failed")
    assert not OutboxEvent.objects.exists()
    cast.case.refresh_from_db()
    actions.change_phase(cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x")
    assert list(OutboxEvent.objects.values_list("type", "case_id")) == [("case.phase_changed", cast.case.pk)]


def test_events_reach_the_subscriber_signed_and_as_cloudevents(cast: Cast, receiver: Receiver) -> None:
    system = _system("probation.system", cast.probation, Role.MANAGER)
    _subscribe(system, receiver)
    actions.change_phase(cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x")
    assert outbox.run_once() == {"fanned_out": 1, "delivered": 1, "withheld": 0, "failed": 0, "dead": 0}
    (event,) = receiver.received
    assert event["specversion"] == "1.0" and event["type"] == "org.throughcare.case.phase_changed"
    assert event["subject"] == f"cases/{cast.case.pk}"
    assert (
        event["data"]["to_phase"] == "reintegration"
        and event["data"]["case_reference"] == cast.case.reference
    )
    assert event["id"] == str(OutboxEvent.objects.get(type="case.phase_changed").event_id)
    disclosure = AuditEvent.objects.get(operation=Operation.DISCLOSURE, object_type="api.delivery")
    assert disclosure.case_id == cast.case.pk and "probation.system" in disclosure.recipients[0]
    assert outbox.run_once()["delivered"] == 0  # sent once


def test_the_gate_decides_at_delivery_time(cast: Cast, receiver: Receiver) -> None:
    """An NGO's system on the team receives general events but never risk or intelligence ones; a system
    of an agency with no place on the case receives nothing about it."""
    ngo_system = _system("ngo.system", cast.ngo)
    join_team(cast.case, ngo_system, cast.ngo, "Mentoring system")
    _subscribe(ngo_system, receiver)
    stranger_receiver = Receiver()
    try:
        stranger = _system("elsewhere.system", cast.prison)
        _subscribe(stranger, stranger_receiver)
        actions.add_note(
            cast.case, by=cast.police_liaison, body="Seen at", category="intelligence", nature="fact"
        )
        actions.change_phase(
            cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x"
        )
        counts = outbox.run_once()
    finally:
        stranger_receiver.server.shutdown()
    # The team is told that intelligence exists and whom to ask (the flag); never what it is.
    assert receiver.types() == [
        "org.throughcare.intelligence.flag_raised",
        "org.throughcare.case.phase_changed",
    ]
    assert stranger_receiver.received == []
    assert counts["withheld"] == 4 and counts["delivered"] == 2
    assert all(e["data"]["category"] == "general" for e in receiver.received)
    assert not Delivery.objects.filter(
        status="delivered", event__category__in=["risk", "intelligence"]
    ).exists()


def test_a_failing_receiver_is_retried_with_backoff_then_parked_and_replayed(
    cast: Cast, receiver: Receiver, settings: Any
) -> None:
    settings.EVENT_MAX_ATTEMPTS = 3
    system = _system("probation.system", cast.probation, Role.MANAGER)
    _subscribe(system, receiver)
    actions.change_phase(cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x")
    receiver.fail_next = 10
    now = timezone.now()
    assert outbox.run_once()["failed"] == 1
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_status_code == 503
    assert delivery.next_attempt_at - now >= timedelta(seconds=30)
    assert outbox.deliver_due(now + timedelta(seconds=10))["failed"] == 0  # not yet due
    assert outbox.deliver_due(now + timedelta(seconds=31))["failed"] == 1
    assert Delivery.objects.get().next_attempt_at - now >= timedelta(seconds=31 + 60)
    assert outbox.deliver_due(now + timedelta(hours=1))["dead"] == 1
    assert Delivery.objects.get().status == "dead" and receiver.received == []
    receiver.fail_next = 0
    assert outbox.replay(Delivery.objects.all()) == 1
    assert outbox.run_once()["delivered"] == 1
    assert receiver.types() == ["org.throughcare.case.phase_changed"]


def test_a_subscription_filters_by_type_and_category(cast: Cast, receiver: Receiver) -> None:
    system = _system("probation.system", cast.probation, Role.MANAGER)
    _subscribe(system, receiver, types=["case.opened"])
    actions.change_phase(cast.case, by=cast.lead, to_phase="reintegration", expected_version=1, reason="x")
    assert outbox.run_once()["delivered"] == 0 and not Delivery.objects.exists()


def test_a_tampered_or_old_signature_does_not_verify() -> None:
    body = b'{"a": 1}'
    header = outbox.signature("s3cret", body, 1_000_000)
    assert outbox.verify("s3cret", body, header, now=1_000_010)
    assert not outbox.verify("s3cret", body + b" ", header, now=1_000_010)
    assert not outbox.verify("other", body, header, now=1_000_010)
    assert not outbox.verify("s3cret", body, header, now=1_000_000 + 3600)
    assert not outbox.verify("s3cret", body, "nonsense", now=1_000_010)


def test_only_a_service_account_subscribes(cast: Cast, receiver: Receiver) -> None:
    with pytest.raises(ActionRefused):
        outbox.subscribe(cast.lead, url=receiver.url, event_types=[], categories=[], by=cast.lead)


def test_a_partner_system_subscribes_through_the_api_and_receives_what_it_may_see(
    cast: Cast, receiver: Receiver
) -> None:
    """End to end: a service account's token, its subscription made through the API, changes made by
    people through the API and the actions, `manage.py deliver_events --once`, a receiver that checks
    every signature. The NGO's system never receives a risk-category event."""
    from io import StringIO

    from django.core.management import call_command

    from throughcare.api.tests.conftest import Api
    from throughcare.risk import information

    probation_system = _system("probation.system", cast.probation, Role.MANAGER)
    ngo_system = _system("ngo.system", cast.ngo)
    join_team(cast.case, ngo_system, cast.ngo, "Mentoring system")
    ngo_receiver = Receiver()
    try:
        for system, target in ((probation_system, receiver), (ngo_system, ngo_receiver)):
            api = Api(tokens.issue(system, name="events", scope="write", days=1, by=system)[1])
            made = api.post("/subscriptions", {"url": target.url})
            assert made.status_code == 201, made.content
            target.secret = made.json()["secret"]
            assert api.get("/subscriptions").json()[0]["url"] == target.url
        person = Api(tokens.issue(cast.lead, name="x", scope="write", days=1, by=cast.lead)[1])
        assert person.post("/subscriptions", {"url": receiver.url}).status_code == 403
        information.record_information(
            cast.case,
            by=cast.lead,
            source="A clinic",
            received_on=timezone.localdate(),
            reliability="B",
            credibility="2",
            category="health",
            summary="Missed two appointments",
        )
        etag = person.get(f"/cases/{cast.case.pk}")["ETag"]
        move = {"to_phase": "reintegration", "reason": "Licence ended"}
        moved = person.post(f"/cases/{cast.case.pk}/phase", move, HTTP_IF_MATCH=etag)
        assert moved.status_code == 200, moved.content
        out = StringIO()
        call_command("deliver_events", "--once", stdout=out)
    finally:
        ngo_receiver.server.shutdown()
    assert "delivered 3" in out.getvalue()
    assert receiver.types() == ["org.throughcare.information.recorded", "org.throughcare.case.phase_changed"]
    assert ngo_receiver.types() == ["org.throughcare.case.phase_changed"]
    assert receiver.bad_signatures == ngo_receiver.bad_signatures == 0
    assert "Missed two appointments" not in json.dumps(receiver.received)  # an event never carries content


def test_the_event_types_are_listed_and_documented(cast: Cast) -> None:
    from pathlib import Path

    from throughcare.api.tests.conftest import Api
    from throughcare.cases.events import ALL_EVENTS

    listed = Api(tokens.issue(cast.lead, name="x", scope="read", days=1, by=cast.lead)[1]).get("/event-types")
    assert {e["type"] for e in listed.json()} == {e.type for e in ALL_EVENTS}
    docs = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text()
    assert [e.type for e in ALL_EVENTS if f"`{e.type}`" not in docs] == []


def test_a_retried_subscription_subscribes_once(cast: Cast, receiver: Receiver) -> None:
    from throughcare.api.tests.conftest import Api

    system = _system("probation.system", cast.probation, Role.MANAGER)
    api = Api(tokens.issue(system, name="events", scope="write", days=1, by=system)[1])
    first = api.post("/subscriptions", {"url": receiver.url}, HTTP_IDEMPOTENCY_KEY="setup-1")
    again = api.post("/subscriptions", {"url": receiver.url}, HTTP_IDEMPOTENCY_KEY="setup-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Subscription.objects.filter(subscriber=system).count() == 1
    assert (
        api.post("/subscriptions", {"url": receiver.url, "event_types": ["case.nothing"]}).status_code == 422
    )
