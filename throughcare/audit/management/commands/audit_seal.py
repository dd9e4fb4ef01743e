from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from throughcare.audit import sealer
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
        if options["follow"]:
            sealer.follow(options["interval"])
        self.stdout.write(f"Sealed {seal_all()} events.")
