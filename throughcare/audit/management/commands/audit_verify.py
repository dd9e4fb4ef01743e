from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from throughcare.audit import anchor
from throughcare.audit.archive import verify_archived
from throughcare.audit.chain import checkpoint, find_break, seal_all, unsealed
from throughcare.audit.management.commands.audit_archive import month_given
from throughcare.audit.models import ArchivedMonth
from throughcare.audit.walking import Checkpoint


class Command(BaseCommand):
    help = (
        "Check the whole audit log's hash chain. Exits non-zero and names the first broken event if any "
        "event was altered, deleted, inserted or reordered. Events waiting to be sealed are sealed first "
        "(--no-seal: only checked). --checkpoint prints COUNT:HASH for an external party to keep; --expect "
        "COUNT:HASH checks against it, so that truncation is detected too; --from COUNT:HASH goes on from a "
        "checkpoint verified before instead of from the first event."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoint", action="store_true", help="print the current head as COUNT:HASH")
        parser.add_argument("--expect", metavar="COUNT:HASH", help="a checkpoint printed earlier")
        parser.add_argument(
            "--checkpoint-file", metavar="FILE", help="a signed checkpoint file written by the daily run"
        )
        parser.add_argument("--from", dest="start", metavar="COUNT:HASH", help="a checkpoint verified before")
        parser.add_argument("--no-seal", action="store_true", help="do not seal waiting events first")
        parser.add_argument(
            "--archived", metavar="YYYY-MM", help="verify a month archived out of the log, on its own"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 8),
            metavar="N",
            help="processes reading the log on PostgreSQL, each with a connection of its own (default: one "
            "per core, at most 8; 1: this process alone, with a second connection reading ahead)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            expect = Checkpoint.parse(options["expect"]) if options["expect"] else None
            if options["checkpoint_file"]:
                expect = anchor.read(Path(options["checkpoint_file"]).read_text())
            start = Checkpoint.parse(options["start"]) if options["start"] else None
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        if options["archived"]:
            self._archived(month_given(options["archived"]))
            return
        if not options["no_seal"]:
            seal_all()
        began = time.monotonic()
        broken = find_break(expect, start, workers=max(1, options["workers"]))
        if broken is not None:
            raise CommandError(f"Audit log chain is broken at {broken}")
        head = checkpoint()
        checked = head.count - (start.count if start else 0)
        waiting = unsealed()
        self.stdout.write(
            f"Audit log intact: {head.count} events, chain verified"
            + (f" from #{start.count + 1} ({checked} events)" if start else "")
            + f" in {time.monotonic() - began:.1f} s."
            + (f" {waiting} events waiting to be sealed, their MACs verified." if waiting else "")
        )
        if options["checkpoint"]:
            self.stdout.write(f"Checkpoint: {head}")

    def _archived(self, month: date) -> None:
        found = ArchivedMonth.objects.filter(month=month).first()
        if found is None:
            raise CommandError(f"{month:%B %Y} is not archived (audit_archive {month:%Y-%m}).")
        broken = verify_archived(found)
        if broken is not None:
            raise CommandError(f"The archive of {month:%B %Y} is broken at {broken}")
        self.stdout.write(
            f"Archive of {month:%B %Y} intact: events #{found.first_seq}–#{found.last_seq} ({found.events}), "
            f"from hash {found.prev_hash} to hash {found.last_hash}."
        )
