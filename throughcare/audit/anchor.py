"""Anchoring the audit chain outside the database: each day a signed checkpoint file (the chain's length
and head hash) is written to a directory and, if configured, mailed to an address — places someone who can
rewrite the database cannot reach. `audit_verify --checkpoint-file FILE` checks the chain against one.

The signature is an HMAC with the audit chain key: who holds the key can check that the file came from
Throughcare and was not edited; the file itself holds no personal data.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from throughcare.audit.chain import checkpoint
from throughcare.audit.walking import Checkpoint

HEADER = "Throughcare audit checkpoint"


@dataclass(frozen=True)
class SignedCheckpoint:
    day: date
    point: Checkpoint

    def body(self) -> str:
        return f"{HEADER}\nday: {self.day.isoformat()}\ncheckpoint: {self.point}\n"

    def text(self) -> str:
        return self.body() + f"signature: {_sign(self.body())}\n"


def _sign(body: str) -> str:
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


def read(text: str) -> Checkpoint:
    """The checkpoint a signed file holds; ValueError if it is not one or its signature does not match."""
    body, _, signature = text.rpartition("signature: ")
    if not body.startswith(HEADER) or not hmac.compare_digest(_sign(body), signature.strip()):
        raise ValueError("Not a checkpoint signed with this installation's audit chain key")
    line = next((ln for ln in body.splitlines() if ln.startswith("checkpoint: ")), "")
    return Checkpoint.parse(line.removeprefix("checkpoint: "))


def write_checkpoint(day: date) -> int:
    """The daily run's job: today's signed checkpoint, written (and mailed). Returns 1 if written."""
    if day != timezone.localdate():
        return 0  # a run for a past day (`daily_run --date`) cannot know that day's head
    folder = Path(settings.AUDIT_CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    signed = SignedCheckpoint(day, checkpoint())
    (folder / f"audit-checkpoint-{day.isoformat()}.txt").write_text(signed.text())
    if settings.AUDIT_CHECKPOINT_EMAIL:
        send_mail(
            f"{HEADER} {day.isoformat()}",
            signed.text(),
            None,
            [settings.AUDIT_CHECKPOINT_EMAIL],
        )
    return 1
