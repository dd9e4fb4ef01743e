"""The engine's figures, checked against figures worked out here another way."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from throughcare.lib.errors import ActionRefused
from throughcare.outcomes import engine
from throughcare.outcomes.engine import Cohort, Definition, Events


def days(*values: str | None) -> np.ndarray:
    return np.array([v if v else "NaT" for v in values], dtype="datetime64[D]")


def wilson_by_bisection(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson interval as the two roots of (p̂ − p)² = z² p (1 − p) / n, found by bisection."""
    observed = k / n

    def gap(p: float) -> float:
        return (observed - p) ** 2 - z * z * p * (1 - p) / n

    def root(low: float, high: float) -> float:
        for _ in range(200):
            middle = (low + high) / 2
            if (gap(low) > 0) == (gap(middle) > 0):
                low = middle
            else:
                high = middle
        return (low + high) / 2

    lower = 0.0 if k == 0 else root(0.0, observed)
    upper = 1.0 if k == n else root(observed, 1.0)
    return lower, upper


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_wilson_interval_is_the_one_solved_for_directly(case: tuple[int, int]) -> None:
    k, n = case
    low, high = engine.wilson(k, n)
    expected_low, expected_high = wilson_by_bisection(k, n)
    assert low == pytest.approx(expected_low, abs=1e-9)
    assert high == pytest.approx(expected_high, abs=1e-9)


def test_a_published_rate_is_reproduced_with_its_interval() -> None:
    """Belgium (Renard 2020): 13 of 557 convicted again of terrorism — 2.3 %."""
    low, high = engine.wilson(13, 557)
    assert pytest.approx(0.0233, abs=1e-4) == 13 / 557
    assert (round(low, 4), round(high, 4)) == (0.0137, 0.0395)


def test_months_are_added_as_the_calendar_has_them() -> None:
    moved = engine.add_months(days("2024-01-31", "2024-02-29", "2023-05-15"), 1)
    assert list(moved) == list(days("2024-02-29", "2024-03-29", "2023-06-15"))
    assert engine.add_months(days("2024-02-29"), 12)[0] == np.datetime64("2025-02-28")


def _one_each(*rows: tuple[str, str | None, str, str | None, str | None]) -> tuple[Cohort, Events]:
    """(released, committed, kind, proven, censored) per person, at most one event each."""
    with_events = [i for i, row in enumerate(rows) if row[1]]
    cohort = Cohort(released=days(*(r[0] for r in rows)), censored=days(*(r[4] for r in rows)))
    events = Events(
        person=np.array(with_events, dtype=np.int64),
        committed=days(*(rows[i][1] for i in with_events)),
        kind=np.array([rows[i][2] for i in with_events]),
        proven=days(*(rows[i][3] for i in with_events)),
    )
    return cohort, events


def test_only_offences_committed_within_the_follow_up_and_proven_by_its_end_and_wait_count() -> None:
    cohort, events = _one_each(
        ("2022-03-01", "2022-09-01", "violent", "2023-02-01", None),  # counts
        ("2022-03-01", "2023-03-01", "violent", "2023-04-01", None),  # committed on the last day + 1
        ("2022-03-01", "2023-02-28", "other", "2023-08-31", None),  # proven on the last day of the wait
        ("2022-03-01", "2023-02-28", "other", "2023-09-01", None),  # proven a day too late
        ("2022-03-01", "2022-02-01", "terrorism", "2022-06-01", None),  # committed before release
        ("2022-03-01", "2022-05-01", "terrorism", None, None),  # never proven
        ("2022-03-01", "2022-05-01", "terrorism", "2022-07-01", "2022-04-01"),  # after leaving follow-up
        ("2022-03-01", None, "", None, None),  # nothing
    )
    followed = engine.follow(cohort, events, Definition(follow_up_years=1, waiting_months=6, outcome="any"))
    assert list(followed.reoffended) == [True, False, True, False, False, False, False, False]
    assert engine.measure(followed).reoffenders == 2


