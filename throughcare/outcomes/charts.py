"""Survival curves drawn on the server (matplotlib, no browser script), from a release's frozen figures."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: draw to files

from matplotlib import pyplot as plt  # noqa: E402 — after choosing the back end

COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#5694ca"]


def survival_png(measure: dict[str, Any]) -> bytes:
    """The measure's Kaplan–Meier curves, each with its 95 % band, as a PNG."""
    figure, axes = plt.subplots(figsize=(7.5, 4.2), dpi=110)
    try:
        for n, curve in enumerate(measure["survival"]):
            days = [p[0] for p in curve["points"]]
            colour = COLOURS[n % len(COLOURS)]
            axes.step(
                days, [100 * p[1] for p in curve["points"]], where="post", color=colour, label=curve["group"]
            )
            axes.fill_between(
                days,
                [100 * p[2] for p in curve["points"]],
                [100 * p[3] for p in curve["points"]],
                step="post",
                color=colour,
                alpha=0.15,
            )
        axes.set_xlabel("Days since release")
        axes.set_ylabel("% not reoffended")
        axes.set_ylim(
            bottom=max(0, min([100 * p[2] for c in measure["survival"] for p in c["points"]] or [0]) - 5),
            top=100.5,
        )
        axes.grid(True, color="#b1b4b6", linewidth=0.5)
        axes.legend(title=measure.get("group_by") or None, loc="lower left", frameon=False)
        axes.set_title(measure["name"], fontsize=10, loc="left")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(figure)


def describe(measure: dict[str, Any]) -> str:
    """The chart in words, for those who cannot see it."""
    parts = []
    for curve in measure["survival"]:
        last = curve["points"][-1]
        interval = f"95 % interval {100 * last[2]:.1f}–{100 * last[3]:.1f} %"
        parts.append(
            f"{curve['group']}: after {last[0]} days, {100 * last[1]:.1f} % had not reoffended ({interval})"
        )
    return (
        "Survival curve. " + "; ".join(parts) + "."
        if parts
        else "No curve: the groups are too small to draw."
    )


def rates_png(measure: dict[str, Any]) -> bytes:
    """The rate of the cohort and of each group whose counts are shown, each with its 95 % interval."""
    rows = [r for r in [measure["headline"], *measure["rates"]] if r["rate"] is not None]
    figure, axes = plt.subplots(figsize=(7.5, 0.6 + 0.45 * max(1, len(rows))), dpi=110)
    try:
        positions = list(range(len(rows)))[::-1]
        rates = [100 * r["rate"] for r in rows]
        below = [100 * (r["rate"] - r["ci_low"]) for r in rows]
        above = [100 * (r["ci_high"] - r["rate"]) for r in rows]
        axes.errorbar(rates, positions, xerr=[below, above], fmt="o", color=COLOURS[0], capsize=4)
        axes.set_yticks(positions, [r["group"] for r in rows])
        axes.set_xlabel("% reoffended (95 % interval)")
        axes.set_xlim(left=0)
        axes.grid(True, axis="x", color="#b1b4b6", linewidth=0.5)
        axes.set_title(measure["name"], fontsize=10, loc="left")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(figure)


def describe_rates(measure: dict[str, Any]) -> str:
    rows = [r for r in [measure["headline"], *measure["rates"]] if r["rate"] is not None]
    parts = [f"{r['group']}: {100 * r['rate']:.1f} % ({_interval(r)})" for r in rows]
    return "Rates with their intervals. " + "; ".join(parts) + "." if parts else "No rate can be shown."


def _interval(row: dict[str, Any]) -> str:
    return f"95 % interval {100 * row['ci_low']:.1f}–{100 * row['ci_high']:.1f} %"
