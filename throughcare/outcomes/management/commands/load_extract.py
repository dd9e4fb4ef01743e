"""Store an anonymised extract (the CSV format of `manage.py reoffending`) for analysts' measures: read
whole or refused whole, with the line and the reason. It is never linked to a case."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from throughcare.lib.errors import ActionRefused
from throughcare.outcomes.extract import read_extract
from throughcare.outcomes.models import Extract, ExtractPerson


class Command(BaseCommand):
    help = "Store an anonymised CSV extract (one row per person) under a name, for measures to use."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("records", type=Path)
        parser.add_argument("--description", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["records"])
        try:
            with path.open(encoding="utf-8", newline="") as lines:
                extract = read_extract(lines)  # refuses a malformed file before anything is stored
            with path.open(encoding="utf-8", newline="") as lines:
                rows = list(csv.DictReader(lines))
        except (ActionRefused, OSError, UnicodeDecodeError) as refused:
            raise CommandError(str(refused)) from None
        if Extract.objects.filter(name=options["name"]).exists():
            raise CommandError(f"An extract named “{options['name']}” exists already")
        with transaction.atomic():
            stored = Extract.objects.create(
                name=options["name"], description=options["description"], rows=extract.rows
            )
            ExtractPerson.objects.bulk_create([_person(stored, row) for row in rows], batch_size=5000)
        self.stdout.write(f"Stored {extract.rows:,} people as “{stored.name}”.")


def _person(extract: Extract, row: dict[str, str]) -> ExtractPerson:
    def day(name: str) -> str | None:
        return row[name].strip() or None

    return ExtractPerson(
        extract=extract,
        released=row["release_date"].strip(),
        outcome_date=day("outcome_date"),
        outcome_kind=row["outcome_kind"].strip(),
        proven_date=day("proven_date"),
        censor_date=day("censor_date"),
        gender=(row.get("gender") or "").strip()[:40],
        age_band=(row.get("age_band") or "").strip()[:40],
        region=(row.get("region") or "").strip()[:100],
    )
