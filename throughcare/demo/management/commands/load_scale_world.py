from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from throughcare.demo.scale_world import Shape, World
from throughcare.workspace import kept


class Command(BaseCommand):
    help = (
        "Build a national-size synthetic world for benchmarks into an empty, migrated database (PostgreSQL "
        "for real sizes: rows are written with COPY). Deterministic; never for production or the demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="how many cases (e.g. 250000)")
        parser.add_argument("--entries", type=int, default=100, help="timeline entries per case (100)")
        parser.add_argument("--audit", type=int, default=100, help="audit events per case (100)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 1 or options["entries"] < 1 or options["audit"] < 0:
            raise CommandError("--cases and --entries must be at least 1, --audit at least 0")
        started = time.monotonic()
        world = World(Shape(options["cases"], options["entries"], options["audit"]))
        try:
            built = world.build(report=lambda line: self.stdout.write(f"  {line}"))
        except ValueError as refused:
            raise CommandError(str(refused)) from None
        for label, count in built.rows.items():
            self.stdout.write(f"{label:>20}: {count:,}")
        self.stdout.write(f"Built {built.cases:,} cases in {time.monotonic() - started:,.0f} s.")
        keeping = time.monotonic()
        items = kept.rebuild(timezone.localdate())  # as the daily run does
        self.stdout.write(f"Kept {items:,} Needs attention items in {time.monotonic() - keeping:,.0f} s.")
