from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from throughcare.cases.models import Phase
from throughcare.custody.actions import recompute
from throughcare.custody.handover import escalate_overdue, escalate_overdue_notifications
from throughcare.custody.models import Sentence


class Command(BaseCommand):
    help = (
        "The daily run: recompute who is responsible for every open case, schedule risk reviews, and "
        "escalate overdue handover items, notifications, unacknowledged information, overdue reviews "
        "and overdue conference actions to the managers. Changes go on the timeline and in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="compute as of this day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        from datetime import date

        today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        sentences = Sentence.objects.exclude(case__phase=Phase.CLOSED).select_related("case", "profile")
        changed = sum(recompute(sentence, today) for sentence in sentences.iterator())
        self.stdout.write(f"Responsibility recomputed as of {today:%Y-%m-%d}: {changed} case(s) changed.")
        escalated = escalate_overdue(today)
        self.stdout.write(f"Overdue handover items escalated to managers: {escalated}.")
        notified = escalate_overdue_notifications(today)
        self.stdout.write(f"Overdue notifications escalated to managers: {notified}.")
        from throughcare.risk.information import escalate_unacknowledged

        late = escalate_unacknowledged(timezone.now())
        self.stdout.write(f"Information not acknowledged in time, escalated to managers: {late}.")
        from throughcare.risk import reviews

        scheduled = reviews.schedule_all()
        self.stdout.write(f"Risk reviews scheduled: {scheduled}.")
        overdue = reviews.escalate_overdue(today)
        self.stdout.write(f"Overdue risk reviews escalated to managers: {overdue}.")
        from throughcare.conferences.meetings import escalate_overdue_actions

        late_actions = escalate_overdue_actions(today)
        self.stdout.write(f"Overdue conference actions escalated to managers: {late_actions}.")
