"""Disclosure control: what of a table of counts may leave the building.

A table is counts by group (rows) and outcome (columns), published with its row, column and grand totals.
Primary suppression hides every count below the threshold, totals included. Secondary suppression hides
more cells until no hidden cell can be worked out from what is shown: not by subtraction from a total
(in the graph whose nodes are the table's rows and columns and whose edges are the hidden cells, every edge
must lie on a cycle) and not by the fact that counts are never negative (each hidden cell's smallest and
largest possible value, solved as linear programs, must differ). Tables of one release that share cells
(the cohort's totals, say) hide a shared cell in all of them if in one.

Hidden cells are shown as `[c]` (confidential), as official statistics mark them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from throughcare.lib.wording import Wording, paragraph, worded

SUPPRESSED = "[c]"

Counts = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Rules:
    threshold: int = 10
    rounding: int = 0  # 0: none; 5: published counts rounded to the nearest multiple of 5

    def __post_init__(self) -> None:
        if not 1 <= self.threshold <= 100:
            raise ValueError("The threshold is between 1 and 100")
        if self.rounding not in (0, 5):
            raise ValueError("Rounding is to base 5, or none")

    @property
    def footnote(self) -> Wording:
        """What `[c]` means (and the rounding), to be read in the reader's language."""
        note = worded(
            "[c] confidential: a count below %(threshold)s, or a count hidden so that no such count can be "
            "worked out from the others.",
            threshold=self.threshold,
        )
        rounded = worded("Other counts are rounded to the nearest %(base)s.", base=self.rounding)
        return paragraph([note, rounded if self.rounding else None])


@dataclass(frozen=True)
class Table:
    """Counts by group and outcome. `key` names the population a table is about (e.g. the cohort and
    measure), so that tables of one release sharing a row or column can be protected together."""

    title: str
    rows: list[str]
    columns: list[str]
    cells: Counts
    row_dimension: str = ""
    key: str = ""

    def augmented(self) -> Counts:
        """The table with its totals: the last column holds row totals, the last row column totals."""
        cells = np.asarray(self.cells, dtype=np.int64)
        with_totals = np.zeros((cells.shape[0] + 1, cells.shape[1] + 1), dtype=np.int64)
        with_totals[:-1, :-1] = cells
        with_totals[:-1, -1] = cells.sum(axis=1)
        with_totals[-1, :-1] = cells.sum(axis=0)
        with_totals[-1, -1] = cells.sum()
        return with_totals

    def cell_keys(self) -> list[list[str]]:
        """A name for each cell of the augmented table, the same in every table of the population: a total
        row is the same population whatever the table groups by."""
        rows = [f"{self.row_dimension}={r}" for r in self.rows] + ["all"]
        columns = [*self.columns, "total"]
        return [[f"{self.key}|{r}|{c}" for c in columns] for r in rows]


@dataclass(frozen=True)
class Protected:
    table: Table
    values: Counts  # augmented, rounded where the rules say
    hidden: Mask  # augmented
    rules: Rules = field(default_factory=Rules)

    def shown(self, row: int, column: int) -> int | str:
        return SUPPRESSED if self.hidden[row, column] else int(self.values[row, column])

    def grid(self) -> list[list[int | str]]:
        rows, columns = self.hidden.shape
        return [[self.shown(r, c) for c in range(columns)] for r in range(rows)]


def protect(table: Table, rules: Rules, *, also_hide: Mask | None = None) -> Protected:
    exact = table.augmented()
    hidden = exact < rules.threshold
    if also_hide is not None:
        hidden |= also_hide
    hidden = _secondary(exact, hidden)
    values = (
        exact if not rules.rounding else (np.round(exact / rules.rounding) * rules.rounding).astype(np.int64)
    )
    return Protected(table, values, hidden, rules)


def protect_together(tables: Sequence[Table], rules: Rules) -> list[Protected]:
    """Protect the tables of one release so that a cell hidden in one is hidden wherever it appears."""
    forced: set[str] = set()
    while True:
        done = [protect(t, rules, also_hide=_forced_mask(t, forced)) for t in tables]
        now_hidden = {key for p in done for key in _hidden_keys(p)}
        if now_hidden <= forced:
            return done
        forced |= now_hidden


def determined(exact: Counts, hidden: Mask) -> list[tuple[int, int]]:
    """The hidden cells whose value follows from the shown ones: by linear algebra (an edge on no cycle)
    or because counts are never negative (its smallest and largest possible values are equal)."""
    bridges = set(_bridges(hidden))
    return [cell for cell in _cells(hidden) if cell in bridges or _range(exact, hidden, cell) == 0]


def _secondary(exact: Counts, hidden: Mask) -> Mask:
    hidden = hidden.copy()
    if not hidden.any():
        return hidden
    while True:
        bridges = _bridges(hidden)
        if bridges:
            _close_cycle(exact, hidden, bridges[0])
            continue
        pinned = [cell for cell in _cells(hidden) if _range(exact, hidden, cell) == 0]
        if not pinned:
            return hidden
        if not _hide_neighbours(exact, hidden, pinned[0]):
            return hidden  # nothing is shown any more


