from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from throughcare.lib.daily import daily_jobs, one_run_at_a_time


class Command(BaseCommand):
    help = (
        "The daily run: every capability's daily jobs in order — recompute who is responsible for every open "
        "case, schedule risk reviews, and escalate overdue handover items, notification requirement dues, "
        "unacknowledged information, overdue reviews and overdue conference actions to the managers. "
        "Changes go on the timeline and in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="compute as of this day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be a day as YYYY-MM-DD: {error}") from error
        with one_run_at_a_time() as alone:
            if not alone:
                self.stdout.write("Another daily run is in progress; this one did nothing.")
                return
            for job in daily_jobs():  # each job commits its changes in transactions of its own
                count = job.run(today)
                self.stdout.write(job.report.format(today=today, count=count))
