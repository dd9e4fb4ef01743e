from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from throughcare.risk.instrument_file import InstrumentFileError, load


class Command(BaseCommand):
    help = "Load an assessment instrument from a file (the format is described in docs/risk.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            instrument = load(path.read_text(encoding="utf-8"), by=None)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        except InstrumentFileError as error:
            raise CommandError(f"{path}, {error}. Nothing was loaded.") from None
        count = sum(domain.items.count() for domain in instrument.domains.all())
        self.stdout.write(
            f"Loaded {instrument} ({count} items, licensed: {'yes' if instrument.licensed else 'no'})."
        )
