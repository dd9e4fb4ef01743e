"""Reoffending and its timing, measured by a definition that is data.

The engine knows nothing of cases or files: it takes a cohort (one release date per person, an optional
censoring date, optional groups) and the outcome events of its people, and a `Definition` (follow-up,
waiting period, what counts). Everything is vectorised with NumPy, so a national cohort costs little more
than reading its columns.

The official definition (proven reoffending, Ministry of Justice): an offence *committed* within the
follow-up after release and *proven* (conviction or caution) by the end of the follow-up plus a waiting
period. Re-engagement without conviction and recall count only where a definition says so; they are proven
on the day they were recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.lib.errors import ActionRefused

Days = npt.NDArray[np.datetime64]  # datetime64[D]; NaT where there is no date
NAT = np.datetime64("NaT", "D")

TERRORISM, VIOLENT, OTHER, REENGAGEMENT, RECALL = "terrorism", "violent", "other", "reengagement", "recall"
OFFENCE_KINDS = (TERRORISM, VIOLENT, OTHER)
KINDS = (*OFFENCE_KINDS, REENGAGEMENT, RECALL)

# What counts as the outcome: the names analysts choose from, and the kinds each takes in.
OUTCOMES: dict[str, frozenset[str]] = {
    "terrorism": frozenset({TERRORISM}),
    "any": frozenset(OFFENCE_KINDS),
    "any_or_reengagement": frozenset({*OFFENCE_KINDS, REENGAGEMENT}),
    "any_or_recall": frozenset({*OFFENCE_KINDS, RECALL}),
    "any_reengagement_or_recall": frozenset(KINDS),
}
OUTCOME_LABELS = {
    "terrorism": _("a terrorism offence, proven by conviction or caution"),
    "any": _("any offence, proven by conviction or caution"),
    "any_or_reengagement": _("any proven offence, or re-engagement in extremism judged by a professional"),
    "any_or_recall": _("any proven offence, or recall to custody"),
    "any_reengagement_or_recall": _("any proven offence, re-engagement in extremism, or recall to custody"),
}


@dataclass(frozen=True)
class Definition:
    follow_up_years: int = 1
    waiting_months: int = 6
    outcome: str = "any"
    # Whom a censoring event takes out of the follow-up (death, deportation …): all by default.
    censoring: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 1 <= self.follow_up_years <= 30:
            raise ActionRefused(gettext("The follow-up is between 1 and 30 years"), field="follow_up_years")
        if not 0 <= self.waiting_months <= 36:
            raise ActionRefused(
                gettext("The waiting period is between 0 and 36 months"), field="waiting_months"
            )
        if self.outcome not in OUTCOMES:
            raise ActionRefused(
                gettext("Choose what counts: one of %(join)s") % {"join": ", ".join(OUTCOMES)},
                field="outcome",
            )

    @property
    def kinds(self) -> frozenset[str]:
        return OUTCOMES[self.outcome]


@dataclass(frozen=True)
class Cohort:
    """One row per person: their first release in the period, when they left the follow-up (or NaT), and
    the group each belongs to in each grouping dimension."""

    released: Days
    censored: Days
    groups: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.released.shape[0])


@dataclass(frozen=True)
class Events:
    """Outcome events, any number per person: the person's row in the cohort, when it was committed (or
    happened), its kind, and when it was proven (NaT: not proven)."""

    person: npt.NDArray[np.int64]
    committed: Days
    kind: npt.NDArray[np.str_]
    proven: Days

    @classmethod
    def none(cls) -> Events:
        return cls(
            np.zeros(0, np.int64),
            np.zeros(0, "datetime64[D]"),
            np.zeros(0, "U12"),
            np.zeros(0, "datetime64[D]"),
        )


@dataclass(frozen=True)
class Followed:
    """Each person after the definition is applied."""

    reoffended: npt.NDArray[np.bool_]
    first: Days  # the first qualifying outcome (NaT: none)
    count: npt.NDArray[np.int64]  # qualifying outcomes within the follow-up
    duration: npt.NDArray[np.int64]  # days followed: to the first outcome, the censoring, or the end
    window_end: Days


def add_months(days: Days, months: int) -> Days:
    """Each date `months` later, clamped to the month's last day (31 Jan + 1 month → 28 or 29 Feb)."""
    month = days.astype("datetime64[M]")
    offset = days - month.astype("datetime64[D]")
    moved = (month + months).astype("datetime64[D]")
    last = (month + months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    clamped: Days = np.minimum(moved + offset, last)
    return clamped


def complete_by(cohort: Cohort, definition: Definition) -> date | None:
    """The day from which every person's follow-up and waiting period is over (None: empty cohort)."""
    if len(cohort) == 0:
        return None
    latest = cohort.released.max()
    end = add_months(np.array([latest]), 12 * definition.follow_up_years + definition.waiting_months)[0]
    return end.astype(date)  # type: ignore[no-any-return]


def follow(cohort: Cohort, events: Events, definition: Definition) -> Followed:
    """Apply the definition: which events qualify, each person's first and count, and how long each was
    followed (for time-to-event curves)."""
    window_end = add_months(cohort.released, 12 * definition.follow_up_years)
    proof_by = add_months(window_end, definition.waiting_months)
    released, ends = cohort.released[events.person], window_end[events.person]
    in_window = (events.committed >= released) & (events.committed < ends)
    proven = ~np.isnat(events.proven) & (events.proven < proof_by[events.person])
    stopped = cohort.censored[events.person]
    before_censoring = np.isnat(stopped) | (events.committed <= stopped)
    qualifies = np.isin(events.kind, list(definition.kinds)) & in_window & proven & before_censoring
    count = np.bincount(events.person[qualifies], minlength=len(cohort)).astype(np.int64)
    earliest = np.full(len(cohort), np.iinfo(np.int64).max)
    np.minimum.at(earliest, events.person[qualifies], events.committed[qualifies].astype(np.int64))
    reoffended = count > 0
    first = np.where(reoffended, earliest.astype("datetime64[D]"), NAT)
    stop = np.where(np.isnat(cohort.censored), window_end, np.minimum(cohort.censored, window_end))
    duration = np.where(reoffended, first - cohort.released, stop - cohort.released).astype(np.int64)
    return Followed(reoffended, first, count, np.maximum(duration, 0), window_end)


def wilson(events: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default): sound for small counts and for 0 or n,
    where the normal approximation gives impossible bounds."""
    if n == 0:
        return (math.nan, math.nan)
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Measure:
    """The figures of one group (or of the whole cohort)."""

    cohort: int
    reoffenders: int
    offences: int
    rate: float
    ci_low: float
    ci_high: float
    per_offender: float  # offences per person in the cohort
    per_reoffender: float  # offences per person who reoffended
    median_days_to_first: float  # among those who reoffended


def measure(followed: Followed, rows: npt.NDArray[np.bool_] | None = None) -> Measure:
    picked = slice(None) if rows is None else rows
    reoffended = followed.reoffended[picked]
    count = followed.count[picked]
    n, k, offences = int(reoffended.shape[0]), int(reoffended.sum()), int(count.sum())
    low, high = wilson(k, n)
    days = followed.duration[picked][reoffended]
    return Measure(
        cohort=n,
        reoffenders=k,
        offences=offences,
        rate=k / n if n else math.nan,
        ci_low=low,
        ci_high=high,
        per_offender=offences / n if n else math.nan,
        per_reoffender=offences / k if k else math.nan,
        median_days_to_first=float(np.median(days)) if k else math.nan,
    )


@dataclass(frozen=True)
class SurvivalPoint:
    days: int
    surviving: float  # the share not yet reoffended
    low: float
    high: float
    at_risk: int


def survival(followed: Followed, rows: npt.NDArray[np.bool_] | None = None) -> list[SurvivalPoint]:
    """The Kaplan–Meier curve of time to the first outcome, with its 95 % band (lifelines), one point
    at the start and one at each day an outcome or a censoring happened."""
    from lifelines import KaplanMeierFitter  # heavy (pandas): loaded only when a curve is wanted

    picked = slice(None) if rows is None else rows
    durations, observed = followed.duration[picked], followed.reoffended[picked]
    if durations.shape[0] == 0:
        return []
    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, event_observed=observed)
    times = fitter.survival_function_.index.to_numpy()
    curve = fitter.survival_function_.iloc[:, 0].to_numpy()
    band = fitter.confidence_interval_survival_function_.to_numpy()
    at_risk = durations.shape[0] - np.searchsorted(np.sort(durations), times, side="left")
    return [
        SurvivalPoint(int(t), float(s), float(lo), float(hi), int(n))
        for t, s, (lo, hi), n in zip(times, curve, band, at_risk, strict=True)
    ]