def _cells(hidden: Mask) -> list[tuple[int, int]]:
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(hidden), strict=True)]


def _bridges(hidden: Mask) -> list[tuple[int, int]]:
    """Hidden cells that lie on no cycle of hidden cells (row and column nodes, cells as edges)."""
    rows = hidden.shape[0]
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for r, c in _cells(hidden):
        adjacency.setdefault(r, []).append((rows + c, (r, c)))
        adjacency.setdefault(rows + c, []).append((r, (r, c)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    for start in adjacency:
        if start not in order:
            _walk(start, None, adjacency, order, low, found)
    return sorted(found)


def _walk(
    start: int,
    parent_edge: tuple[int, int] | None,
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]],
    order: dict[int, int],
    low: dict[int, int],
    found: list[tuple[int, int]],
) -> None:
    """Tarjan's bridge search, iterative (a table may be long)."""
    stack = [(start, parent_edge, iter(adjacency[start]))]
    order[start] = low[start] = len(order)
    while stack:
        node, via, neighbours = stack[-1]
        step = next(neighbours, None)
        if step is None:
            stack.pop()
            if stack and via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
            continue
        other, edge = step
        if edge == via:
            continue
        if other in order:
            low[node] = min(low[node], order[other])
        else:
            order[other] = low[other] = len(order)
            stack.append((other, edge, iter(adjacency[other])))


def _close_cycle(exact: Counts, hidden: Mask, bridge: tuple[int, int]) -> None:
    """Hide the cheapest cells that put the bridge on a four-cell cycle (fewest people hidden)."""
    r, c = bridge
    best: tuple[int, int, int] | None = None
    rows, columns = hidden.shape
    for r2 in range(rows):
        for c2 in range(columns):
            if r2 == r or c2 == c:
                continue
            corners = [(r, c2), (r2, c2), (r2, c)]
            cost = sum(int(exact[cell]) + 1 for cell in corners if not hidden[cell])
            if best is None or cost < best[0]:
                best = (cost, r2, c2)
    assert best is not None  # an augmented table has at least two rows and two columns
    _, r2, c2 = best
    for cell in [(r, c2), (r2, c2), (r2, c)]:
        hidden[cell] = True


def _hide_neighbours(exact: Counts, hidden: Mask, cell: tuple[int, int]) -> bool:
    """Hide the smallest shown cell in the row and in the column of a cell pinned at a bound (else the
    smallest shown cell of the table). False when nothing is shown any more."""
    r, c = cell
    lines = [[(r, j) for j in range(hidden.shape[1])], [(i, c) for i in range(hidden.shape[0])]]
    lines.append([(int(i), int(j)) for i, j in zip(*np.nonzero(~hidden), strict=True)])
    for line in lines:
        shown = [x for x in line if not hidden[x]]
        if shown:
            hidden[min(shown, key=lambda x: exact[x])] = True
            return True
    return False


def _range(exact: Counts, hidden: Mask, cell: tuple[int, int]) -> float:
    """How far the cell's value may move, given the shown cells, the table's sums and non-negativity."""
    from scipy.optimize import linprog  # loaded only when a table has hidden cells

    unknown = _cells(hidden)
    index = {x: i for i, x in enumerate(unknown)}
    equations, targets = _sums(exact, hidden, index)
    objective = np.zeros(len(unknown))
    objective[index[cell]] = 1.0
    bounds = [(0, None)] * len(unknown)
    low = linprog(objective, A_eq=equations, b_eq=targets, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=equations, b_eq=targets, bounds=bounds, method="highs")
    if not (low.success and high.success):
        return float("inf")  # unbounded or unsolved: not pinned
    return float(-high.fun - low.fun)


def _sums(
    exact: Counts, hidden: Mask, index: dict[tuple[int, int], int]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each row and each column of the interior sums to its total: one equation each, over the hidden
    cells, with the shown ones moved to the right-hand side."""
    rows, columns = exact.shape
    lines = [[(r, c) for c in range(columns - 1)] + [(r, columns - 1)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows - 1)] + [(rows - 1, c)] for c in range(columns)]
    equations = np.zeros((len(lines), len(index)))
    targets = np.zeros(len(lines))
    for n, line in enumerate(lines):
        *parts, total = line
        for cell, sign in [*((p, 1.0) for p in parts), (total, -1.0)]:
            if hidden[cell]:
                equations[n, index[cell]] += sign
            else:
                targets[n] -= sign * float(exact[cell])
    return equations, targets


def _forced_mask(table: Table, keys: Iterable[str]) -> Mask:
    wanted = set(keys)
    return np.array([[key in wanted for key in row] for row in table.cell_keys()], dtype=bool)


def _hidden_keys(protected: Protected) -> set[str]:
    keys = protected.table.cell_keys()
    return {keys[r][c] for r, c in _cells(protected.hidden)}
