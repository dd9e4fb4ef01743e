from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from throughcare.audit import anchor
from throughcare.audit.chain import Checkpoint, checkpoint, find_break


class Command(BaseCommand):
    help = (
        "Check the whole audit log's hash chain. Exits non-zero and names the first broken event if any "
        "event was altered, deleted, inserted or reordered. --checkpoint prints COUNT:HASH for an external "
        "party to keep; --expect COUNT:HASH checks against it, so that truncation is detected too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoint", action="store_true", help="print the current head as COUNT:HASH")
        parser.add_argument("--expect", metavar="COUNT:HASH", help="a checkpoint printed earlier")
        parser.add_argument(
            "--checkpoint-file", metavar="FILE", help="a signed checkpoint file written by the daily run"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            expect = Checkpoint.parse(options["expect"]) if options["expect"] else None
            if options["checkpoint_file"]:
                expect = anchor.read(Path(options["checkpoint_file"]).read_text())
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        broken = find_break(expect)
        if broken is not None:
            raise CommandError(f"Audit log chain is broken at {broken}")
        head = checkpoint()
        self.stdout.write(f"Audit log intact: {head.count} events, chain verified.")
        if options["checkpoint"]:
            self.stdout.write(f"Checkpoint: {head}")
