"""Nothing hidden can be worked out from what is shown.

The property is checked with an integer programme over the whole table (every cell a variable, shown cells
fixed), written here independently of the module's own check.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from throughcare.outcomes.disclosure import SUPPRESSED, Rules, Table, protect, protect_together


def _integer_range(exact: np.ndarray, hidden: np.ndarray, cell: tuple[int, int]) -> tuple[float, float]:
    """The smallest and largest whole value a hidden cell can take, with every shown cell as published,
    every row and column summing to its total, and no count negative."""
    rows, columns = exact.shape
    index = {(r, c): r * columns + c for r in range(rows) for c in range(columns)}
    sums = []
    for r in range(rows):
        line = np.zeros(rows * columns)
        for c in range(columns - 1):
            line[index[r, c]] = 1
        line[index[r, columns - 1]] = -1
        sums.append(line)
    for c in range(columns):
        line = np.zeros(rows * columns)
        for r in range(rows - 1):
            line[index[r, c]] = 1
        line[index[rows - 1, c]] = -1
        sums.append(line)
    low = np.array([0.0 if hidden[r, c] else exact[r, c] for r in range(rows) for c in range(columns)])
    high = np.array([np.inf if hidden[r, c] else exact[r, c] for r in range(rows) for c in range(columns)])
    constraints = LinearConstraint(np.array(sums), 0, 0)
    objective = np.zeros(rows * columns)
    objective[index[cell]] = 1
    found = []
    for sign in (1, -1):
        result = milp(
            sign * objective,
            constraints=constraints,
            integrality=np.ones(rows * columns),
            bounds=Bounds(low, high),
        )
        unbounded = result.fun is None  # nothing shown around it: it may be as large as one likes
        found.append(sign * -np.inf if unbounded else sign * result.fun)
    return found[0], found[1]


tables = st.tuples(st.integers(2, 4), st.integers(2, 3)).flatmap(
    lambda shape: st.lists(
        st.lists(st.integers(0, 40), min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_cell_is_determined_by_the_published_ones(cells: list[list[int]]) -> None:
    table = Table(
        "t", [f"g{i}" for i in range(len(cells))], [f"o{j}" for j in range(len(cells[0]))], np.array(cells)
    )
    protected = protect(table, Rules(threshold=10))
    exact = table.augmented()
    assert not (protected.hidden == False)[exact < 10].any()  # noqa: E712 — every small count is hidden
    for r, c in zip(*np.nonzero(protected.hidden), strict=True):
        low, high = _integer_range(exact, protected.hidden, (int(r), int(c)))
        assert high > low, f"cell {(r, c)} of {exact.tolist()} is pinned at {low}"


def test_a_small_count_is_hidden_and_so_is_a_cell_it_could_be_worked_out_from() -> None:
    table = Table(
        "Reoffending by gender", ["Women", "Men"], ["Reoffended", "Did not"], np.array([[3, 40], [12, 300]])
    )
    grid = protect(table, Rules()).grid()
    assert grid[0][0] == SUPPRESSED
    assert SUPPRESSED in (grid[0][1], grid[0][2])  # else 43 − 40 gives the 3
    assert SUPPRESSED in (grid[1][0], grid[2][0])  # else 15 − 12 gives it
    shown = sum(isinstance(v, int) for row in grid for v in row)
    assert shown >= 4  # no more is hidden than needs to be


def test_a_table_without_small_counts_is_shown_whole_and_can_be_rounded() -> None:
    table = Table("t", ["a", "b"], ["x", "y"], np.array([[12, 41], [23, 98]]))
    assert protect(table, Rules()).grid() == [[12, 41, 53], [23, 98, 121], [35, 139, 174]]
    assert protect(table, Rules(rounding=5)).grid() == [[10, 40, 55], [25, 100, 120], [35, 140, 175]]


def test_tables_of_one_release_hide_the_cells_they_share_in_each() -> None:
    """The cohort's totals appear in the table by gender and in the table by age band: a total hidden in
    one must not be shown in the other, where it would give the hidden cells away."""
    by_gender = Table(
        "g", ["Women", "Men"], ["Reoffended", "Did not"], np.array([[2, 30], [7, 200]]), "gender", "c"
    )
    by_age = Table(
        "a", ["18–24", "25+"], ["Reoffended", "Did not"], np.array([[5, 60], [4, 170]]), "age", "c"
    )
    gender, age = protect_together([by_gender, by_age], Rules())
    assert gender.hidden[2, 0] == age.hidden[2, 0] and gender.hidden[2, 2] == age.hidden[2, 2]
    assert gender.hidden[2, 0]  # 9 people reoffended in all: below the threshold


def test_rules_refuse_what_they_cannot_do() -> None:
    with pytest.raises(ValueError):
        Rules(threshold=0)
    with pytest.raises(ValueError):
        Rules(rounding=3)
