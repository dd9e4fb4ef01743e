"""The audit log of processing operations (Law Enforcement Directive, Art. 25).

Rows are appended by actions inside the transaction of the change they describe, and by the
consultation helper where case data is read. Nobody edits them. Each event holds its content as canonical
JSON (`body`) under a keyed MAC, and once sealed into the chain a keyed hash of its position, its body and
the previous event's hash, so that altering, deleting, inserting or reordering any event breaks the chain
(`manage.py audit_verify`). Changes are chained in their own transaction; consultations are written
without waiting for the chain and sealed into it in order within seconds (docs/audit.md).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.audit.runs import said_in


class Operation(models.TextChoices):
    COLLECTION = "collection", _("Collection")
    ALTERATION = "alteration", _("Alteration")
    CONSULTATION = "consultation", _("Consultation")
    DISCLOSURE = "disclosure", _("Disclosure")
    COMBINATION = "combination", _("Combination")
    ERASURE = "erasure", _("Erasure")


GENESIS_HASH = "0" * 64
# The justifications of changes of access and of sign-in events (the DPO's oversight,
# workspace.oversight): indexed on their own.
WATCHED = [
    "roles and capabilities administration",
    "user administration",
    "intelligence clearance asked",
    "intelligence clearance approved",
    "sign-in locked out",
    "signed in with a recovery code",
    "second factor set up",
    "second factor turned off",
    "case team administration",
]
# The month of events not sealed yet (throughcare.audit.partitions).
UNSEALED = date(9999, 12, 1)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about_case(self, case_id: int) -> AuditEventQuerySet:
        """Events about the case: its own, and lists that named it (one event per list shown). The ids
        are read first, from the two indexes: a condition `case_id = … OR id IN (…)` cannot use them, and
        PostgreSQL then reads the whole log."""
        return self.filter(pk__in=[about.id for about in about_case(case_id)])

    def named(self, about: Collection[EventAbout]) -> AuditEventQuerySet:
        """The events named, each looked up in its own month's partition only (PostgreSQL prunes the
        months no event is in when it plans; without the months it looks every id up in every month)."""
        return self.filter(month__in={a.month for a in about}, pk__in=[a.id for a in about])


class EventAbout(NamedTuple):
    """An event about a case, as its indexes tell it: enough to find it, and to say who acted."""

    id: int
    month: date
    actor_id: int | None


def about_case(case_id: int) -> list[EventAbout]:
    """The events about the case, newest first: its own (from the log's index of cases), and the lists
    that named it (from `ConsultedCase`, which holds their months and actors: of events in the log, as
    archiving a month takes its lists' index away with it)."""
    own = AuditEvent.objects.filter(case_id=case_id).order_by().values_list("id", "month", "actor_id")
    listed = ConsultedCase.objects.filter(case_id=case_id).values_list("event_id", "month", "actor_id")
    found = {row[0]: EventAbout(*row) for rows in (own, listed) for row in rows}
    return [found[pk] for pk in sorted(found, reverse=True)]


class AuditEvent(models.Model):
    # Null until sealed (a consultation waits for the sealer; a change is sealed as it is written).
    seq = models.BigIntegerField(
        null=True, db_index=True, help_text=_("Position in the chain, 1, 2, 3 … without gaps")
    )
    # The month it was sealed in (UNSEALED until then): on PostgreSQL the partition it lives in.
    month = models.DateField(db_default=UNSEALED, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    operation = models.CharField(max_length=20, choices=Operation.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    actor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    # A plain id, not a foreign key: the log must outlive the case it describes. Empty for an event about
    # several cases (a list): those are indexed in ConsultedCase.
    case_id = models.BigIntegerField(null=True)  # indexed with occurred_at (Meta)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    justification = models.CharField(max_length=500, blank=True)
    # The content as canonical JSON: what the MAC and the chain hash cover. The columns above are its
    # index, checked against it by `audit_verify`; recipients and details live only here (read through
    # the properties below). Events from before bodies were kept hold their old payload (a JSON object).
    body = models.TextField(editable=False)
    mac = models.CharField(max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, default="")  # empty until sealed
    hash = models.CharField(max_length=64, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case_id", "occurred_at"]),
            # The DPO's oversight of changes of access, and sign-in lockouts: a few events among millions.
            models.Index(
                fields=["occurred_at"],
                condition=models.Q(justification__in=WATCHED),
                name="audit_access_changes",
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["month", "seq"], name="audit_seq_once")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._said: dict[str, Any] | None = None
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        place = f"#{self.seq}" if self.seq is not None else "unsealed"
        return f"{place} {self.occurred_at:%Y-%m-%d %H:%M} {self.operation} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only")

    @property
    def details(self) -> dict[str, Any]:
        return self._told().get("details", {})  # type: ignore[no-any-return]

    @details.setter
    def details(self, value: dict[str, Any]) -> None:
        self._told()["details"] = value

    @property
    def recipients(self) -> list[str]:
        return self._told().get("recipients", [])  # type: ignore[no-any-return]

    @recipients.setter
    def recipients(self, value: list[str]) -> None:
        self._told()["recipients"] = list(value)

    def _told(self) -> dict[str, Any]:
        """Recipients and details: set before the body is made, read from the body after."""
        if self._said is None:
            self._said = said_in(self.body) if self.body else {"details": {}, "recipients": []}
        return self._said

    def content(self) -> list[Any]:
        """What the event says, as its body holds it: everything but its place in the chain."""
        return content_of(
            self.occurred_at,
            self.operation,
            self.actor_id,
            self.actor_agency_id,
            self.case_id,
            self.object_type,
            self.object_id,
            self.justification,
            self.recipients,
            self.details,
        )

    def reason_for(self, case_id: int) -> str:
        """The justification given for this case (a list gives one per case when they differ)."""
        shown = self.details.get("shown") if isinstance(self.details, dict) else None
        if self.case_id is None and isinstance(shown, dict):
            entry = shown.get(str(case_id))
            if isinstance(entry, dict) and entry.get("why"):
                return str(entry["why"])
        return self.justification


def content_of(
    occurred_at: datetime,
    operation: str,
    actor: int | None,
    actor_agency: int | None,
    case: int | None,
    object_type: str,
    object_id: str,
    justification: str,
    recipients: list[str],
    details: dict[str, Any],
) -> list[Any]:
    """An event's content in the body's order: the indexed fields first (the database checks the columns
    against this prefix without parsing JSON), then recipients and details."""
    return [
        occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        operation,
        actor,
        actor_agency,
        case,
        object_type,
        object_id,
        justification,
        recipients,
        details,
    ]


def canonical(content: Any) -> str:
    """The one serialisation the MAC and the hash cover: no spaces, keys sorted, text as UTF-8 (strings
    escaped as PostgreSQL's to_json escapes them, so that it can rebuild the body's prefix)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


class ConsultedCase(models.Model):
    """Which cases an event about several cases (a list shown) names: how "who accessed this case" finds
    it. Derived from the event, and checked against it by `audit_verify`: the cases against its body, the
    month (its partition: set by the sealer) and the actor against its columns. With the month the event
    is read from its own month's partition alone, not looked up in every month of the log."""

    event_id = models.BigIntegerField()
    case_id = models.BigIntegerField()
    month = models.DateField(db_default=UNSEALED)
    actor_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["case_id", "event_id"], include=["month", "actor_id"], name="consulted_case_index"
            )
        ]
        constraints = [models.UniqueConstraint(fields=["event_id", "case_id"], name="case_once_per_event")]

    def __str__(self) -> str:
        return f"event {self.event_id} names case {self.case_id}"


class ChainHead(models.Model):
    """One row: the last sealed event's position and hash. Whoever seals locks it, so the chain is written
    in order."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    month = models.DateField(null=True)  # of the last event sealed: months never go back along the chain

    def __str__(self) -> str:
        return f"audit chain head #{self.seq}"


class ArchivedMonth(models.Model):
    """A month of the log detached from it for archive (`manage.py audit_archive`): the stretch of the chain
    it holds and the hashes at its ends, so that the chain still verifies across the gap and the archive
    verifies on its own. Each is also told in the chain itself (an event about it), which verification
    checks: a record added here to hide a deletion is found out."""

    month = models.DateField(unique=True)
    table = models.CharField(max_length=63)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64, help_text=_("The hash of the event before the first"))
    last_hash = models.CharField(max_length=64)
    events = models.BigIntegerField()
    archived_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: events #{self.first_seq}–#{self.last_seq}, archived"

    def boundaries(self) -> dict[str, Any]:
        """What the chain's event about this archive says of it."""
        return {
            "month": self.month.isoformat(),
            "table": self.table,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "prev_hash": self.prev_hash,
            "last_hash": self.last_hash,
            "events": self.events,
        }
