"""The risk trajectory: the assessors' judgements over time, drawn as SVG on the server (no JavaScript),
with the case's phases marked. It plots what people judged; it computes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils import formats, timezone
from django.utils.translation import gettext

from throughcare.cases.models import Case, Phase, PhaseChange
from throughcare.risk.models import Assessment, PlanVersion

LEVELS = ["low", "medium", "high", "very_high"]
WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 640, 250, 90, 16, 74, 10
PHASE_FILL: dict[str, str] = {
    Phase.CUSTODY: "#f3f2f1",
    Phase.RELEASE_PLANNING: "#fff7bf",
    Phase.COMMUNITY: "#e8f1f8",
    Phase.REINTEGRATION: "#e5f3ec",
    Phase.CLOSED: "#efe7f3",
}


@dataclass(frozen=True)
class Point:
    at: datetime
    level: str
    label: str


def points(case: Case) -> list[Point]:
    """Completed assessments' judgements and the judgements made at plan reviews, oldest first."""
    judged = Assessment.objects.filter(case=case, completed_at__isnull=False).select_related("instrument")
    assessed = [
        Point(
            a.completed_at,
            a.judgement,
            gettext("%(judgement)s, %(date)s (assessment, %(instrument)s)")
            % {
                "judgement": a.get_judgement_display(),
                "date": _day(a.completed_at),
                "instrument": a.instrument.translated("name"),
            },
        )
        for a in judged
        if a.completed_at
    ]
    reviewed = [
        Point(
            v.created_at,
            v.judgement,
            gettext("%(judgement)s, %(date)s (plan version %(number)s)")
            % {"judgement": v.get_judgement_display(), "date": _day(v.created_at), "number": v.number},
        )
        for v in PlanVersion.objects.filter(case=case).exclude(judgement="")
    ]
    return sorted(assessed + reviewed, key=lambda point: point.at)


def svg(case: Case, phases: list[PhaseChange], judged: list[Point]) -> str:
    """An accessible SVG: a title and description that say in words what the chart shows; a dated axis,
    and a legend of the phases (named there, not inside bands too narrow to hold their names)."""
    now = timezone.now()
    start = min([case.opened_at] + [p.at for p in judged] + [c.changed_at for c in phases])
    span = max((now - start).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (moment - start).total_seconds() / span

    def y(level: str) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - LEVELS.index(level) / (len(LEVELS) - 1))

    parts = [_bands(phases, now, x), _axis(y), _dates(start, now, x), _legend(phases)]
    line = " ".join(f"{x(p.at):.1f},{y(p.level):.1f}" for p in judged)
    if len(judged) > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1d70b8" stroke-width="3"/>')
    parts += [
        f'<circle cx="{x(p.at):.1f}" cy="{y(p.level):.1f}" r="6" fill="#1d70b8"><title>{escape(p.label)}'
        f"</title></circle>"
        for p in judged
    ]
    description = "; ".join(p.label for p in judged) or gettext("no completed assessment yet")
    periods = "; ".join(_phase_from(c) for c in phases) or gettext("none recorded")
    described = gettext("Judgements made by assessors and reviewers: %(judgements)s. Phases: %(phases)s.") % {
        "judgements": description,
        "phases": periods,
    }
    title = gettext("Risk judgements over time")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="trajectory-title trajectory-desc" class="tc-trajectory">'
        f'<title id="trajectory-title">{escape(title)}</title>'
        f'<desc id="trajectory-desc">{escape(described)}</desc>' + "".join(parts) + "</svg>"
    )


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _phase_from(change: PhaseChange) -> str:
    return gettext("%(phase)s from %(date)s") % {
        "phase": Phase(change.to_phase).label,
        "date": _day(change.changed_at),
    }


def _bands(phases: list[PhaseChange], now: datetime, to_x: Callable[[datetime], float]) -> str:
    bands = []
    for n, change in enumerate(phases):
        end = phases[n + 1].changed_at if n + 1 < len(phases) else now
        left, right = to_x(change.changed_at), to_x(end)
        bands.append(
            f'<rect x="{left:.1f}" y="{TOP}" width="{max(right - left, 1):.1f}" '
            f'height="{HEIGHT - TOP - BOTTOM}" fill="{PHASE_FILL.get(change.to_phase, "#fff")}">'
            f"<title>{escape(_phase_from(change))}</title></rect>"
        )
    return "".join(bands)


def _axis(to_y: Callable[[str], float]) -> str:
    labels = {level: escape(str(Assessment.Priority(level).label)) for level in LEVELS}
    return "".join(
        f'<text x="4" y="{to_y(level) + 4:.1f}" font-size="12" fill="#0b0c0c">{label}</text>'
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{to_y(level):.1f}" y2="{to_y(level):.1f}" '
        f'stroke="#b1b4b6" stroke-dasharray="4 4"/>'
        for level, label in labels.items()
    )


def _dates(start: datetime, end: datetime, to_x: Callable[[datetime], float]) -> str:
    """The time axis: a tick at each 1 January (or each quarter, over less than two years)."""
    base = HEIGHT - BOTTOM
    ticks = []
    quarterly = (end - start).days < 730
    year, month = start.year, 1
    while True:
        moment = datetime(year, month, 1, tzinfo=start.tzinfo)
        if moment > end:
            break
        if moment >= start:
            label = formats.date_format(moment, "M Y") if quarterly else f"{year}"
            ticks.append(
                f'<line x1="{to_x(moment):.1f}" x2="{to_x(moment):.1f}" y1="{base}" y2="{base + 5}" '
                f'stroke="#0b0c0c"/><text x="{to_x(moment):.1f}" y="{base + 18}" font-size="11" '
                f'text-anchor="middle" fill="#0b0c0c">{label}</text>'
            )
        month += 3 if quarterly else 12
        if month > 12:
            year, month = year + 1, month - 12
    axis = f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#0b0c0c"/>'
    return axis + "".join(ticks)


def _legend(phases: list[PhaseChange]) -> str:
    """The phases the case went through, and what a dot is."""
    seen = list(dict.fromkeys(c.to_phase for c in phases))
    y, x, items = HEIGHT - 22, LEFT, []
    for phase in seen:
        label = escape(str(Phase(phase).label))
        items.append(
            f'<rect x="{x}" y="{y - 10}" width="14" height="14" fill="{PHASE_FILL.get(phase, "#fff")}" '
            f'stroke="#505a5f"/><text x="{x + 19}" y="{y + 1}" font-size="11" fill="#0b0c0c">{label}</text>'
        )
        x += 28 + 6 * len(label)
    dot = escape(gettext("a judgement"))
    items.append(
        f'<circle cx="{x + 7}" cy="{y - 3}" r="5" fill="#1d70b8"/>'
        f'<text x="{x + 17}" y="{y + 1}" font-size="11" fill="#0b0c0c">{dot}</text>'
    )
    return "".join(items)
