from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from throughcare.audit.archive import ArchiveRefused, archive, restore


def month_given(text: str) -> date:
    year, _, month = text.strip().partition("-")
    if not (year.isascii() and year.isdigit() and len(year) == 4 and month.isascii() and month.isdigit()):
        raise CommandError("Give the month as YYYY-MM, e.g. 2024-03")
    if not 1 <= int(month) <= 12:
        raise CommandError("Give the month as YYYY-MM, e.g. 2024-03 (the month is 01 to 12)")
    return date(int(year), int(month), 1)


class Command(BaseCommand):
    help = (
        "Archive a month of the audit log (PostgreSQL): verify it, then detach its partition from the log "
        "as the table audit_auditevent_YYYY_MM (and the cases its lists named as …_cases), for the "
        "organisation's archive to dump and keep. The chain still verifies across the month; "
        "audit_verify --archived YYYY-MM verifies the month on its own. --restore attaches an archived "
        "month again, once its tables are back in the database and verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="YYYY-MM: a month before the one events are sealed in now")
        parser.add_argument("--restore", action="store_true", help="attach the archived month again")

    def handle(self, *args: Any, **options: Any) -> None:
        month = month_given(options["month"])
        try:
            done = restore(month) if options["restore"] else archive(month)
        except ArchiveRefused as refused:
            raise CommandError(str(refused)) from None
        span = f"events #{done.first_seq}–#{done.last_seq} ({done.events})"
        if options["restore"]:
            self.stdout.write(f"{month:%B %Y} is in the log again: {span}.")
            return
        self.stdout.write(
            f"{month:%B %Y} archived: {span}, from hash {done.prev_hash} to hash {done.last_hash}. "
            f"Dump the tables {done.table} and {done.table}_cases (pg_dump -t) to the archive, "
            "then drop them."
        )