def test_what_counts_is_the_definitions_choice() -> None:
    cohort, events = _one_each(
        ("2021-01-10", "2021-06-01", "terrorism", "2021-09-01", None),
        ("2021-01-10", "2021-06-01", "violent", "2021-09-01", None),
        ("2021-01-10", "2021-06-01", "reengagement", "2021-06-01", None),
        ("2021-01-10", "2021-06-01", "recall", "2021-06-01", None),
    )
    counted = {
        outcome: list(engine.follow(cohort, events, Definition(outcome=outcome)).reoffended)
        for outcome in ["terrorism", "any", "any_or_reengagement", "any_reengagement_or_recall"]
    }
    assert counted == {
        "terrorism": [True, False, False, False],
        "any": [True, True, False, False],
        "any_or_reengagement": [True, True, True, False],
        "any_reengagement_or_recall": [True, True, True, True],
    }


def test_frequency_and_time_to_the_first_offence() -> None:
    cohort = Cohort(
        released=days("2020-01-01", "2020-01-01", "2020-01-01", "2020-01-01"),
        censored=days(None, None, None, None),
    )
    events = Events(
        person=np.array([0, 0, 0, 1]),
        committed=days("2020-03-01", "2020-01-21", "2020-06-01", "2020-02-10"),
        kind=np.array(["other", "violent", "other", "other"]),
        proven=days("2020-04-01", "2020-02-01", "2020-07-01", "2020-05-01"),
    )
    followed = engine.follow(cohort, events, Definition())
    measured = engine.measure(followed)
    assert (measured.cohort, measured.reoffenders, measured.offences) == (4, 2, 4)
    assert measured.per_offender == 1.0 and measured.per_reoffender == 2.0
    assert list(followed.first[:2]) == list(days("2020-01-21", "2020-02-10"))
    assert measured.median_days_to_first == (20 + 40) / 2


def test_a_kaplan_meier_curve_worked_by_hand_with_censoring() -> None:
    """Six people: outcomes on days 1, 2, 3 and 5; censored on days 2 and 4. At day 2 the person censored
    that day still counts as at risk. S(1) = 5/6; S(2) = 5/6 · 4/5 = 2/3; S(3) = 2/3 · 2/3 = 4/9;
    S(4) = 4/9 (a censoring); S(5) = 0."""
    followed = engine.Followed(
        reoffended=np.array([True, False, True, True, False, True]),
        first=days(None, None, None, None, None, None),
        count=np.array([1, 0, 1, 1, 0, 1]),
        duration=np.array([1, 2, 2, 3, 4, 5]),
        window_end=days(None, None, None, None, None, None),
    )
    curve = {point.days: point for point in engine.survival(followed)}
    assert curve[0].surviving == 1.0 and curve[0].at_risk == 6
    assert curve[1].surviving == pytest.approx(5 / 6)
    assert curve[2].surviving == pytest.approx(2 / 3) and curve[2].at_risk == 5
    assert curve[3].surviving == pytest.approx(4 / 9) and curve[3].at_risk == 3
    assert curve[4].surviving == pytest.approx(4 / 9) and curve[4].at_risk == 2
    assert curve[5].surviving == pytest.approx(0.0)
    assert all(p.low <= p.surviving <= p.high for p in curve.values())


def test_censored_people_are_followed_until_they_leave() -> None:
    cohort, events = _one_each(
        ("2022-01-01", None, "", None, "2022-04-11"),
        ("2022-01-01", None, "", None, None),
    )
    followed = engine.follow(cohort, events, Definition(follow_up_years=2))
    assert list(followed.duration) == [100, 730]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"follow_up_years": 0}, "follow_up_years"),
        ({"waiting_months": 40}, "waiting_months"),
        ({"outcome": "rumour"}, "outcome"),
    ],
)
def test_a_definition_that_cannot_be_computed_is_refused_with_the_reason(
    values: dict[str, object], field: str
) -> None:
    with pytest.raises(ActionRefused) as refused:
        Definition(**values)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_the_follow_up_of_a_cohort_is_complete_after_the_last_release_plus_follow_up_and_wait() -> None:
    cohort = Cohort(released=days("2022-01-15", "2022-12-31"), censored=days(None, None))
    assert engine.complete_by(cohort, Definition(follow_up_years=2, waiting_months=6)) == date(2025, 6, 30)
    assert math.isnan(engine.wilson(0, 0)[0])
