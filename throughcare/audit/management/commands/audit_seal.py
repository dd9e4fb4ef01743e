from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from throughcare.audit.chain import seal_all


class Command(BaseCommand):
    help = (
        "Seal the consultations waiting into the audit chain, in order. --follow keeps doing so every "
        "--interval seconds (a process of its own, docs/audit.md); several sealers may run at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--follow", action="store_true", help="keep sealing until stopped")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds (1)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sealed = seal_all()
            if not options["follow"]:
                self.stdout.write(f"Sealed {sealed} events.")
                return
            close_old_connections()
            time.sleep(max(0.05, options["interval"]))
