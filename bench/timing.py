"""What the benchmarks share: steps timed side by side, interleaved, and how their figures are printed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(steps: dict[str, Callable[[], None]], runs: int) -> dict[str, list[float]]:
    """Each step once to warm up (imports, caches), then A B A B … `runs` times, so that drift affects all
    steps equally. The seconds of each run, by step."""
    for step in steps.values():
        step()
    timings: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            timings[name].append(time.perf_counter() - started)
    return timings


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def report(timings: dict[str, list[float]], width: int = 9) -> None:
    """The median and 90th percentile of each step."""
    for name, values in timings.items():
        print(f"{name:{width}} median {statistics.median(values):7.3f} s   p90 {p90(values):7.3f} s")


def ratio(timings: dict[str, list[float]], slow: str, fast: str) -> float:
    return statistics.median(timings[slow]) / statistics.median(timings[fast])
