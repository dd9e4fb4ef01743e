"""Reoffending in an anonymised extract, by a definition given on the command line.

For an operator who holds the extract (a national database's, a study's data) and wants the figures to
check against a published table: they are exact, not protected for publication.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from throughcare.lib.errors import ActionRefused
from throughcare.outcomes import engine
from throughcare.outcomes.extract import read_extract


class Command(BaseCommand):
    help = "Measure reoffending in an anonymised CSV extract (one row per person) by a definition."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", required=True, type=Path, help="the CSV file (see docs/outcomes.md)")
        parser.add_argument("--follow-up-years", required=True, type=int)
        parser.add_argument("--waiting-months", type=int, default=6)
        parser.add_argument("--outcome", choices=sorted(engine.OUTCOMES), default="any")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definition = engine.Definition(
                follow_up_years=options["follow_up_years"],
                waiting_months=options["waiting_months"],
                outcome=options["outcome"],
            )
            with Path(options["records"]).open(encoding="utf-8", newline="") as lines:
                extract = read_extract(lines)
        except (ActionRefused, OSError, UnicodeDecodeError) as refused:
            raise CommandError(str(refused)) from None
        complete = engine.complete_by(extract.cohort, definition)
        if complete is not None and complete > timezone.localdate():
            raise CommandError(
                f"The follow-up is not over: the last release's follow-up and waiting period end on "
                f"{complete:%d %b %Y}. Choose a shorter follow-up or an earlier cohort."
            )
        followed = engine.follow(extract.cohort, extract.events, definition)
        figures = _figures(followed)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2, default=str))
            return
        years = definition.follow_up_years
        self.stdout.write(
            f"{figures['events']} of {figures['cohort']} people reoffended within {years} year(s) "
            f"({engine.OUTCOME_LABELS[definition.outcome]}): {_percent(figures['rate'])} "
            f"(95 % interval {_percent(figures['ci_low'])}–{_percent(figures['ci_high'])})."
        )


def _figures(followed: engine.Followed) -> dict[str, Any]:
    measured = engine.measure(followed)
    return {
        "cohort": measured.cohort,
        "events": measured.reoffenders,
        "rate": measured.rate,
        "ci_low": measured.ci_low,
        "ci_high": measured.ci_high,
        "offences": measured.offences,
        "survival": {str(p.days): p.surviving for p in engine.survival(followed)},
    }


def _percent(share: float) -> str:
    return "–" if math.isnan(share) else f"{100 * share:.1f} %"
