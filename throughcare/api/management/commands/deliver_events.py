"""Send domain events to subscribers: a loop (a service of its own in production), or one pass."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from throughcare.api import outbox


class Command(BaseCommand):
    help = "Deliver domain events to subscribers as signed CloudEvents (--once: one pass, then stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then stop")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = outbox.run_once()
            if options["once"] or any(counts.values()):
                self.stdout.write(", ".join(f"{name} {count}" for name, count in counts.items()))
            if options["once"]:
                return
            time.sleep(options["interval"])
