"""Survival curves drawn on the server (matplotlib, no browser script), from a release's frozen figures."""

from __future__ import annotations

import io
from typing import Any

import matplotlib
from django.utils.formats import number_format
from django.utils.translation import gettext

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
        axes.set_xlabel(gettext("Days since release"))
        axes.set_ylabel(gettext("%(unit)s not reoffended") % {"unit": "%"})
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
    """The chart in words, for those who cannot see it, in the reader's language."""
    parts = []
    for curve in measure["survival"]:
        days, share, low, high = curve["points"][-1]
        parts.append(
            gettext("%(group)s: after %(days)s days, %(share)s %% had not reoffended (%(interval)s)")
            % {
                "group": curve["group"],
                "days": days,
                "share": _percent(share),
                "interval": _between(low, high),
            }
        )
    if not parts:
        return gettext("No curve: the groups are too small to draw.")
    return gettext("Survival curve. %(curves)s.") % {"curves": "; ".join(parts)}


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
        axes.set_xlabel(gettext("%(unit)s reoffended (95 %% interval)") % {"unit": "%"})
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
    parts = [f"{r['group']}: {_percent(r['rate'])} % ({_between(r['ci_low'], r['ci_high'])})" for r in rows]
    if not parts:
        return gettext("No rate can be shown.")
    return gettext("Rates with their intervals. %(rates)s.") % {"rates": "; ".join(parts)}


def _percent(share: float) -> str:
    return number_format(100 * share, decimal_pos=1)


def _between(low: float, high: float) -> str:
    return gettext("95 %% interval %(low)s–%(high)s %%") % {"low": _percent(low), "high": _percent(high)}
